"""Importing a plan as one job, and the report it returns: counts per file, errors with file and line (Qt-free).

The job runs on the worker thread with its own connection (``Project.attach``); each input goes through
``archive.importing.pipeline.import_source``, so resuming, re-import detection and per-batch commits are the core's.
The report can be written as CSV: one file of counts per input, one of the errors.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.import_plan import PlannedInput, included
from app.jobs import Job
from archive.errors import ThreadcoderError
from archive.export.files import Outputs
from archive.importing.batch_writer import BatchCounts
from archive.importing.pipeline import ImportProgress, ImportSummary, import_source
from archive.importing.unavailable import unavailable_by_type, unavailable_entries, unavailable_text
from archive.jobs import CancelToken
from archive.store.project import Project
from archive.store.stats import import_error_count, import_errors

log = logging.getLogger("threadcoder.import")
# A report lists at most this many errors (a broken file can have millions); it says how many there were.
ERRORS_KEPT = 100_000
STATUS_TEXT = {
    "complete": "imported",
    "damaged": "imported in part: damaged",
    "already-imported": "already imported",
    "cancelled": "cancelled (run again to resume)",
    "passed-over": "passed over",
    "failed": "failed",
}
SUMMARY_COLUMNS = (
    "file",
    "format",
    "status",
    "new",
    "updated",
    "duplicates",
    "skipped",
    "context",
    "placeholders",
    "deletions",
    "unavailable",
    "note",
)
ERROR_COLUMNS = ("file", "line", "locator", "reason", "excerpt")
UNAVAILABLE_COLUMNS = ("file", "line", "locator", "type", "id", "reason")


@dataclass(frozen=True, slots=True)
class ImportStep:
    """Progress of the whole import: which input (1-based) of how many, and that input's own progress."""

    number: int
    count: int
    progress: ImportProgress

    @property
    def text(self) -> str:
        of = f" ({self.number} of {self.count})" if self.count > 1 else ""
        name = Path(self.progress.source.split("!")[-1]).name
        return f"Importing {name}{of}: {self.progress.items:,} records read, {self.progress.counts.new:,} new posts"

    @property
    def fraction(self) -> float | None:
        """Across all inputs: finished ones count whole, the current one by the bytes read."""
        done = self.progress.bytes_done / self.progress.bytes_total if self.progress.bytes_total else 0.0
        return (self.number - 1 + min(done, 1.0)) / self.count


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One record (or whole file) that was not imported, and why."""

    file: str
    line: int | None
    locator: str
    reason: str
    excerpt: str


@dataclass(frozen=True, slots=True)
class UnavailableItem:
    """A post or account the platform could not return at collection time, as the collection recorded it."""

    file: str
    line: int | None
    locator: str
    resource_type: str
    resource_id: str
    reason: str


@dataclass(slots=True)
class ImportReport:
    """What an import did, per input and in total."""

    files: list[ImportSummary] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)
    errors_total: int = 0
    cancelled: bool = False
    # Not errors: gaps the collection itself records (deleted posts, suspended accounts), by resource type.
    unavailable: list[UnavailableItem] = field(default_factory=list)
    unavailable_by_type: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> BatchCounts:
        counts = BatchCounts()
        for summary in self.files:
            counts.add(summary.counts)
        return counts

    @property
    def failed(self) -> int:
        return sum(1 for summary in self.files if summary.status == "failed")

    @property
    def damaged(self) -> int:
        """Files read up to damage (cut off, corrupted), keeping what came before it."""
        return sum(1 for summary in self.files if summary.status == "damaged")

    @property
    def passed_over(self) -> int:
        return sum(1 for summary in self.files if summary.status == "passed-over")

    def headline(self) -> str:
        """One sentence for the status line and the top of the report."""
        total = self.total
        files = f"{len(self.files)} file" + ("" if len(self.files) == 1 else "s")
        text = (
            f"{files}: {total.new:,} new posts, {total.updated:,} updated, {total.duplicates:,} duplicates, "
            f"{total.skipped:,} records skipped, {self.errors_total:,} errors"
        )
        if self.failed:
            text += f"; {self.failed} file" + (" could not be read" if self.failed == 1 else "s could not be read")
        if self.damaged:
            text += f"; {self.damaged} file" + (" was" if self.damaged == 1 else "s were") + " damaged, read in part"
        if self.passed_over:
            text += f"; {self.passed_over} passed over"
        if gaps := unavailable_text(self.unavailable_by_type):
            text += f"; {gaps}"
        return text + (". Cancelled: run the import again to finish." if self.cancelled else ".")


def import_plan(folder: Path, plan: Sequence[PlannedInput], *, force: bool = False) -> Job:
    """A job that imports every input of ``plan`` into the project in ``folder``; returns an ImportReport."""
    inputs = list(plan)

    def job(cancel: CancelToken) -> Generator[ImportStep, None, ImportReport]:
        with Project.attach(folder) as project:
            return (yield from import_inputs(project, inputs, force=force, cancel=cancel))

    return job


def import_inputs(
    project: Project, inputs: Sequence[PlannedInput], *, force: bool, cancel: CancelToken
) -> Generator[ImportStep, None, ImportReport]:
    """Import each input in turn into an open project: the one import the window and the CLI both run.

    An input that fails (unreadable, not what its format says) is reported and the others still go in;
    cancelling stops after the batch being written, which is kept. Inputs of the plan that are not read
    (passed over, damaged, refused) are in the report too, with their reason; those the user left out are not.
    """
    report = ImportReport()
    readable = included(inputs)
    to_read = {id(item) for item in readable}  # by identity: a folder may plan thousands of inputs
    number = 0
    for item in inputs:
        if id(item) not in to_read:
            if (not_read := plan_summary(item)) is not None:
                report.files.append(not_read)
            continue
        number += 1
        summary = yield from _import_one(project, item, number, len(readable), cancel, force)
        report.files.append(summary)
        if cancel.cancelled:
            report.cancelled = True
            break
    _collect_errors(project, report)
    return report


def plan_summary(item: PlannedInput) -> ImportSummary | None:
    """What the report says of a planned input that is not read: failed (an error) or passed over (a note)."""
    if item.format is not None:
        return None  # recognised, and left out by the user
    status = "failed" if item.is_failure else "passed-over"
    return ImportSummary(item.source.name, None, status, note=item.problem if item.is_failure else item.note)


def _import_one(
    project: Project, item: PlannedInput, number: int, count: int, cancel: CancelToken, force: bool
) -> Generator[ImportStep, None, ImportSummary]:
    steps = import_source(
        project,
        item.source,
        format_name=item.format,
        options=item.options,
        cancel=cancel,
        force=force,
        check_fit=item.forced,
    )
    try:
        while True:
            try:
                progress = next(steps)
            except StopIteration as stop:
                summary: ImportSummary = stop.value
                return summary
            yield ImportStep(number, count, progress)
    except ThreadcoderError as error:  # this input only: the others are still imported
        return ImportSummary(item.source.name, item.format, "failed", note=str(error))
    except sqlite3.Error:
        raise  # the project itself (a full disk, a damaged database): no other input would fare better
    except Exception as error:  # a bug met while recognising this input: it fails, the others still go in
        log.error("importing %s failed", item.source.name, exc_info=error)
        note = f"{item.source.name}: not imported, unexpected error ({type(error).__name__}: {error})"
        return ImportSummary(item.source.name, item.format, "failed", note=note)


def _collect_errors(project: Project, report: ImportReport) -> None:
    for summary in report.files:
        if summary.status == "failed":
            report.errors.append(ImportProblem(summary.source, None, "", summary.note, ""))
    report.errors_total = len(report.errors)
    ids = [summary.import_id for summary in report.files if summary.import_id is not None]
    if not ids:
        return
    report.errors_total += import_error_count(project.db, ids)
    for row in import_errors(project.db, ERRORS_KEPT, ids):
        report.errors.append(
            ImportProblem(row["file"], row["line"], row["locator"] or "", row["reason"], row["excerpt"] or "")
        )
    report.unavailable_by_type = unavailable_by_type(project.db, ids)
    for row in unavailable_entries(project.db, ERRORS_KEPT, ids):
        item = UnavailableItem(
            row["file"], row["line"], row["locator"] or "", row["resource_type"], row["resource_id"], row["reason"]
        )
        report.unavailable.append(item)


def summary_row(summary: ImportSummary) -> dict[str, Any]:
    """One input's line of the report, under the names of SUMMARY_COLUMNS."""
    counts = summary.counts
    return {
        "file": summary.source,
        "format": summary.format or "",
        "status": STATUS_TEXT.get(summary.status, summary.status),
        "new": counts.new,
        "updated": counts.updated,
        "duplicates": counts.duplicates,
        "skipped": counts.skipped,
        "context": counts.context,
        "placeholders": counts.placeholders,
        "deletions": counts.tombstones,
        "unavailable": counts.unavailable,
        "note": summary.note,
    }


