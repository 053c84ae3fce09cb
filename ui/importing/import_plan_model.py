"""The import plan as a table: one row per input, ticked to import, with its format (which can be changed)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from app.import_plan import PlannedInput
from archive.formats import FORMATS
from ui.common.record_table_model import RecordTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
#: The row's PlannedInput.
PlannedInputRole = Qt.ItemDataRole.UserRole + 1


class Column(IntEnum):
    FILE = 0  # checkable: ticked inputs are imported
    FORMAT = 1  # editable: a format name (FORMATS) when the detection was wrong
    SIZE = 2
    NOTE = 3


HEADERS: dict[Any, str] = {
    Column.FILE: "File",
    Column.FORMAT: "Detected format",
    Column.SIZE: "Size",
    Column.NOTE: "Note",
}


def human_size(size: int) -> str:
    """``812 bytes``, ``3.4 MB``: sizes as a file manager shows them (powers of 1000)."""
    if size < 1000:
        return f"{size} bytes"
    value = float(size)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 1000 or unit == "TB":
            break
    return f"{value:.1f} {unit}"


class ImportPlanModel(RecordTableModel):
    """Rows of ``PlannedInput``; the dialog reads the plan back with ``items()``."""

    headers = HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__([], parent)

    def items(self) -> list[PlannedInput]:
        return list(self._rows)

    def set_items(self, items: list[PlannedInput]) -> None:
        self.set_rows(list(items))

    def add_items(self, items: list[PlannedInput]) -> None:
        """Append inputs that are not in the plan yet (the same file chosen twice is listed once)."""
        known = {item.source for item in self._rows}
        fresh = [item for item in items if item.source not in known]
        if not fresh:
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(fresh) - 1)
        self._rows.extend(fresh)
        self.endInsertRows()

    def item(self, row: int) -> PlannedInput:
        found: PlannedInput = self._rows[row]
        return found

    def row_changed(self, row: int) -> None:
        """Tell views a row's item was changed in place (e.g. its CSV mapping)."""
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == Column.FILE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == Column.FORMAT:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item: PlannedInput = self._rows[index.row()]
        column = Column(index.column())
        if role == PlannedInputRole:
            return item
        if role == Qt.ItemDataRole.CheckStateRole and column == Column.FILE:
            return Qt.CheckState.Checked if item.include and item.format else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.EditRole and column == Column.FORMAT:
            return item.format or ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.source.name if column == Column.FILE else (item.note or None)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, column)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        item: PlannedInput = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.CheckStateRole and column == Column.FILE:
            item.include = Qt.CheckState(value) == Qt.CheckState.Checked and item.format is not None
        elif role == Qt.ItemDataRole.EditRole and column == Column.FORMAT and value in FORMATS:
            item.format, item.include = str(value), True
            item.note = "format chosen by hand"
        else:
            return False
        self.row_changed(index.row())
        return True

    @staticmethod
    def _text(item: PlannedInput, column: Column) -> str:
        if column == Column.FILE:
            return item.display_name
        if column == Column.FORMAT:
            return item.format_label
        if column == Column.SIZE:
            return human_size(item.size)
        if item.needs_mapping and not item.options.csv_mapping:
            return "columns guessed from the header; choose Column mapping… to check them"
        if item.needs_mapping:
            return f"column mapping: {len(item.options.csv_mapping)} fields"
        return item.note.split("; expected one of")[0]  # the list of formats is in the tooltip
