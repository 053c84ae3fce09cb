"""The import pipeline: sniff each input, stream its records into the store in batches, report progress.

``import_source`` is a generator: it yields ``ImportProgress`` as it goes and returns an
``ImportSummary``. Each batch commits in one transaction together with the import's own row, which
records how many items are done, so a killed import resumes exactly where it stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from archive.errors import ThreadcoderError, UnknownFormatError
from archive.formats import FORMATS, ReadOptions
from archive.formats.fit import require_format
from archive.formats.sniff import sniff
from archive.importing import import_rows
from archive.importing.batch_writer import BatchCounts, BatchWriter
from archive.importing.batches import PreparedBatch
from archive.importing.reader_process import ReaderCrashed, ReaderProcess, prepared_batches
from archive.importing.records import DAMAGE_LOCATOR
from archive.importing.sources import Source, sha256
from archive.jobs import CancelToken
from archive.store.project import Project

BATCH_SIZE = 2000
# Below this size a second process costs more to start (~0.3 s) than it saves.
READER_PROCESS_MIN_BYTES = 16 * 1024 * 1024
IMPORT_CHECKPOINT_PAGES = 16384
# An import whose records are nearly all errors is a failure, not a success with a long error list.
REJECTED_SHARE = 0.9
REJECTED_MIN_RECORDS = 20
log = logging.getLogger("threadcoder.import")


class ReadingFailed(ThreadcoderError):
    """Reading an input stopped part-way; the message names the file and why."""


@dataclass(slots=True)
class ImportProgress:
    """How far one input's import has got."""

    source: str
    format: str
    items: int
    counts: BatchCounts
    bytes_done: int = 0
    bytes_total: int = 0


@dataclass(slots=True)
class ImportSummary:
    """The outcome of importing one input."""

    source: str
    format: str | None
    # complete | damaged (read up to damage: complete as far as it goes) | already-imported | cancelled |
    # passed-over | failed
    status: str
    counts: BatchCounts = field(default_factory=BatchCounts)
    import_id: int | None = None
    note: str = ""


def detect(source: Source, forced: str | None = None) -> tuple[str | None, str]:
    """The format to read ``source`` with (``forced`` wins), or None and why it is passed over."""
    if forced is not None:
        if forced not in FORMATS:
            raise UnknownFormatError(f"unknown format '{forced}'; choose one of: {', '.join(FORMATS)}")
        return forced, ""
    verdict = sniff(source)
    return verdict.format, verdict.note


def import_source(
    project: Project,
    source: Source,
    *,
    format_name: str | None = None,
    options: ReadOptions | None = None,
    cancel: CancelToken | None = None,
    force: bool = False,
    use_reader_process: bool = True,
    check_fit: bool = True,
) -> Generator[ImportProgress, None, ImportSummary]:
    """Import one input into ``project``; resumes an interrupted import of the same bytes.

    A ``format_name`` given is checked against the first records (``archive.formats.fit``) unless
    ``check_fit`` is False, which a caller passes for the format detection itself chose.

    Whatever happens while reading, the import row ends with a final status: complete, cancelled, or
    failed (what was read before the failure is kept, and the summary says why it stopped).
    """
    if not project.writable:
        raise ThreadcoderError(f"{project.folder}: opened read-only; cannot import")
    chosen, note = detect(source, format_name)
    if chosen is None:
        return ImportSummary(source.name, None, "passed-over", note=note)
    if format_name is not None and check_fit:
        require_format(source, chosen, options)  # a chosen format that does not fit is refused before any write
    digest = sha256(source)
    previous = import_rows.previous_import(project, digest, chosen)
    if previous is not None and previous["status"] == "complete" and not force:
        note = f"already imported as import #{previous['id']} on {previous['finished_at']}; nothing added"
        return ImportSummary(source.name, chosen, "already-imported", import_id=int(str(previous["id"])), note=note)
    resumable = previous is not None and previous["status"] != "complete"
    import_id, skip, counts = (
        import_rows.resume(previous)
        if resumable and previous
        else (import_rows.start(project, source, digest, chosen), 0, BatchCounts())
    )
    summary = ImportSummary(source.name, chosen, "running", counts, import_id)
    parallel = use_reader_process and source.size >= READER_PROCESS_MIN_BYTES
    try:
        yield from _read_into(project, source.metered(), summary, options or ReadOptions(), skip, cancel, parallel)
    except ReadingFailed as failure:
        # A reader's own error (a bug, a file it cannot take): this input fails, the others still go in.
        import_rows.finish(project, import_id, "failed")
        summary.status, summary.note = "failed", str(failure)
        return summary
    except Exception:
        import_rows.finish_failed_quietly(project, import_id)  # the database itself: the caller must know
        raise
    if summary.status in ("complete", "damaged") and (rejected := _nearly_all_rejected(project, summary)):
        summary.status, summary.note = "failed", rejected
    # A file read up to its damage is complete as far as it goes: running it again would add nothing.
    import_rows.finish(project, import_id, "complete" if summary.status == "damaged" else summary.status)
    return summary


