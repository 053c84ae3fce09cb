"""The ``imports`` row of each input: started, resumed, advanced with each batch, finished with a final status."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, datetime

from archive.importing.batch_writer import BatchCounts
from archive.importing.sources import Source
from archive.store.project import Project

# The counts an import row keeps, so that a resumed import goes on counting from its totals.
PERSISTED_COUNTS = ("new", "updated", "duplicates", "context", "skipped", "tombstones", "unavailable")


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def previous_import(project: Project, digest: str, format_name: str) -> dict[str, object] | None:
    """The import of the same bytes read as the same format: a complete one first, else the latest."""
    rows = list(
        project.db.query(
            "SELECT * FROM imports WHERE sha256 = ? AND format = ? ORDER BY status = 'complete' DESC, id DESC LIMIT 1",
            [digest, format_name],
        )
    )
    return rows[0] if rows else None


def start(project: Project, source: Source, digest: str, format_name: str) -> int:
    with project.db.atomic():
        cursor = project.db.conn.execute(
            "INSERT INTO imports (file, sha256, format, status, started_at) VALUES (?, ?, ?, 'running', ?)",
            (source.name, digest, format_name, now_utc()),
        )
    return int(cursor.lastrowid or 0)


def resume(previous: dict[str, object]) -> tuple[int, int, BatchCounts]:
    """Carry on an interrupted import: skip the items it committed, keep counting from its totals."""
    counts = BatchCounts(**{name: int(str(previous[name])) for name in PERSISTED_COUNTS})
    return int(str(previous["id"])), int(str(previous["items_done"])), counts


def record_progress(project: Project, import_id: int, done: int, counts: BatchCounts) -> None:
    """Inside the batch's transaction: the items committed and what they added to the counts."""
    project.db.conn.execute(
        "UPDATE imports SET items_done = ?, status = 'running', new = new + ?, updated = updated + ?, "
        "duplicates = duplicates + ?, context = context + ?, skipped = skipped + ?, "
        "tombstones = tombstones + ?, unavailable = unavailable + ? WHERE id = ?",
        (
            done,
            counts.new,
            counts.updated,
            counts.duplicates,
            counts.context,
            counts.skipped,
            counts.tombstones,
            counts.unavailable,
            import_id,
        ),
    )


def finish(project: Project, import_id: int, status: str) -> None:
    """Give the import its final status: complete, cancelled or failed."""
    with project.db.atomic():
        project.db.conn.execute(
            "UPDATE imports SET status = ?, finished_at = ? WHERE id = ?", (status, now_utc(), import_id)
        )


def finish_failed_quietly(project: Project, import_id: int) -> None:
    """Mark an import failed while another error is on its way up; a database that refuses it (a full disk)
    leaves the row 'running', which the next run resumes."""
    with contextlib.suppress(sqlite3.Error):
        finish(project, import_id, "failed")