def write_summary_csv(report: ImportReport, path: Path) -> None:
    """The counts of each input, one row per input (UTF-8 with BOM, so Excel reads accents right)."""
    _write_report_csv(path, SUMMARY_COLUMNS, ([summary_row(s)[c] for c in SUMMARY_COLUMNS] for s in report.files))


def write_errors_csv(report: ImportReport, path: Path) -> None:
    """Every listed error with its file, line, place in the record, reason and an excerpt."""
    rows = ([e.file, e.line, e.locator, e.reason, e.excerpt] for e in report.errors)
    _write_report_csv(path, ERROR_COLUMNS, rows)


def write_unavailable_csv(report: ImportReport, path: Path) -> None:
    """Every listed post or account the platform could not return, with where the collection says so."""
    rows = ([u.file, u.line, u.locator, u.resource_type, u.resource_id, u.reason] for u in report.unavailable)
    _write_report_csv(path, UNAVAILABLE_COLUMNS, rows)


def _write_report_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    # Excerpts and file names come from the files imported, written by strangers: neutralised, since
    # these reports are opened in spreadsheets, and written whole or not at all.
    outputs = Outputs(bom=True, missing="", neutralise_cells=True)
    try:
        written = outputs.csv(path)
        written.header(columns)
        for row in rows:
            written.row(row)
    except BaseException:
        outputs.abort()
        raise
    outputs.commit()
