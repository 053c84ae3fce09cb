"""Which posts the store holds, asked for many ids at once."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from archive.store.sql import chunks, marks


def existing_posts(conn: sqlite3.Connection, post_ids: Iterable[str]) -> set[str]:
    """The ids among ``post_ids`` that name posts in the store (placeholders included)."""
    wanted = sorted(set(post_ids))
    found: set[str] = set()
    for chunk in chunks(wanted):
        found.update(r[0] for r in conn.execute(f"SELECT id FROM posts WHERE id IN ({marks(len(chunk))})", chunk))
    return found
