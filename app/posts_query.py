"""The SQL behind the posts table (Qt-free): which posts are listed in what order, and what a row shows.

The list is a sequence of rowids (8 bytes a post, so a million posts cost 8 MB); rows are read a page at a
time, only when they come on screen. The list is every collected post, or a *scope*: the posts a search
found, in the search's order until a column is sorted.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from app.bidi import isolate
from app.store_errors import store_errors
from archive.coding.status import PostStatus, statuses
from archive.store.sql import chunks, marks

PAGE_SIZE = 200  # rows read at once for the post list (a screen is some 30)


class Column(IntEnum):
    """The table's columns, in order."""

    CREATED = 0
    AUTHOR = 1
    TEXT = 2
    CODED = 3  # the current coder's status on the post
    TYPE = 4
    LANG = 5
    PLATFORM = 6


HEADERS = {
    Column.CREATED: "Date (UTC)",
    Column.AUTHOR: "Author",
    Column.TEXT: "Text",
    Column.CODED: "Coded",
    Column.TYPE: "Type",
    Column.LANG: "Lang",
    Column.PLATFORM: "Platform",
}
STATUS_CELL = {
    PostStatus.NOT_CODED: "",
    PostStatus.IN_PROGRESS: "started",
    PostStatus.CODED: "✓ coded",
    PostStatus.NO_CODE_APPLIES: "✓ no code",
}
# How each sortable column orders rows; "?" is the current coder's id. The text is not sortable.
SORT_SQL = {
    Column.CREATED: "p.created_at",
    Column.AUTHOR: "a.handle COLLATE NOCASE",
    Column.CODED: "EXISTS (SELECT 1 FROM coder_status AS s WHERE s.post_id = p.id AND s.coder_id = ?)",
    Column.TYPE: "p.is_repost * 3 + (p.reply_to_id IS NOT NULL) + (p.quote_of_id IS NOT NULL) * 2",
    Column.LANG: "p.lang",
    Column.PLATFORM: "p.platform",
}

_ROW_SQL = (
    "SELECT p.rowid, p.id, p.created_at, a.handle, p.text, p.reply_to_id, p.quote_of_id, p.is_repost, "
    "p.lang, p.platform, p.truncated, oa.handle FROM posts AS p LEFT JOIN authors AS a ON a.id = p.author_id "
    "LEFT JOIN posts AS o ON o.id = p.repost_of_id LEFT JOIN authors AS oa ON oa.id = o.author_id "
    "WHERE p.rowid IN ({marks})"
)


@dataclass(slots=True, frozen=True)
class PostRow:
    """What one table row shows."""

    post_id: str
    created: str
    author: str
    text: str
    coded: str
    type: str
    lang: str
    platform: str

    def cell(self, column: Column) -> str:
        return str(getattr(self, column.name.lower() if column != Column.CREATED else "created"))


EMPTY_ROW = PostRow("", "", "", "", "", "", "", "")


def post_type(reply_to: str | None, quote_of: str | None, is_repost: int) -> str:
    if is_repost:
        return "repost"
    if reply_to:
        return "reply"
    if quote_of:
        return "quote"
    return "post"


