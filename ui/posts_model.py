"""A lazy, read-only table model of a project's posts: only the rows on screen are read from SQLite."""

from __future__ import annotations

import sqlite3
from array import array
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

PAGE_SIZE = 200
MAX_CACHED_PAGES = 20
PostIdRole = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    """The table's columns, in order."""

    CREATED = 0
    AUTHOR = 1
    TEXT = 2
    TYPE = 3
    LANG = 4
    PLATFORM = 5


HEADERS = {
    Column.CREATED: "Date (UTC)",
    Column.AUTHOR: "Author",
    Column.TEXT: "Text",
    Column.TYPE: "Type",
    Column.LANG: "Lang",
    Column.PLATFORM: "Platform",
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
    type: str
    lang: str
    platform: str

    def cell(self, column: Column) -> str:
        return {
            Column.CREATED: self.created,
            Column.AUTHOR: self.author,
            Column.TEXT: self.text,
            Column.TYPE: self.type,
            Column.LANG: self.lang,
            Column.PLATFORM: self.platform,
        }[column]


def _post_type(reply_to: str | None, quote_of: str | None, is_repost: int) -> str:
    if is_repost:
        return "repost"
    if reply_to:
        return "reply"
    if quote_of:
        return "quote"
    return "post"


class PostsModel(QAbstractTableModel):
    """Collected posts in import order; keeps only their rowids in memory (8 bytes a post)."""

    def __init__(self, conn: sqlite3.Connection, parent: Any = None) -> None:
        super().__init__(parent)
        self._conn = conn
        self._rowids = array("q")
        self._pages: dict[int, list[PostRow]] = {}
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        cursor = self._conn.execute("SELECT rowid FROM posts WHERE kind = 'collected' ORDER BY rowid")
        self._rowids = array("q", (r[0] for r in cursor))
        self._pages.clear()
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rowids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[Column(section)]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rowids):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, PostIdRole):
            return None
        row = self.post_at(index.row())
        if role == PostIdRole:
            return row.post_id
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.text if index.column() == Column.TEXT else None
        text = row.cell(Column(index.column()))
        return text.replace("\n", " ⏎ ") if index.column() == Column.TEXT else text

    def post_at(self, row: int) -> PostRow:
        """The post shown in ``row``, read with the rest of its page on first use."""
        page = row // PAGE_SIZE
        if page not in self._pages:
            if len(self._pages) >= MAX_CACHED_PAGES:
                self._pages.pop(next(iter(self._pages)))
            self._pages[page] = self._read_page(page)
        return self._pages[page][row % PAGE_SIZE]

    def _read_page(self, page: int) -> list[PostRow]:
        wanted = self._rowids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        marks = ", ".join("?" * len(wanted))
        found = {r[0]: r for r in self._conn.execute(_ROW_SQL.format(marks=marks), list(wanted))}
        return [self._to_row(found.get(rowid)) for rowid in wanted]

    @staticmethod
    def _to_row(values: tuple[Any, ...] | None) -> PostRow:
        if values is None:  # removed since reload(); show an empty row rather than fail
            return PostRow("", "", "", "", "", "", "")
        _, post_id, created, handle, text, reply_to, quote_of, is_repost, lang, platform, truncated, original = values
        shown = (created or "").replace("T", " ").removesuffix("Z")
        body = (text or "") + (" [cut]" if truncated else "")
        if original:  # a repost shows its original's text: say whose words they are
            body = f"↻ @{original}: {body}"
        author = f"@{handle}" if handle else ""
        return PostRow(post_id, shown, author, body, _post_type(reply_to, quote_of, is_repost), lang or "", platform)
