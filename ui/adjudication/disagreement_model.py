"""The disagreement list as a table: post, code or variable, one column per coder, majority, status and gold."""

from __future__ import annotations

from dataclasses import replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.adjudication_jobs import DisagreementList, value_text
from archive.adjudication import Disagreement, GoldValue

AnyIndex = QModelIndex | QPersistentModelIndex
EXCERPT = 90  # characters of the post's text shown in the list; the tooltip holds all of it
NO_MAJORITY = "—"

#: The row's ``Disagreement``.
DisagreementRole = Qt.ItemDataRole.UserRole + 1
#: The row's post id.
PostIdRole = Qt.ItemDataRole.UserRole + 2


class Column(IntEnum):
    """The fixed columns, in order; the coders' columns sit between TARGET and MAJORITY (see ``column``)."""

    POST = 0
    TEXT = 1
    TARGET = 2
    MAJORITY = 3
    STATUS = 4
    GOLD = 5


_HEADERS = {
    Column.POST: "Post",
    Column.TEXT: "Text",
    Column.TARGET: "Code or variable",
    Column.MAJORITY: "Majority",
    Column.STATUS: "Status",
    Column.GOLD: "Gold value",
}


class DisagreementModel(QAbstractTableModel):
    """Every disagreement read, showing the open ones only or all; a decision updates its row in place."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Disagreement] = []
        self._shown: list[int] = []  # indices into _rows that pass the filter
        self._coders: list[str] = []
        self._open_only = True

    # Contents -----------------------------------------------------------------------------------------------

    def set_list(self, found: DisagreementList) -> None:
        self.beginResetModel()
        self._rows, self._coders = list(found.rows), list(found.coders)
        self._shown = self._filtered()
        self.endResetModel()

    def set_open_only(self, open_only: bool) -> None:
        self.beginResetModel()
        self._open_only = open_only
        self._shown = self._filtered()
        self.endResetModel()

    def set_gold(self, row: int, gold: GoldValue | None) -> None:
        """A decision was recorded (or withdrawn): the row stays in place, with its new status, until a reload."""
        position = self._shown[row]
        self._rows[position] = replace(self._rows[position], gold=gold)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def _filtered(self) -> list[int]:
        return [i for i, found in enumerate(self._rows) if not self._open_only or found.gold is None]

    @property
    def open_only(self) -> bool:
        return self._open_only

    def counts(self) -> tuple[int, int]:
        """(open, all) disagreements read, whatever the filter shows."""
        return sum(1 for found in self._rows if found.gold is None), len(self._rows)

    def disagreement(self, row: int) -> Disagreement:
        return self._rows[self._shown[row]]

    def row_of(self, post_id: str, target: str) -> int | None:
        return next((row for row, i in enumerate(self._shown) if _key(self._rows[i]) == (post_id, target)), None)

    def next_open(self, after: int) -> int | None:
        """The first open row below ``after``, else the first open row above it."""
        rows = [*range(after + 1, len(self._shown)), *range(after)]
        return next((row for row in rows if self.disagreement(row).gold is None), None)

    # Columns ------------------------------------------------------------------------------------------------

    @property
    def coders(self) -> list[str]:
        return list(self._coders)

    def column(self, column: Column) -> int:
        """Where a fixed column is, after the coders' columns have been put in."""
        return int(column) if column <= Column.TARGET else int(column) + len(self._coders)

    def coder_column(self, coder: str) -> int:
        return Column.TARGET + 1 + self._coders.index(coder)

    def _part(self, section: int) -> Column | str:
        first = Column.TARGET + 1
        if first <= section < first + len(self._coders):
            return self._coders[section - first]
        return Column(section) if section < first else Column(section - len(self._coders))

    # Qt -------------------------------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(Column) + len(self._coders)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        part = self._part(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return part if isinstance(part, str) else _HEADERS[part]
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(part, str):
            return f"{part}'s value (empty: {part} did not mark the post as coded)"
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        found = self.disagreement(index.row())
        if role == DisagreementRole:
            return found
        if role == PostIdRole:
            return found.post_id
        part = self._part(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(found, part)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(found, part)
        if role == Qt.ItemDataRole.FontRole and part in (Column.STATUS, Column.GOLD) and found.gold is not None:
            return _bold()
        return None


def _key(found: Disagreement) -> tuple[str, str]:
    return found.post_id, found.unit.target.name


def _display(found: Disagreement, part: Column | str) -> str:
    kind = found.unit.target.kind
    if isinstance(part, str):
        value = found.unit.values.get(part)
        return "" if value is None else value_text(value, kind)
    if part == Column.POST:
        return found.post_id
    if part == Column.TEXT:
        text = " ".join(found.text.split())
        return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"
    if part == Column.TARGET:
        return found.unit.target.name
    if part == Column.MAJORITY:
        majority = found.unit.majority
        return NO_MAJORITY if majority is None else value_text(majority, kind)
    if part == Column.STATUS:
        return found.status
    return "" if found.gold is None else value_text(found.gold.value, found.gold.kind)


def _tooltip(found: Disagreement, part: Column | str) -> str | None:
    if part == Column.TEXT:
        return found.text
    if part == Column.TARGET:
        return "a variable: one value, or none" if found.unit.target.kind == "variable" else "a code: present or absent"
    if part == Column.MAJORITY:
        label, count = found.unit.modal
        if found.unit.majority is None:
            return "No majority: no value was given by more than half of the coders"
        return f"{count} of {len(found.unit.values)} coders gave {value_text(label, found.unit.target.kind)}"
    if part in (Column.STATUS, Column.GOLD) and found.gold is not None:
        gold = found.gold
        return f"{gold.method.replace('_', ' ')} by {gold.adjudicator}, {gold.resolved_at}: {gold.rationale}"
    return None


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font
