"""``threadcoder export`` (coded data in every shape) and ``threadcoder adjudicate`` (disagreements and gold)."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from archive.adjudication import adjudicate, clear_gold, disagreements, gold_log, gold_values, settle
from archive.agreement import Selection
from archive.coding.coders import require_coder
from archive.export import DATASET_COLUMNS, MISSING_TOKENS, SHAPES, ExportOptions, ExportResult, export_job
from archive.export.privacy import SALT_KEY, ensure_pseudonym_salt
from archive.export.spreadsheet import neutralise_by_default
from archive.jobs import CancelToken
from archive.store.project import Project
from desktop.cli_coding import PROJECT, coder_option, json_option
from desktop.interrupts import interrupt_cancels


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


@click.command("export")
@click.argument("project", type=PROJECT)
@click.argument("shape", type=click.Choice(list(SHAPES)))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--sample", help="Only this sample's posts (a coding round).")
@click.option("--codebook-version", type=int, help="Only work done under this codebook version.")
@click.option("--min-coders", type=click.IntRange(min=1), help="Posts completed by at least N coders.")
@click.option("--bom", is_flag=True, help="Start the file with a UTF-8 byte-order mark (for Excel).")
@click.option(
    "--missing",
    type=click.Choice(list(MISSING_TOKENS)),
    default="blank",
    show_default=True,
    help="How a missing value is written (never 0).",
)
@click.option(
    "--neutralise/--no-neutralise",
    default=None,
    help="Put an apostrophe before cells beginning with = + - @, for spreadsheets. Default: on for the "
    "shapes read in spreadsheets (report, pairwise, rounds, completion, disagreements, gold, "
    "gold_audit, memos), off for the data for R, SPSS, Stata or pandas.",
)
@click.option(
    "--pseudonymise",
    is_flag=True,
    help="Replace authors and every account named in texts and links by salted pseudonyms.",
)
@click.option("--drop-text", is_flag=True, help="Leave post texts out, and the memos, which quote them.")
@click.option(
    "--columns", help=f"dataset: post and memo columns, comma-separated (default: {','.join(DATASET_COLUMNS)})."
)
@click.option("--variable", help="Per-variable shapes: only this code or variable, written to FILE.")
@click.option("--coders", help="recal2: the two coders, comma-separated.")
@click.option("--bootstrap", type=click.IntRange(min=1), metavar="N", help="report: bootstrap alpha with N resamples.")
@click.option("--seed", type=int, help="report: the bootstrap's seed (recorded; random if omitted).")
@click.option("--gold", is_flag=True, help="dataset: one row per post with the gold values.")
@click.option("--all-posts", is_flag=True, help="qdpx: every collected post, not only those with coding work.")
@json_option
def export_command(project: Path, shape: str, file: Path, as_json: bool, **chosen: Any) -> None:
    """Write PROJECT's coded data as SHAPE to FILE (docs/export.md describes every shape).

    Shapes: long (+ completion), completion, by_unit_coder, units_x_coders, coders_x_units, recal2, recal3,
    recal_oir, code_sets, report, pairwise, rounds, disagreements, gold, gold_audit, dataset, memos, qdpx.
    Per-variable shapes write one file per code and variable into the folder FILE unless --variable is given.
    """
    options = _options(shape, chosen)
    if options.pseudonymise:
        _ensure_salt(project)
    cancel = CancelToken()
    with Project(project, writable=False) as opened:
        result = _run(export_job(opened.db.conn, shape, file, options, cancel), cancel)
    if result.cancelled:
        click.echo("Interrupted: no file was written.", err=True)
        sys.exit(130)
    if as_json:
        click.echo(json.dumps({**asdict(result), "files": [str(f) for f in result.files]}, indent=2))
        return
    click.echo(f"Wrote {result.rows} rows ({shape}): " + ", ".join(str(f) for f in result.files))
    for note in result.notes:
        click.echo(f"  note: {note}")


def _options(shape: str, chosen: dict[str, Any]) -> ExportOptions:
    columns = _split(chosen.pop("columns")) or DATASET_COLUMNS
    return ExportOptions(
        sample=chosen["sample"],
        codebook_version=chosen["codebook_version"],
        min_coders=chosen["min_coders"],
        bom=chosen["bom"],
        missing=MISSING_TOKENS[chosen["missing"]],
        neutralise=neutralise_by_default(shape) if chosen["neutralise"] is None else chosen["neutralise"],
        pseudonymise=chosen["pseudonymise"],
        drop_text=chosen["drop_text"],
        columns=columns,
        variable=chosen["variable"],
        coders=_split(chosen["coders"]),
        bootstrap=chosen["bootstrap"],
        seed=chosen["seed"],
        gold=chosen["gold"],
        all_posts=chosen["all_posts"],
    )


def _ensure_salt(project: Path) -> None:
    # The salt is made once per project; only then does an export need to open the project for writing.
    with Project(project, writable=False) as opened:
        row = opened.db.conn.execute("SELECT 1 FROM meta WHERE key = ?", (SALT_KEY,)).fetchone()
    if row is None:
        with Project(project) as writable:
            ensure_pseudonym_salt(writable.db)


def _run(job: Any, cancel: CancelToken) -> ExportResult:
    show = sys.stderr.isatty()
    with (
        interrupt_cancels(cancel),
        click.progressbar(length=1, label="Exporting", file=sys.stderr, hidden=not show) as bar,
    ):
        while True:
            try:
                progress = next(job)
            except StopIteration as stop:
                result: ExportResult = stop.value
                return result
            if progress.total:
                bar.length = progress.total
                bar.label = progress.stage
                bar.update(progress.done - bar.pos)


@click.group("adjudicate")
@click.argument("project", type=PROJECT)
@click.pass_context
def adjudicate_group(ctx: click.Context, project: Path) -> None:
    """Adjudicate PROJECT: list disagreements, decide them by hand or by rule, show the gold standard.

    The coders' own codings are never changed; decisions go to a separate gold standard with an audit trail.
    """
    ctx.obj = project


def _selection(sample: str | None, version: int | None) -> Selection:
    return Selection(sample, version, 2)


sample_option = click.option("--sample", help="Only this sample's posts.")
version_option = click.option(
    "--codebook-version", "version", type=int, help="Only work done under this codebook version."
)


@adjudicate_group.command("list")
@sample_option
@version_option
@click.option("--open", "only_open", is_flag=True, help="Only disagreements without a gold value yet.")
@json_option
@click.pass_context
def adjudicate_list(
    ctx: click.Context, sample: str | None, version: int | None, only_open: bool, as_json: bool
) -> None:
    """List each post and code or variable the coders differ on, with each coder's value and the majority."""
    with Project(ctx.obj, writable=False) as opened:
        found = list(disagreements(opened.db.conn, _selection(sample, version), include_resolved=not only_open))
    rows: list[dict[str, Any]] = [
        {
            "post": d.post_id,
            "thread": d.thread_id,
            "variable": d.unit.target.name,
            "kind": d.unit.target.kind,
            "values": d.unit.values,
            "majority": d.unit.majority,
            "status": d.status,
            "gold": None if d.gold is None else d.gold.value,
        }
        for d in found
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        values = ", ".join(f"{coder}={value}" for coder, value in row["values"].items())
        majority = "" if row["majority"] is None else f"; majority {row['majority']}"
        gold = "" if row["gold"] is None else f" -> {row['gold']}"
        click.echo(f"{row['post']}\t{row['variable']}\t{values}{majority}\t{row['status']}{gold}")
    click.echo(f"{len(rows)} disagreement(s); {sum(r['status'] == 'open' for r in rows)} open.")


@adjudicate_group.command("decide")
@click.argument("post")
@click.argument("variable")
@click.argument("value")
@click.option("--reason", required=True, help="Why: kept in the audit trail.")
@click.option("--consensus", is_flag=True, help="Decided in a consensus meeting rather than by one adjudicator.")
@coder_option
@click.pass_context
def adjudicate_decide(
    ctx: click.Context, post: str, variable: str, value: str, reason: str, consensus: bool, coder: str
) -> None:
    """Record the final VALUE of VARIABLE (a code: 1/0; a variable: a value or none) on POST."""
    method = "consensus_meeting" if consensus else "adjudicated"
    with Project(ctx.obj) as opened:
        who = require_coder(opened.db.conn, coder)
        gold = adjudicate(opened.db, post, variable, value, who.id, reason, method=method)
    click.echo(f"{gold.post_id}: {gold.target} = {gold.value} ({gold.method} by {gold.adjudicator}).")


@adjudicate_group.command("withdraw")
@click.argument("post")
@click.argument("variable")
@click.option("--reason", required=True, help="Why: kept in the audit trail.")
@coder_option
@click.pass_context
def adjudicate_withdraw(ctx: click.Context, post: str, variable: str, reason: str, coder: str) -> None:
    """Withdraw the gold value of VARIABLE on POST; the audit trail keeps it."""
    with Project(ctx.obj) as opened:
        gold = clear_gold(opened.db, post, variable, require_coder(opened.db.conn, coder).id, reason)
    click.echo(f"{gold.post_id}: {gold.target} is open again (was {gold.value}).")


@adjudicate_group.command("settle")
@click.argument("rule", type=click.Choice(["unanimous", "majority"]))
@sample_option
@version_option
@coder_option
@click.pass_context
def adjudicate_settle(ctx: click.Context, rule: str, sample: str | None, version: int | None, coder: str) -> None:
    """Record gold values where all coders agree (unanimous) or most do (majority); decisions stay."""
    with Project(ctx.obj) as opened:
        who = require_coder(opened.db.conn, coder)
        report = settle(opened.db, rule, who.id, _selection(sample, version))
    click.echo(
        f"{report.unanimous} unanimous and {report.majority} majority values recorded on {report.posts} posts; "
        f"{report.already_decided} already decided, {report.left_open} left for the adjudicator."
    )


@adjudicate_group.command("gold")
@json_option
@click.pass_context
def adjudicate_gold(ctx: click.Context, as_json: bool) -> None:
    """Show the gold standard: each final value, how it was reached, by whom and why."""
    with Project(ctx.obj, writable=False) as opened:
        values = list(gold_values(opened.db.conn))
    if as_json:
        click.echo(json.dumps([asdict(g) for g in values], indent=2, ensure_ascii=False))
        return
    for g in values:
        click.echo(f"{g.post_id}\t{g.target}\t{g.value}\t{g.method}\t{g.adjudicator}\t{g.rationale}")


@adjudicate_group.command("log")
@click.argument("post", required=False)
@json_option
@click.pass_context
def adjudicate_log(ctx: click.Context, post: str | None, as_json: bool) -> None:
    """Show the audit trail (of one POST, or all): every decision, replacement and withdrawal."""
    with Project(ctx.obj, writable=False) as opened:
        entries = list(gold_log(opened.db.conn, post))
    if as_json:
        click.echo(json.dumps([asdict(e) for e in entries], indent=2, ensure_ascii=False))
        return
    for e in entries:
        click.echo(f"{e.at}\t{e.post_id}\t{e.target}\t{e.action}\t{e.by}\t{e.reason}")


COMMANDS = (export_command, adjudicate_group)
