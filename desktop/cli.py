"""The headless command line: ``threadcoder import``, ``info``, ``demo`` and friends."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Generator
from pathlib import Path
from typing import Any

import click

from app.import_plan import included, plan_named_paths
from app.import_run import ImportReport, ImportStep, import_inputs, plan_summary
from archive.errors import ThreadcoderError
from archive.formats import FORMATS, ReadOptions
from archive.importing.batch_writer import BatchCounts
from archive.importing.pipeline import ImportSummary
from archive.importing.unavailable import unavailable_by_type, unavailable_entries
from archive.jobs import CancelToken
from archive.store.project import Project
from archive.store.stats import import_errors, project_info
from desktop.cli_csv import csv_options
from desktop.interrupts import interrupt_cancels
from desktop.logs import setup_logging
from desktop.paths import demo_project_dir
from desktop.pipes import reader_went_away


class ThreadcoderGroup(click.Group):
    """Turns expected failures into a one-line reason and a non-zero exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ThreadcoderError as error:
            click.echo(f"threadcoder: {error}", err=True)
            sys.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:  # the reader of our output closed it (| head): its choice, not our failure
            sys.exit(reader_went_away())
        except Exception as error:  # a bug: keep the traceback in the log, give the user one line
            log_file = setup_logging()
            logging.getLogger("threadcoder").exception("unexpected error in %s", ctx.invoked_subcommand)
            click.echo(
                f"threadcoder: unexpected error ({type(error).__name__}: {error}); details are in {log_file}", err=True
            )
            sys.exit(2)


@click.group(cls=ThreadcoderGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="threadcoder")
def cli() -> None:
    """Threadcoder: import, search, read and code social-media archives, offline.

    Run without a command to open the app.
    """


