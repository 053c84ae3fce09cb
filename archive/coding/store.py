"""Small helpers every coding module shares: timestamps, row reads, the index queue, project settings."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

Row = dict[str, Any]
T = TypeVar("T")

SQL_CHUNK = 900  # stays under SQLite's host-parameter limit on old builds


def now() -> str:
    """The current UTC time as ISO-8601 with milliseconds, so actions in one second keep their order."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def chunks(items: Sequence[T], size: int = SQL_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(count: int) -> str:
    return ", ".join("?" * count)


def fetch_row(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> Row | None:
    """The first row of a query as a dict of column name to value, or None."""
    cursor = conn.execute(sql, params)
    values = cursor.fetchone()
    if values is None:
        return None
    return dict(zip((d[0] for d in cursor.description), values, strict=True))


def fetch_rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[Row]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor]


def queue_posts(conn: sqlite3.Connection, post_ids: Iterable[str]) -> None:
    """Tell the search index that these posts changed; call inside the transaction that changed them."""
    stamp = now()
    conn.executemany(
        "INSERT OR REPLACE INTO index_queue (post_id, queued_at) VALUES (?, ?)",
        [(post_id, stamp) for post_id in sorted(set(post_ids))],
    )


def get_setting(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_setting(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))


def existing_posts(conn: sqlite3.Connection, post_ids: Iterable[str]) -> set[str]:
    """The ids among ``post_ids`` that name posts in the store (placeholders included)."""
    wanted = sorted(set(post_ids))
    found: set[str] = set()
    for chunk in chunks(wanted):
        found.update(r[0] for r in conn.execute(f"SELECT id FROM posts WHERE id IN ({marks(len(chunk))})", chunk))
    return found
