"""The CSV preview as a table: the first posts as they would be stored, and problems with their line."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.csv_preview import PreviewRow
from ui.common.record_table_model import RecordTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
PROBLEM_COLOUR = QColor("#b3261e")


class Column(IntEnum):
    LINE = 0
    POST_ID = 1
    DATE = 2
    AUTHOR = 3
    TEXT = 4
    REFERS = 5
    PROBLEM = 6


HEADERS: dict[Any, str] = {
    Column.LINE: "Line",
    Column.POST_ID: "Post id",
    Column.DATE: "Date (UTC)",
    Column.AUTHOR: "Author",
    Column.TEXT: "Text",
    Column.REFERS: "Refers to",
    Column.PROBLEM: "Problem",
}
_FIELDS = {
    Column.LINE: "line",
    Column.POST_ID: "post_id",
    Column.DATE: "created_at",
    Column.AUTHOR: "author",
    Column.TEXT: "text",
    Column.REFERS: "refers_to",
    Column.PROBLEM: "problem",
}


class CsvPreviewModel(RecordTableModel):
    """Read-only rows of ``PreviewRow``, replaced as a whole when the mapping changes."""

    headers = HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__([], parent)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row: PreviewRow = self._rows[index.row()]
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = getattr(row, _FIELDS[column])
            text = str(value) if value != "" else ""
            return text.replace("\n", " ⏎ ") if role == Qt.ItemDataRole.DisplayRole else (text or None)
        if role == Qt.ItemDataRole.ForegroundRole and row.problem:
            return QBrush(PROBLEM_COLOUR)
        return None