def list_rowids(
    conn: sqlite3.Connection, order: tuple[Column, bool] | None, coder_id: int | None, scope: array[int] | None
) -> array[int]:
    """The rowids to list: every collected post (or the scope), sorted by ``order`` (column, descending)."""
    if order is None:
        if scope is not None:
            return array("q", scope)
        every = conn.execute("SELECT rowid FROM posts WHERE kind = 'collected' ORDER BY rowid")
        return array("q", (r[0] for r in every))
    column, descending = order
    direction = "DESC" if descending else "ASC"
    join = " LEFT JOIN authors AS a ON a.id = p.author_id" if column == Column.AUTHOR else ""
    params: list[Any] = [coder_id or 0] if column == Column.CODED else []
    where = "p.kind = 'collected'"
    if scope is not None:  # a search's hits: sort them in a temporary table rather than a huge IN list
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS scope (rowid INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp.scope")
        conn.executemany("INSERT OR IGNORE INTO temp.scope VALUES (?)", ((r,) for r in scope))
        where = "p.rowid IN (SELECT rowid FROM temp.scope)"
    sql = (
        f"SELECT p.rowid FROM posts AS p{join} WHERE {where} "
        f"ORDER BY {SORT_SQL[column]} {direction}, p.rowid {direction}"
    )
    return array("q", (r[0] for r in conn.execute(sql, params)))


def rowids_of(conn: sqlite3.Connection, post_ids: Sequence[str]) -> array[int]:
    """The rowids of posts given by id, in the order given (ids not in the store are left out)."""
    found: dict[str, int] = {}
    for chunk in chunks(post_ids):
        found.update(conn.execute(f"SELECT id, rowid FROM posts WHERE id IN ({marks(len(chunk))})", chunk).fetchall())
    return array("q", (found[p] for p in post_ids if p in found))


def ids_of(conn: sqlite3.Connection, rowids: Sequence[int]) -> list[str]:
    """The post ids of rowids, in the order given."""
    found: dict[int, str] = {}
    for chunk in chunks(rowids):
        sql = f"SELECT rowid, id FROM posts WHERE rowid IN ({marks(len(chunk))})"
        found.update(conn.execute(sql, chunk).fetchall())
    return [found[r] for r in rowids if r in found]


def read_rows(conn: sqlite3.Connection, rowids: Sequence[int], coder_id: int | None) -> list[PostRow]:
    """The rows for ``rowids``, in that order; a rowid gone since the list was made shows as an empty row."""
    found = {r[0]: r for r in conn.execute(_ROW_SQL.format(marks=marks(len(rowids))), list(rowids))}
    status = statuses(conn, [r[1] for r in found.values()], coder_id) if coder_id is not None else {}
    return [_row(found.get(rowid), status) for rowid in rowids]


def _row(values: tuple[Any, ...] | None, status: dict[str, PostStatus]) -> PostRow:
    if values is None:
        return EMPTY_ROW
    _, post_id, created, handle, text, reply_to, quote_of, is_repost, lang, platform, truncated, original = values
    shown = (created or "").replace("T", " ").removesuffix("Z")
    body = (text or "") + (" [cut]" if truncated else "")
    if original:  # a repost shows its original's text: say whose words they are
        body = f"↻ {isolate('@' + original)}: {isolate(body)}"
    author = isolate(f"@{handle}") if handle else ""
    coded = STATUS_CELL[status.get(post_id, PostStatus.NOT_CODED)]
    return PostRow(post_id, shown, author, body, coded, post_type(reply_to, quote_of, is_repost), lang or "", platform)


def first_uncoded(conn: sqlite3.Connection, rowids: Sequence[int], coder_id: int) -> int | None:
    """The position in ``rowids`` of the first post the coder has not marked as coded, or None."""
    start = 0
    for chunk in chunks(rowids):
        sql = (
            "SELECT p.rowid FROM posts AS p JOIN coder_status AS s ON s.post_id = p.id AND s.coder_id = ? "
            f"WHERE p.rowid IN ({marks(len(chunk))})"
        )
        done = {r[0] for r in conn.execute(sql, [coder_id, *chunk])}
        for offset, rowid in enumerate(chunk):
            if rowid not in done:
                return start + offset
        start += len(chunk)
    return None


class PostListReader:
    """What the post list reads, through the window's connection; a database failure comes as StoreError."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def list_rowids(
        self, order: tuple[Column, bool] | None, coder_id: int | None, scope: array[int] | None
    ) -> array[int]:
        with store_errors("Listing the posts"):
            return list_rowids(self._conn, order, coder_id, scope)

    def rowids_of(self, post_ids: Sequence[str]) -> array[int]:
        with store_errors("Finding the posts to list"):
            return rowids_of(self._conn, post_ids)

    def rowid_of(self, post_id: str) -> int | None:
        """The rowid of a post, or None when the store does not hold it."""
        with store_errors("Finding a post"):
            found = self._conn.execute("SELECT rowid FROM posts WHERE id = ?", (post_id,)).fetchone()
        return None if found is None else int(found[0])

    def rows(self, rowids: Sequence[int], coder_id: int | None) -> list[PostRow]:
        with store_errors("Reading the posts on screen"):
            return read_rows(self._conn, rowids, coder_id)

    def first_uncoded(self, rowids: Sequence[int], coder_id: int) -> int | None:
        with store_errors("Finding the next post to code"):
            return first_uncoded(self._conn, rowids, coder_id)
