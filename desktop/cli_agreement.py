"""``threadcoder agreement``: inter-coder reliability of a project's own codings, or of a long CSV."""

from __future__ import annotations

import json
import sys
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from archive.agreement import JobProgress, Selection, agreement_job
from archive.agreement.report import ProjectAgreement
from archive.errors import ThreadcoderError
from archive.jobs import CancelToken
from archive.reliability import LEVELS, Level, load_long_csv, report_tables
from archive.reliability.bootstrap import Progress
from archive.reliability.multivalued import load_set_csv, multivalued_entry
from archive.store.project import Project
from desktop.agreement_text import format_project_table, format_sets_table, format_table
from desktop.interrupts import interrupt_cancels

__all__ = ["agreement_command", "format_project_table", "format_sets_table", "format_table"]


def _categories(entries: tuple[str, ...]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in entries:
        variable, sep, number = entry.rpartition("=")
        if not sep or not variable.strip() or not number.strip().isdigit():
            raise click.BadParameter(f"'{entry}': expected VARIABLE=Q, e.g. sentiment=3", param_hint="--categories")
        counts[variable.strip()] = int(number)
    return counts


@click.command("agreement")
@click.argument("project", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--from-csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Long CSV with columns unit_id,coder_id,variable,value (blank value = not coded).",
)
@click.option(
    "--level",
    type=click.Choice(LEVELS),
    help="--from-csv (required): level of measurement, the metric of alpha; above nominal, labels equal as numbers "
    "(2 and 2.0) are one value for every statistic.",
)
@click.option("--sample", help="PROJECT: only this sample's posts (a coding round).")
@click.option("--codebook-version", type=int, help="PROJECT: only work done under this codebook version.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--bootstrap", type=click.IntRange(min=1), metavar="N", help="Bootstrap alpha with N resamples.")
@click.option("--seed", type=int, help="Seed of the bootstrap (recorded in the output; random if omitted).")
@click.option(
    "--categories",
    multiple=True,
    metavar="VARIABLE=Q",
    help="--from-csv: codebook category count of a variable, for AC1 and Brennan-Prediger (default: observed).",
)
@click.option(
    "--missing",
    multiple=True,
    metavar="TOKEN",
    help="--from-csv: a value that means not coded, besides a blank (repeatable; e.g. NA, '.'). Default: NA at "
    "the ordinal, interval and ratio levels (R's write.csv writes it), nothing more at nominal.",
)
@click.option(
    "--multi-valued",
    is_flag=True,
    help="Experimental: multi-valued alpha (mvα) on sets of codes. PROJECT: one whole-codebook row over the codes "
    "each coder applied to each post. --from-csv: the rows of one unit, coder and variable form a set (<none>: "
    "no label applies); only mvα is reported.",
)
def agreement_command(
    project: Path | None,
    csv_path: Path | None,
    level: Level | None,
    sample: str | None,
    codebook_version: int | None,
    as_json: bool,
    bootstrap: int | None,
    seed: int | None,
    categories: tuple[str, ...],
    missing: tuple[str, ...],
    multi_valued: bool,
) -> None:
    """Inter-coder agreement per code and variable: Krippendorff's alpha, Cohen, Scott, Fleiss, AC1, BP, % agreement.

    With PROJECT: the project's own codings, over posts that two or more coders completed ("not coded" is
    missing, never absent), with the pairwise coder matrix and a summary per round and codebook version.
    With --from-csv: codings made elsewhere. Undefined statistics are shown as such, never as 1.
    --multi-valued adds the experimental multi-valued alpha (see docs/reliability.md).
    """
    try:
        if seed is not None and bootstrap is None:
            raise ThreadcoderError("--seed only applies together with --bootstrap N")
        if csv_path is not None:
            if project is not None:
                raise ThreadcoderError("give either PROJECT or --from-csv FILE, not both")
            if sample is not None or codebook_version is not None:
                raise ThreadcoderError("--sample and --codebook-version apply to a PROJECT, not to --from-csv")
            chosen = missing or None  # none given: the level's default tokens
            if multi_valued:
                _csv_sets_mode(csv_path, level, as_json, bootstrap, categories, chosen)
            else:
                _csv_mode(csv_path, level, as_json, bootstrap, seed, categories, chosen)
        elif project is not None:
            if level not in (None, "nominal") or categories or missing:
                raise ThreadcoderError(
                    "a project's codes and variables are nominal and its missing cells known; "
                    "--level, --categories and --missing apply to --from-csv"
                )
            _project_mode(project, Selection(sample, codebook_version), as_json, bootstrap, seed, multi_valued)
        else:
            raise ThreadcoderError("give a PROJECT folder, or give the codings with --from-csv FILE")
    except ThreadcoderError as error:
        click.echo(f"threadcoder: {error}", err=True)
        sys.exit(1)


def _csv_mode(
    csv_path: Path,
    level: Level | None,
    as_json: bool,
    bootstrap: int | None,
    seed: int | None,
    categories: tuple[str, ...],
    missing: tuple[str, ...] | None,
) -> None:
    if level is None:
        raise ThreadcoderError("--from-csv needs --level nominal|ordinal|interval|ratio")
    tables = load_long_csv(csv_path, level=level, missing=missing)
    if not tables:
        raise ThreadcoderError(f"{csv_path}: no codings found (only a header)")
    with _progress(bootstrap, len(tables)) as progress:
        report = report_tables(
            tables, level, bootstrap=bootstrap, seed=seed, categories=_categories(categories), progress=progress
        )
    if as_json:
        document = {"source": str(csv_path), "level": level, "variables": report}
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        click.echo(format_table(report, level, csv_path))


def _csv_sets_mode(
    csv_path: Path,
    level: Level | None,
    as_json: bool,
    bootstrap: int | None,
    categories: tuple[str, ...],
    missing: tuple[str, ...] | None,
) -> None:
    if level not in (None, "nominal"):
        raise ThreadcoderError("--multi-valued compares sets of labels, which are nominal: leave out --level")
    if bootstrap is not None or categories:
        raise ThreadcoderError("--bootstrap and --categories do not apply to --multi-valued on a CSV")
    tables = load_set_csv(csv_path, missing or ())
    if not tables:
        raise ThreadcoderError(f"{csv_path}: no codings found (only a header)")
    report = {name: multivalued_entry(data) for name, data in tables.items()}
    if as_json:
        document = {"source": str(csv_path), "level": "nominal", "multi_valued_alpha": report}
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        click.echo(format_sets_table(report, csv_path))


def _project_mode(
    project: Path, selection: Selection, as_json: bool, bootstrap: int | None, seed: int | None, multi_valued: bool
) -> None:
    cancel = CancelToken()
    with Project(project, writable=False) as opened:
        job = agreement_job(
            opened.db.conn, selection, bootstrap=bootstrap, seed=seed, multi_valued=multi_valued, cancel=cancel
        )
        result = _run(job, cancel)
    if result.cancelled:
        raise ThreadcoderError("interrupted; nothing was computed")
    report = {"project": str(project), **result.report}
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(format_project_table(report))


def _run(job: Generator[JobProgress, None, ProjectAgreement], cancel: CancelToken) -> ProjectAgreement:
    # A progress bar only for a person watching a terminal; Ctrl-C stops at the next step.
    show = sys.stderr.isatty()
    with (
        interrupt_cancels(cancel),
        click.progressbar(length=1, label="Agreement", file=sys.stderr, hidden=not show) as bar,
    ):
        while True:
            try:
                progress = next(job)
            except StopIteration as stop:
                result: ProjectAgreement = stop.value
                return result
            if progress.total:
                bar.length, bar.label = progress.total, progress.stage
                bar.update(progress.done - bar.pos)


@contextmanager
def _progress(bootstrap: int | None, variables: int) -> Iterator[Progress | None]:
    # A progress bar only for a person watching a terminal; pipes and tests get clean output.
    if bootstrap is None or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=bootstrap * variables, label="Bootstrap", file=sys.stderr) as bar:

        def advance(done: int, _total: int) -> bool:
            bar.update(done - bar.pos)
            return True

        yield advance
