"""Keeps the index in step with the store: drains ``index_queue``, rebuilds, and checks consistency on open.

Each job is a generator that yields ``IndexProgress`` between batches, honours a ``CancelToken`` and
returns an ``IndexSummary``; the UI runs it on its writer thread, the CLI with ``archive.jobs.drain``.
A queue row is deleted only after the Whoosh commit that contains its post, so a crash or kill at any
point leaves the rest queued and the next catch-up indexes it. Big batches use Whoosh's multiprocess
writer (both cores); small ones a single writer, which commits faster than it can start processes.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path

from whoosh.index import Index
from whoosh.writing import IndexWriter

from archive.jobs import CancelToken
from archive.store.index_queue import forget_indexed, forget_through, newest_entry, queued_after, queued_count
from archive.store.project import Project
from index.documents import INDEXABLE, DocumentBatch, build_documents
from index.merging import NO_MERGE, merge_tiers
from index.schema import ID_FIELD
from index.storage import IndexUnavailableError, create_index, discard, is_current, open_index, rebuild_folder
from index.storage import swap_in as swap_in_rebuilt
from index.whoosh_format import indexed_document_count

BATCH_SIZE = 2000  # posts read from the store per step (and per progress report)
PARALLEL_MIN = 20_000  # from this many queued posts on, the multiprocess writer pays for its start-up
# Posts per commit of the multiprocess writer: each of its processes then holds about half of these in
# memory (limitmb=256 each). More per commit spills Whoosh's sorting pool to disk, which was measured to
# cost a third of the rate; fewer makes more segments, which slows searches.
PARALLEL_COMMIT = 64_000
SINGLE_COMMIT = 20_000  # posts per commit of the single writer
LIMIT_MB = 256


@dataclass(slots=True)
class IndexProgress:
    """How far an indexing job has got, in posts."""

    done: int
    total: int
    phase: str = "indexing"  # indexing | committing


@dataclass(slots=True)
class IndexSummary:
    """What an indexing job did."""

    status: str  # complete | cancelled | up-to-date
    indexed: int = 0
    removed: int = 0
    seconds: float = 0.0


@dataclass(slots=True)
class IndexHealth:
    """The result of the check on open: "ok", "catch-up" (posts are queued) or "rebuild" (and why)."""

    state: str
    reason: str
    queued: int
    indexed: int | None = None
    expected: int | None = None


def indexable_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute(f"SELECT count(*) FROM posts WHERE {INDEXABLE}").fetchone()[0])


def indexed_count(folder: Path) -> int:
    """Posts in the index, from its table of contents: opening a reader would take 1.7 s on 1M posts."""
    return indexed_document_count(open_index(folder))


def check(project: Project) -> IndexHealth:
    """The cheap consistency check on open: index version, queued changes, then post counts."""
    conn = project.db.conn
    queued = queued_count(conn)
    if not is_current(project.index_path):
        return IndexHealth("rebuild", "there is no search index of this version yet", queued)
    try:
        indexed = indexed_count(project.index_path)
    except IndexUnavailableError as error:
        return IndexHealth("rebuild", str(error), queued)
    if queued:
        return IndexHealth("catch-up", f"{queued} changed posts are not indexed yet", queued, indexed)
    expected = indexable_count(conn)
    if indexed != expected:
        reason = f"the index holds {indexed} posts but the project has {expected}; rebuild the index"
        return IndexHealth("rebuild", reason, queued, indexed, expected)
    return IndexHealth("ok", "the index is up to date", queued, indexed, expected)


def catch_up(
    project: Project, *, cancel: CancelToken | None = None, batch_size: int = BATCH_SIZE
) -> Generator[IndexProgress, None, IndexSummary]:
    """Index every queued post (creating the index when there is none); resumable at any point."""
    started = time.perf_counter()
    conn = project.db.conn
    if not is_current(project.index_path):
        summary = yield from rebuild(project, cancel=cancel, batch_size=batch_size)
        return summary
    total = queued_count(conn)
    if total == 0:
        return IndexSummary("up-to-date")
    index = open_index(project.index_path)
    parallel = total >= PARALLEL_MIN and _procs() > 1
    summary = IndexSummary("complete")
    after = ""
    while True:
        step = yield from _catch_up_commit(project, index, parallel, after, total, summary, cancel, batch_size)
        if step is None:
            break
        after = step
    summary.seconds = time.perf_counter() - started
    return summary


def _catch_up_commit(
    project: Project,
    index: Index,
    parallel: bool,
    after: str,
    total: int,
    summary: IndexSummary,
    cancel: CancelToken | None,
    batch_size: int,
) -> Generator[IndexProgress, None, str | None]:
    """Index queued posts after ``after`` up to one commit; returns where to go on, or None at the end."""
    writer = _writer(index, parallel)
    try:
        done, more = yield from _catch_up_batches(
            project.db.conn, writer, parallel, after, total, summary, cancel, batch_size
        )
    except BaseException:  # a closed generator (the caller went away) or an error: nothing half-committed
        writer.cancel()
        raise
    if summary.status == "cancelled" and parallel:
        # Committing would wait for both worker processes to finish; what they held is still queued.
        writer.cancel()
        return None
    yield IndexProgress(summary.indexed + summary.removed, total, "committing")
    writer.commit(mergetype=merge_tiers)
    _dequeue(project, done)
    return done[-1][0] if more and summary.status != "cancelled" else None


def _catch_up_batches(
    conn: sqlite3.Connection,
    writer: IndexWriter,
    parallel: bool,
    after: str,
    total: int,
    summary: IndexSummary,
    cancel: CancelToken | None,
    batch_size: int,
) -> Generator[IndexProgress, None, tuple[list[tuple[str, int]], bool]]:
    """Feed queued posts to ``writer`` up to one commit's worth; returns the queue rows it covered and
    whether more may be queued after them."""
    per_commit = PARALLEL_COMMIT if parallel else SINGLE_COMMIT
    done: list[tuple[str, int]] = []
    added = 0
    while added < per_commit:
        rows = queued_after(conn, after, batch_size)
        if not rows:
            break
        batch = build_documents(conn, [key for key, _ in rows])
        _update(writer, batch)
        added += len(batch.documents) + len(batch.removed)
        summary.indexed += len(batch.documents)
        summary.removed += len(batch.removed)
        done.extend(rows)
        after = rows[-1][0]
        yield IndexProgress(summary.indexed + summary.removed, total)
        if cancel is not None and cancel.cancelled:
            summary.status = "cancelled"
            break
    return done, added >= per_commit


def rebuild(
    project: Project, *, cancel: CancelToken | None = None, batch_size: int = BATCH_SIZE
) -> Generator[IndexProgress, None, IndexSummary]:
    """Index every post afresh beside the live index, then swap it in; cancelling keeps the old index.

    Open searches keep reading the old files until they next search (then they open the new index);
    on Windows, close them before the swap, which cannot rename a folder with open files.
    """
    started = time.perf_counter()
    conn = project.db.conn
    target = rebuild_folder(project.index_path)
    discard(target)
    index = create_index(target)
    # Changes queued up to now are covered by the fresh read below; later ones stay queued.
    newest_queued = newest_entry(conn)
    total = indexable_count(conn)
    parallel = total >= PARALLEL_MIN and _procs() > 1
    summary = IndexSummary("complete")
    after: int | None = 0
    try:
        while after is not None:
            after = yield from _rebuild_commit(conn, index, parallel, after, total, summary, cancel, batch_size)
    except BaseException:
        discard(target)
        raise
    if summary.status == "cancelled":
        discard(target)
        summary.seconds = time.perf_counter() - started
        return summary
    index.close()
    swap_in_rebuilt(target, project.index_path)
    if newest_queued is not None:
        with project.db.atomic():
            forget_through(conn, newest_queued)
    summary.seconds = time.perf_counter() - started
    return summary


def _rebuild_commit(
    conn: sqlite3.Connection,
    index: Index,
    parallel: bool,
    after: int,
    total: int,
    summary: IndexSummary,
    cancel: CancelToken | None,
    batch_size: int,
) -> Generator[IndexProgress, None, int | None]:
    """Add the posts after rowid ``after`` up to one commit; returns where to go on, or None at the end."""
    writer = _writer(index, parallel)
    per_commit = PARALLEL_COMMIT if parallel else SINGLE_COMMIT
    added = 0
    try:
        while added < per_commit:
            rows = conn.execute(
                f"SELECT rowid, id FROM posts WHERE rowid > ? AND {INDEXABLE} ORDER BY rowid LIMIT ?",
                (after, batch_size),
            ).fetchall()
            if not rows:
                break
            batch = build_documents(conn, [key for _, key in rows])
            for document in batch.documents:
                writer.add_document(**document)
            added += len(batch.documents)
            summary.indexed += len(batch.documents)
            after = rows[-1][0]
            yield IndexProgress(summary.indexed, total)
            if cancel is not None and cancel.cancelled:
                summary.status = "cancelled"
                break
    except BaseException:
        writer.cancel()
        raise
    if summary.status == "cancelled":
        writer.cancel()
        return None
    yield IndexProgress(summary.indexed, total, "committing")
    writer.commit(mergetype=NO_MERGE)  # Whoosh's default would merge most of a big rebuild at once
    return after if added >= per_commit else None


def _writer(index: Index, parallel: bool) -> IndexWriter:
    if parallel:
        writer: IndexWriter = index.writer(procs=_procs(), limitmb=LIMIT_MB, multisegment=True, batchsize=500)
    else:
        writer = index.writer(limitmb=LIMIT_MB)
    return writer


def _procs() -> int:
    return min(2, os.cpu_count() or 1)


def _update(writer: IndexWriter, batch: DocumentBatch) -> None:
    for document in batch.documents:
        writer.update_document(**document)
    for key in batch.removed:
        writer.delete_by_term(ID_FIELD, key)


def _dequeue(project: Project, rows: Sequence[tuple[str, int]]) -> None:
    """Forget queue rows now indexed; a row queued again since it was read has a newer number and stays."""
    with project.db.atomic():
        forget_indexed(project.db.conn, rows)


def index_size(folder: Path) -> int:
    """Bytes on disk of the index in ``folder``."""
    return sum(path.stat().st_size for path in folder.iterdir() if path.is_file()) if folder.is_dir() else 0
