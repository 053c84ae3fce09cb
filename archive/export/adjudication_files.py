"""Adjudication as files: the disagreement list, the gold file and the gold standard's audit trail.

The gold file and the audit trail hold every decision in the project (filters do not apply to them); the
disagreement list follows the selection like the reliability shapes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from archive.adjudication.disagreements import disagreements_in
from archive.adjudication.gold import gold_log, gold_values
from archive.agreement.selection import select
from archive.agreement.targets import NONE, list_targets
from archive.export.context import PROGRESS_EVERY, ExportContext
from archive.export.files import Cell
from archive.jobs import JobProgress

EXCERPT = 200  # characters of the post's text in the disagreement list
GOLD_COLUMNS = (
    "unit_id",
    "variable",
    "kind",
    "final_value",
    "method",
    "adjudicator",
    "rationale",
    "resolved_at",
    "codebook_version",
    "coder_values",
)
AUDIT_COLUMNS = (
    "entry",
    "at",
    "unit_id",
    "variable",
    "action",
    "value_before",
    "method_before",
    "value_after",
    "method_after",
    "by",
    "reason",
)


def disagreement_columns(coders: list[str], with_text: bool) -> list[str]:
    return [
        "unit_id",
        "thread_id",
        "post_url",
        *(["text_excerpt"] if with_text else []),
        "variable",
        "kind",
        *(f"value_{coder}" for coder in coders),
        "n_coders",
        "agreement_share",
        "majority_value",
        "status",
        "adjudicated_value",
        "method",
        "adjudicator",
        "note",
        "resolved_at",
    ]


def write_disagreements(ctx: ExportContext) -> Iterator[JobProgress]:
    """One row per post and code or variable on which the coders differ, with its adjudication so far."""
    with_text = not ctx.options.drop_text
    pseudonyms = ctx.pseudonyms
    with select(ctx.conn, ctx.options.selection(2)) as cells:
        coders = [name for _, name in cells.coders()]
        out = ctx.outputs.csv(ctx.path)
        out.header(disagreement_columns(coders, with_text))
        for done, item in enumerate(disagreements_in(cells, list_targets(ctx.conn)), start=1):
            unit, gold = item.unit, item.gold
            url = item.url if pseudonyms is None else pseudonyms.optional(item.url)
            text = item.text if pseudonyms is None else pseudonyms.text(item.text)
            excerpt = [text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")] if with_text else []
            decided: list[Cell] = (
                [None] * 5
                if gold is None
                else [
                    _cell(gold.value),
                    gold.method,
                    gold.adjudicator,
                    _note(ctx, gold.rationale),
                    gold.resolved_at,
                ]
            )
            out.row(
                [
                    unit.post_id,
                    item.thread_id,
                    url,
                    *excerpt,
                    unit.target.name,
                    unit.target.kind,
                    *(_cell(unit.values.get(coder)) for coder in coders),
                    len(unit.values),
                    float(unit.agreement_share),
                    _cell(unit.majority),
                    item.status,
                    *decided,
                ]
            )
            if done % PROGRESS_EVERY == 0:
                yield JobProgress(f"writing {ctx.path.name}", done, 0)
    yield JobProgress(f"writing {ctx.path.name}", 1, 1)


def _note(ctx: ExportContext, note: str | None) -> str | None:
    """An adjudicator's reason, with the accounts it names pseudonymised when asked: reasons quote posts."""
    pseudonyms = ctx.pseudonyms
    return note if pseudonyms is None else pseudonyms.optional(note)


def _cell(value: object) -> Cell:
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)


def write_gold(ctx: ExportContext) -> Iterator[JobProgress]:
    """Every gold value: the final value, how it was reached, by whom, why and under which codebook version."""
    out = ctx.outputs.csv(ctx.path)
    out.header(GOLD_COLUMNS)
    for done, gold in enumerate(gold_values(ctx.conn), start=1):
        out.row(
            [
                gold.post_id,
                gold.target,
                gold.kind,
                _cell(gold.value),
                gold.method,
                gold.adjudicator,
                _note(ctx, gold.rationale),
                gold.resolved_at,
                gold.codebook_version,
                json.dumps(gold.coder_values, ensure_ascii=False),
            ]
        )
        if done % PROGRESS_EVERY == 0:
            yield JobProgress(f"writing {ctx.path.name}", done, 0)
    yield JobProgress(f"writing {ctx.path.name}", 1, 1)


def write_gold_audit(ctx: ExportContext) -> Iterator[JobProgress]:
    """The audit trail: every decision, replacement and withdrawal with the value before and after."""
    values = {int(i): str(n) for i, n in ctx.conn.execute("SELECT id, name FROM codes")}
    out = ctx.outputs.csv(ctx.path)
    out.header(AUDIT_COLUMNS)
    for entry in gold_log(ctx.conn):
        out.row(
            [
                entry.id,
                entry.at,
                entry.post_id,
                entry.target,
                entry.action,
                *_audit_value(entry.before, values),
                *_audit_value(entry.after, values),
                entry.by,
                _note(ctx, entry.reason),
            ]
        )
    yield JobProgress(f"writing {ctx.path.name}", 1, 1)


def _audit_value(row: dict[str, Any] | None, names: dict[int, str]) -> list[Cell]:
    if row is None:
        return [None, None]
    if row["present"] is not None:
        return [int(row["present"]), row["method"]]
    value = row["value_code_id"]
    return [NONE if value is None else names[int(value)], row["method"]]
