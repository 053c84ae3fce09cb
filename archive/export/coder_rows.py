"""Shapes with one row per coder's completed post: long (plus completion), by unit and coder, code sets.

Only completed work is written (a coder's codes on a post not marked done are work in progress); the
completion file lists every post and coder of the export with its status, so a missing row can always be
told apart from an absent code.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from archive.agreement.selection import Cells, select
from archive.agreement.targets import NONE, LabelPlan, Target, list_targets
from archive.coding.status import PostStatus
from archive.export.context import PROGRESS_EVERY, ExportContext
from archive.export.files import COMPLETION_COMPANION, LINE_END, Cell, CsvFile, sibling
from archive.jobs import JobProgress

LONG_COLUMNS = ("unit_id", "coder_id", "variable", "value", "codebook_version", "completed_at")
COMPLETION_COLUMNS = ("unit_id", "coder_id", "status")
CODE_SET_COLUMNS = ("unit_id", "coder_id", "code", "code_guid")
OUTSIDE = "completed, outside the selection"
_CODES = "SELECT id, name, guid FROM codes"


class TargetCells:
    """Each code's and variable's name and labels as written, prepared once for a whole file."""

    def __init__(self, out: CsvFile, targets: Sequence[Target]) -> None:
        self.names = [out.cell(t.name) for t in targets]
        self._plan = LabelPlan(targets)
        self._cells = [[out.cell(label) for label in labels] for labels in self._plan.labels]

    def labels(self, code_ids: frozenset[int]) -> list[Cell]:
        """The written label of every target for a coder who completed a post with these codes."""
        return [cells[i] for cells, i in zip(self._cells, self._plan.indices(code_ids), strict=True)]


def write_long(ctx: ExportContext) -> Iterator[JobProgress]:
    """``unit_id, coder_id, variable, value`` per code (1/0) and variable (a value or <none>), + completion."""
    targets = list_targets(ctx.conn)
    plan = LabelPlan(targets)
    with select(ctx.conn, ctx.options.selection(1)) as cells:
        total = cells.count()
        out = ctx.outputs.csv(ctx.path)
        coders = {coder_id: out.cell(name) for coder_id, name in cells.coders()}
        out.header(LONG_COLUMNS)
        # Ten or more lines per coded post differ only in the middle (variable, value): each middle is
        # quoted once for the whole file, each post and coder once per line group.
        middles = [
            [out.fragment((out.cell(target.name), out.cell(label))) for label in labels]
            for target, labels in zip(targets, plan.labels, strict=True)
        ]
        for done, row in enumerate(cells.rows(), start=1):
            head = out.fragment((out.cell(row.post_id), coders[row.coder_id])) + ","
            tail = "," + out.fragment((row.version, out.cell(row.completed_at))) + LINE_END
            indices = plan.indices(row.code_ids)
            out.lines("".join([head + middles[t][i] + tail for t, i in enumerate(indices)]), len(indices))
            if done % PROGRESS_EVERY == 0:
                yield JobProgress(f"writing {ctx.path.name}", done, total)
        yield from _completion(ctx, cells, sibling(ctx.path, COMPLETION_COMPANION))


def write_completion(ctx: ExportContext) -> Iterator[JobProgress]:
    """``unit_id, coder_id, status`` for every post and coder of the export."""
    with select(ctx.conn, ctx.options.selection(1)) as cells:
        yield from _completion(ctx, cells, ctx.path)


def _completion(ctx: ExportContext, cells: Cells, path: Path) -> Iterator[JobProgress]:
    sql = (
        f"SELECT u.post_id, k.name, EXISTS (SELECT 1 FROM temp.{cells.table} t WHERE t.post_id = u.post_id "
        "AND t.coder_id = k.id), EXISTS (SELECT 1 FROM coder_status s WHERE s.post_id = u.post_id "
        "AND s.coder_id = k.id), EXISTS (SELECT 1 FROM codings c WHERE c.post_id = u.post_id AND c.coder_id = k.id) "
        f"FROM (SELECT DISTINCT post_id FROM temp.{cells.table}) u CROSS JOIN (SELECT id, name FROM coders "
        f"WHERE id IN (SELECT DISTINCT coder_id FROM temp.{cells.table})) k ORDER BY u.post_id, k.name COLLATE NOCASE"
    )
    out = ctx.outputs.csv(path)
    out.header(COMPLETION_COLUMNS)
    for done, (post_id, coder, selected, completed, coded) in enumerate(ctx.conn.execute(sql), start=1):
        out.row((post_id, coder, _status(bool(selected), bool(completed), bool(coded))))
        if done % PROGRESS_EVERY == 0:
            yield JobProgress(f"writing {path.name}", done, 0)


def _status(selected: bool, completed: bool, coded: bool) -> str:
    if selected:
        return PostStatus.CODED if coded else PostStatus.NO_CODE_APPLIES
    if completed:  # done, but under another codebook version than the one selected
        return OUTSIDE
    return PostStatus.IN_PROGRESS if coded else PostStatus.NOT_CODED


def write_by_unit_coder(ctx: ExportContext) -> Iterator[JobProgress]:
    """One row per post and coder (tidycomm's shape): a 0/1 column per code and a column per variable."""
    targets = list_targets(ctx.conn)
    with select(ctx.conn, ctx.options.selection(1)) as cells:
        total = cells.count()
        out = ctx.outputs.csv(ctx.path)
        coders = {coder_id: out.cell(name) for coder_id, name in cells.coders()}
        out.header(["unit_id", "coder_id", *(target.name for target in targets)])
        prepared = TargetCells(out, targets)
        for done, row in enumerate(cells.rows(), start=1):
            out.prepared([[out.cell(row.post_id), coders[row.coder_id], *prepared.labels(row.code_ids)]])
            if done % PROGRESS_EVERY == 0:
                yield JobProgress(f"writing {ctx.path.name}", done, total)


def write_code_sets(ctx: ExportContext) -> Iterator[JobProgress]:
    """One row per code a coder applied to a post, and a ``<none>`` row for "coded, no code applies"."""
    with select(ctx.conn, ctx.options.selection(1)) as cells:
        total = cells.count()
        out = ctx.outputs.csv(ctx.path)
        coders = {coder_id: out.cell(name) for coder_id, name in cells.coders()}
        codes = {int(i): (out.cell(name), out.cell(guid)) for i, name, guid in ctx.conn.execute(_CODES)}
        none = (out.cell(NONE), out.cell(None))
        out.header(CODE_SET_COLUMNS)
        for done, row in enumerate(cells.rows(), start=1):
            post, coder = out.cell(row.post_id), coders[row.coder_id]
            applied = [codes[code_id] for code_id in sorted(row.code_ids)] or [none]
            out.prepared([(post, coder, name, guid) for name, guid in applied])
            if done % PROGRESS_EVERY == 0:
                yield JobProgress(f"writing {ctx.path.name}", done, total)
