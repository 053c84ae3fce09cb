"""The import plan as a table: one row per input, ticked to import, with its format (which can be changed)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from archive.formats import FORMATS
from ui.import_plan import PlannedInput

AnyIndex = QModelIndex | QPersistentModelIndex
#: The row's PlannedInput.
PlannedInputRole = Qt.ItemDataRole.UserRole + 1


class Column(IntEnum):
    FILE = 0  # checkable: ticked inputs are imported
    FORMAT = 1  # editable: a format name (FORMATS) when the detection was wrong
    SIZE = 2
    NOTE = 3


HEADERS = {Column.FILE: "File", Column.FORMAT: "Detected format", Column.SIZE: "Size", Column.NOTE: "Note"}


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


class ImportPlanModel(QAbstractTableModel):
    """Rows of ``PlannedInput``; the dialog reads the plan back with ``items()``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[PlannedInput] = []

    def items(self) -> list[PlannedInput]:
        return list(self._items)

    def set_items(self, items: list[PlannedInput]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def add_items(self, items: list[PlannedInput]) -> None:
        """Append inputs that are not in the plan yet (the same file chosen twice is listed once)."""
        known = {item.source for item in self._items}
        fresh = [item for item in items if item.source not in known]
        if not fresh:
            return
        self.beginInsertRows(QModelIndex(), len(self._items), len(self._items) + len(fresh) - 1)
        self._items.extend(fresh)
        self.endInsertRows()

    def item(self, row: int) -> PlannedInput:
        return self._items[row]

    def row_changed(self, row: int) -> None:
        """Tell views a row's item was changed in place (e.g. its CSV mapping)."""
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[Column(section)]
        return None

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
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item, column = self._items[index.row()], Column(index.column())
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
        item, column = self._items[index.row()], Column(index.column())
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
