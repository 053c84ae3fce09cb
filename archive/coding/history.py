"""The codebook's version and change log: every codebook edit bumps the version and records what changed."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from archive.store.clock import now


@dataclass(frozen=True, slots=True)
class CodebookChange:
    """One recorded codebook edit; ``version`` is the codebook version it produced."""

    version: int
    at: str
    coder: str | None
    action: str  # add, update, rename, move, merge, split, retire, restore, import, undo, redo, ...
    summary: str
    detail: dict[str, Any]


def codebook_version(conn: sqlite3.Connection) -> int:
    """The current version: 0 for a codebook never edited, then one more with every change."""
    version: int = conn.execute("SELECT version FROM codebook WHERE id = 1").fetchone()[0]
    return version


def record_change(
    conn: sqlite3.Connection, coder_id: int | None, action: str, summary: str, detail: dict[str, Any]
) -> int:
    """Bump the version and log the change, inside the caller's transaction; returns the new version."""
    version = codebook_version(conn) + 1
    stamp = now()
    conn.execute("UPDATE codebook SET version = ?, updated_at = ? WHERE id = 1", (version, stamp))
    conn.execute(
        "INSERT INTO codebook_changes (version, at, coder_id, action, summary, detail) VALUES (?, ?, ?, ?, ?, ?)",
        (version, stamp, coder_id, action, summary, json.dumps(detail, ensure_ascii=False, sort_keys=True)),
    )
    return version


def codebook_history(conn: sqlite3.Connection, *, since_version: int = 0) -> list[CodebookChange]:
    """Every recorded change after ``since_version``, oldest first."""
    sql = (
        "SELECT codebook_changes.version, at, coders.name, action, summary, detail FROM codebook_changes "
        "LEFT JOIN coders ON coders.id = codebook_changes.coder_id WHERE version > ? ORDER BY version"
    )
    return [
        CodebookChange(version, at, coder, action, summary, json.loads(detail))
        for version, at, coder, action, summary, detail in conn.execute(sql, (since_version,))
    ]