def _nearly_all_rejected(project: Project, summary: ImportSummary) -> str:
    """Why an import whose records were nearly all errors failed (the file is in another format), or ''."""
    counts = summary.counts
    records = counts.new + counts.updated + counts.duplicates + counts.tombstones + counts.unavailable + counts.skipped
    if records < REJECTED_MIN_RECORDS or counts.skipped < REJECTED_SHARE * records:
        return ""
    first = project.db.execute(
        "SELECT line, reason FROM import_errors WHERE import_id = ? ORDER BY id LIMIT 1", (summary.import_id,)
    ).fetchone()
    example = f" (the first, line {first[0] or '-'}: {first[1]})" if first else ""
    label = FORMATS[summary.format].label if summary.format in FORMATS else summary.format
    return (
        f"{summary.source}: {counts.skipped:,} of its {records:,} records could not be read as {label} and were "
        f"recorded as errors{example}; is the file in another format?"
    )


def _read_into(
    project: Project,
    source: Source,
    summary: ImportSummary,
    options: ReadOptions,
    skip: int,
    cancel: CancelToken | None,
    parallel: bool,
) -> Generator[ImportProgress, None, None]:
    """Read ``source`` in batches, each committed with the import's progress; fills in ``summary``."""
    import_id, chosen, counts = summary.import_id or 0, summary.format or "", summary.counts
    writer = BatchWriter(project.db.conn, import_id, source.name)
    total = source.size
    done = skip
    damaged = False
    with (
        _large_checkpoints(project),
        _reading(source, chosen, options, skip, import_id, parallel) as reading,
    ):
        for batch, bytes_done in _guarded(reading, source, skip):
            with project.db.atomic():
                written = writer.write_prepared(batch)
                counts.add(written)
                done += batch.items
                import_rows.record_progress(project, import_id, done, written)
            if damage := next((i.reason for i in batch.issues if i.locator == DAMAGE_LOCATOR), ""):
                summary.note, damaged = damage, True
            yield ImportProgress(source.name, chosen, done, counts, bytes_done, total)
            if cancel is not None and cancel.cancelled:
                summary.status, summary.note = "cancelled", "cancelled; run again to resume"
                return
    summary.status = "damaged" if damaged else "complete"


def _guarded(
    batches: Iterable[tuple[PreparedBatch, int]], source: Source, done: int
) -> Iterator[tuple[PreparedBatch, int]]:
    """The batches of a reader; an error raised while reading becomes ReadingFailed, naming the file."""
    iterator = iter(batches)
    while True:
        try:
            batch, bytes_done = next(iterator)
        except StopIteration:
            return
        except ThreadcoderError as error:
            raise ReadingFailed(str(error)) from error
        except Exception as error:
            log.error("reading %s failed after %d records", source.name, done, exc_info=error)
            # A crash in the reader process arrives as its text, traceback included: show its first line.
            what = str(error) if isinstance(error, ReaderCrashed) else f"{type(error).__name__}: {error}"
            raise ReadingFailed(
                f"{source.name}: reading stopped after {done:,} records by an unexpected error "
                f"({what.splitlines()[0] if what else type(error).__name__}); what was read before it is kept"
            ) from error
        done += batch.items
        yield batch, bytes_done


@contextmanager
def _large_checkpoints(project: Project) -> Iterator[None]:
    """Checkpoint the WAL every 64 MiB instead of every 4 MiB while importing (a fifth of write time)."""
    conn = project.db.conn
    previous = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    conn.execute(f"PRAGMA wal_autocheckpoint={IMPORT_CHECKPOINT_PAGES}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA wal_autocheckpoint={int(previous)}")


@contextmanager
def _reading(
    source: Source, format_name: str, options: ReadOptions, skip: int, import_id: int, parallel: bool
) -> Iterator[Iterable[tuple[PreparedBatch, int]]]:
    if not parallel:
        yield prepared_batches(source, format_name, options, skip, import_id, BATCH_SIZE)
        return
    with ReaderProcess(source, format_name, options, skip, import_id, BATCH_SIZE) as process:
        yield process