@cli.command("import")
@click.argument("project", type=click.Path(file_okay=False, path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "format_name", type=click.Choice(list(FORMATS)), help="Skip detection; read as this format.")
@click.option("--force", is_flag=True, help="Read files again even if they were imported before.")
@csv_options
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def import_command(
    project: Path, files: tuple[Path, ...], format_name: str | None, force: bool, options: ReadOptions, as_json: bool
) -> None:
    """Import archive FILES (files, folders or .zip) into PROJECT, creating it when needed.

    Formats are detected from the content. Re-importing a file adds nothing; an interrupted
    import resumes where it stopped. Records that cannot be read are skipped and reported.
    """
    setup_logging()  # an input that fails on an unexpected error leaves its traceback in the log, not on screen
    planned = plan_named_paths(files, format_name=format_name, options=options)
    told = list(dict.fromkeys(item.problem for item in planned if item.is_failure))
    for message in told:  # before a long import starts: what will not be read, and why
        click.echo(f"threadcoder: {message}", err=True)
    cancel = CancelToken()
    if told and not included(planned):  # nothing to import: the project is neither created nor touched
        report = ImportReport(files=[summary for item in planned if (summary := plan_summary(item))])
    else:
        with Project.create_or_open(project) as opened, interrupt_cancels(cancel):
            report = _run_with_progress(import_inputs(opened, planned, force=force, cancel=cancel))
    # Damaged files were read up to the damage; they are errors all the same, as are files that failed.
    failures = [summary.note for summary in report.files if summary.status in ("failed", "damaged")]
    for message in failures:
        if message not in told:
            click.echo(f"threadcoder: {message}", err=True)
    _print_summaries(report.files, as_json)
    if report.cancelled:
        click.echo("Interrupted: what was read is saved; run the same command again to finish.", err=True)
        sys.exit(130)
    if failures:
        sys.exit(1)


def _run_with_progress(job: Generator[ImportStep, None, ImportReport]) -> ImportReport:
    """Drain the import, with a progress bar per input on a terminal."""
    show_bar = sys.stderr.isatty()
    with click.progressbar(length=1000, file=sys.stderr, hidden=not show_bar) as bar:
        while True:
            try:
                step = next(job)
            except StopIteration as stop:
                report: ImportReport = stop.value
                return report
            bar.label = Path(step.progress.source.split("!")[-1]).name
            if step.fraction is not None:
                bar.update(int(step.fraction * 1000) - bar.pos)


def _print_summaries(summaries: list[ImportSummary], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([_summary_dict(s) for s in summaries], indent=2))
        return
    total = BatchCounts()
    for summary in summaries:
        click.echo(_summary_line(summary))
        total.add(summary.counts)
    if len(summaries) > 1:
        click.echo(f"Total: {_counts_text(total)}")


def _summary_dict(summary: ImportSummary) -> dict[str, Any]:
    counts = {name: getattr(summary.counts, name) for name in BatchCounts.__slots__}
    return {"file": summary.source, "format": summary.format, "status": summary.status, "note": summary.note, **counts}


def _counts_text(counts: BatchCounts) -> str:
    text = (
        f"{counts.new} new, {counts.updated} updated, {counts.duplicates} duplicate, {counts.skipped} skipped; "
        f"{counts.context} context posts, {counts.placeholders} placeholders, {counts.tombstones} deletions"
    )
    # Not errors: the collection records posts and accounts the platform could no longer return.
    return text + (f"; {counts.unavailable} unavailable at collection time" if counts.unavailable else "")


def _summary_line(summary: ImportSummary) -> str:
    if summary.status == "complete":
        return f"{summary.source} [{summary.format}]: {_counts_text(summary.counts)}"
    if summary.status == "damaged":
        return f"{summary.source} [{summary.format}]: damaged, read in part: {_counts_text(summary.counts)}"
    return f"{summary.source} [{summary.format or 'not imported'}]: {summary.status}. {summary.note}".rstrip()


@cli.command("info")
@click.argument("project", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--errors", "show_errors", is_flag=True, help="List the import errors (file, line, reason).")
@click.option(
    "--unavailable",
    "show_unavailable",
    is_flag=True,
    help="List the posts and accounts the platform could not return at collection time.",
)
def info_command(project: Path, as_json: bool, show_errors: bool, show_unavailable: bool) -> None:
    """Print what PROJECT holds: posts, threads, placeholders, import errors, imports."""
    with Project(project, writable=False) as opened:
        info = project_info(opened.db)
        errors = import_errors(opened.db) if show_errors else []
        # Deleted or suspended when collected: facts about the collection, counted apart from import errors.
        info["unavailable"] = sum(unavailable_by_type(opened.db).values())
        gaps = unavailable_entries(opened.db) if show_unavailable else []
    if as_json:
        if show_errors:
            info["errors"] = errors
        if show_unavailable:
            info["unavailable_items"] = gaps
        click.echo(json.dumps(info, indent=2))
        return
    for key in (
        "posts",
        "context_posts",
        "placeholders",
        "replies",
        "replies_with_parent",
        "threads",
        "reposts",
        "quotes",
        "deleted",
        "authors",
        "import_errors",
        "unavailable",
        "index_queue",
    ):
        click.echo(f"{key.replace('_', ' '):>20}: {info[key]}")
    for platform, count in info["platforms"].items():
        click.echo(f"{'platform ' + platform:>20}: {count}")
    for row in info["imports"]:
        click.echo(f"  import #{row['id']} {row['status']}: {row['file']} [{row['format']}] {row['new']} new")
    for error in errors:
        click.echo(f"{error['file']}:{error['line'] or '-'} {error['locator'] or ''} {error['reason']}")
    for gap in gaps:
        click.echo(
            f"{gap['file']}:{gap['line'] or '-'} {gap['locator'] or ''} {gap['resource_type']} "
            f"{gap['resource_id']}: {gap['reason']}"
        )


@cli.command("demo")
@click.option("--path", type=click.Path(file_okay=False, path_type=Path), help="Where to make the demo project.")
@click.option("--no-open", is_flag=True, help="Only make the project; do not open the app.")
@click.option("--fresh", is_flag=True, help="Make a new demo project; an earlier one is kept beside it.")
def demo_command(path: Path | None, no_open: bool, fresh: bool) -> None:
    """Open the demo project (a fictional #MeToo archive), making it the first time.

    Coding you do in the demo is kept: running this again opens the same project. --fresh starts
    over with a new one and moves the earlier one beside it (named with the date and time).
    """
    from app.demo import open_demo_project

    demo = open_demo_project(path or demo_project_dir(), fresh=fresh)
    folder = demo.folder
    if demo.reused:
        click.echo(f"Demo project: {folder} (as you left it; --fresh makes a new one)")
    else:
        click.echo(f"Demo project ready: {folder}")
    if demo.kept is not None:
        click.echo(f"The earlier demo project is kept at {demo.kept}")
    if not no_open:
        from desktop.gui import run_gui

        sys.exit(run_gui(folder))


@cli.command("open")
@click.argument("project", type=click.Path(exists=True, file_okay=False, path_type=Path))
def open_command(project: Path) -> None:
    """Open PROJECT in the app."""
    from desktop.gui import run_gui

    sys.exit(run_gui(project))
