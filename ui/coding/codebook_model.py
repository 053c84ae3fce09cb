"""The codebook as a checkable tree for coding: ticks show the current coder's codes on the current post.

Ticking does not change the model: it asks (``choose_requested``) and the coding panel runs the core
action, then tells the model which codes the post now has. Values of a variable are marked as such
(``KindRole``) so the delegate draws them as radio buttons.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum, StrEnum
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from archive.coding.codebook import Code

AnyIndex = QModelIndex | QPersistentModelIndex
#: The Code of the row.
CodeRole = Qt.ItemDataRole.UserRole + 1
#: Its CodeKind.
KindRole = Qt.ItemDataRole.UserRole + 2


class Column(IntEnum):
    NAME = 0
    KEY = 1  # the code's keyboard shortcut


class CodeKind(StrEnum):
    CODE = "code"  # an independent present/absent code: a check box
    VALUE = "value"  # one value of a variable: a radio button, one per variable
    VARIABLE = "variable"  # groups its values; not applied itself
    CATEGORY = "category"  # groups sub-codes; not applied itself


def describe(code: Code) -> str:
    """The definition and criteria as plain text, for tooltips."""
    parts = [code.description]
    if code.inclusion:
        parts.append(f"Use when: {code.inclusion}")
    if code.exclusion:
        parts.append(f"Not when: {code.exclusion}")
    return "\n\n".join(p for p in parts if p) or code.name


class _Node:
    __slots__ = ("children", "code", "kind", "parent", "row")

    def __init__(self, code: Code | None, kind: CodeKind, parent: _Node | None) -> None:
        self.code = code
        self.kind = kind
        self.parent = parent
        self.children: list[_Node] = []
        self.row = 0 if parent is None else len(parent.children)


class CodebookModel(QAbstractItemModel):
    """Codes in use (retired ones hidden), in the codebook's order.

    Signals:
        choose_requested(object): the user ticked or unticked a code (the Code).
    """

    choose_requested = Signal(object)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._top = _Node(None, CodeKind.CATEGORY, None)
        self._by_id: dict[int, _Node] = {}
        self._applied: frozenset[int] = frozenset()
        self._enabled = True

    def load(self, codes: Sequence[Code]) -> None:
        """Show the codebook's codes, parents before children (after it was read, edited or imported)."""
        self.beginResetModel()
        self._top = _Node(None, CodeKind.CATEGORY, None)
        self._by_id = {}
        for code in codes:
            parent = self._by_id.get(code.parent_id, self._top) if code.parent_id is not None else self._top
            node = _Node(code, _kind(code, parent), parent)
            parent.children.append(node)
            self._by_id[code.id] = node
        self.endResetModel()

    def codes(self) -> list[Code]:
        return [node.code for node in self._by_id.values() if node.code is not None]

    def set_applied(self, code_ids: frozenset[int], enabled: bool = True) -> None:
        """Show these codes ticked (the coder's codes on the current post); ``enabled`` False greys all out."""
        changed = (self._applied ^ code_ids) | (set(self._by_id) if enabled != self._enabled else set())
        self._applied, self._enabled = code_ids, enabled
        for code_id in changed:
            node = self._by_id.get(code_id)
            if node is not None:
                index = self.createIndex(node.row, Column.NAME, node)
                self.dataChanged.emit(index, index.siblingAtColumn(Column.KEY))

    def index_of(self, code_id: int) -> QModelIndex:
        node = self._by_id.get(code_id)
        return QModelIndex() if node is None else self.createIndex(node.row, 0, node)

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self._node(parent)
        if not 0 <= row < len(node.children) or not 0 <= column < len(Column):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, child: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid():
            return QModelIndex()
        parent = self._node(child).parent
        if parent is None or parent is self._top:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, ARG002
        return len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return ("Code", "Key")[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsSelectable
        if self._enabled:
            flags |= Qt.ItemFlag.ItemIsEnabled
        if self._node(index).kind in (CodeKind.CODE, CodeKind.VALUE) and index.column() == Column.NAME:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        code = node.code
        assert code is not None
        column = Column(index.column())
        if role == CodeRole:
            return code
        if role == KindRole:
            return node.kind
        if role == Qt.ItemDataRole.DisplayRole:
            return code.name if column == Column.NAME else (code.shortcut or "")
        if role == Qt.ItemDataRole.ToolTipRole:
            return describe(code)
        if column != Column.NAME:
            return None
        if role == Qt.ItemDataRole.CheckStateRole and node.kind in (CodeKind.CODE, CodeKind.VALUE):
            return Qt.CheckState.Checked if code.id in self._applied else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole and code.color:
            return QColor(code.color)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: ARG002
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or not self._enabled:
            return False
        code = self._node(index).code
        if code is not None:
            self.choose_requested.emit(code)
        return False  # the tick changes when the core has done it (set_applied)

    def _node(self, index: AnyIndex) -> _Node:
        return index.internalPointer() if index.isValid() else self._top


def _kind(code: Code, parent: _Node) -> CodeKind:
    if code.exclusive:
        return CodeKind.VARIABLE
    if parent.kind is CodeKind.VARIABLE:
        return CodeKind.VALUE
    return CodeKind.CODE if code.codable else CodeKind.CATEGORY
