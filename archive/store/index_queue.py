"""The durable queue of posts the search index has not caught up with, written in the changing transaction.

Each row carries a sequence number from SQLite's AUTOINCREMENT, which only grows: queueing a post again
replaces its row with a higher number. The indexer forgets rows by that number, never by their time, so a
change queued while a rebuild or a catch-up runs stays queued whatever the clocks say.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from archive.store.clock import now

_QUEUE = "INSERT OR REPLACE INTO index_queue (post_id, queued_at) VALUES (?, ?)"


def queue_posts(conn: sqlite3.Connection, post_ids: Iterable[str]) -> None:
    """Tell the search index that these posts changed; call inside the transaction that changed them."""
    stamp = now()
    conn.executemany(_QUEUE, [(post_id, stamp) for post_id in sorted(set(post_ids))])


def queue_thread(conn: sqlite3.Connection, roots: Iterable[str]) -> None:
    """Queue every post (placeholders aside) whose thread root is one of ``roots``: their thread changed."""
    _queue_posts_where(conn, "root_id", roots)


def queue_authors_posts(conn: sqlite3.Connection, author_ids: Iterable[str]) -> None:
    """Queue every post (placeholders aside) of these accounts: their handle or name changed."""
    _queue_posts_where(conn, "author_id", author_ids)


def _queue_posts_where(conn: sqlite3.Connection, column: str, values: Iterable[str]) -> None:
    stamp = now()
    conn.executemany(
        "INSERT OR REPLACE INTO index_queue (post_id, queued_at) "
        f"SELECT id, ? FROM posts WHERE {column} = ? AND kind != 'placeholder'",
        [(stamp, value) for value in values],
    )


def queued_count(conn: sqlite3.Connection) -> int:
    """How many posts wait to be indexed."""
    return int(conn.execute("SELECT count(*) FROM index_queue").fetchone()[0])


def newest_entry(conn: sqlite3.Connection) -> int | None:
    """The sequence number of the newest queue row, or None when the queue is empty."""
    value = conn.execute("SELECT max(seq) FROM index_queue").fetchone()[0]
    return None if value is None else int(value)


def queued_after(conn: sqlite3.Connection, post_id: str, limit: int) -> list[tuple[str, int]]:
    """Up to ``limit`` queue rows after ``post_id`` in id order, as (post id, sequence number)."""
    sql = "SELECT post_id, seq FROM index_queue WHERE post_id > ? ORDER BY post_id LIMIT ?"
    return [(str(key), int(seq)) for key, seq in conn.execute(sql, (post_id, limit))]


def forget_through(conn: sqlite3.Connection, newest: int) -> None:
    """Forget every row queued up to ``newest`` (a rebuild read the posts afresh); later ones stay."""
    conn.execute("DELETE FROM index_queue WHERE seq <= ?", (newest,))


def forget_indexed(conn: sqlite3.Connection, entries: Sequence[tuple[str, int]]) -> None:
    """Forget rows now indexed; a post queued again since it was read has a newer number and stays."""
    conn.executemany("DELETE FROM index_queue WHERE post_id = ? AND seq = ?", entries)
