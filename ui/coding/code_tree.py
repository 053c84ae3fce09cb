"""The codebook editor's tree: codes in their hierarchy, rearranged by drag and drop (the core does the move)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QDropEvent, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from archive.coding.codebook import Code

CodeIdRole = Qt.ItemDataRole.UserRole + 1
RETIRED = QColor("#9aa0a6")


def swatch(colour: str | None) -> QPixmap:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(colour) if colour else QColor(0, 0, 0, 0))
    return pixmap


class CodeTree(QTreeWidget):
    """Shows codes; a drop does not move the item itself but asks for the move (``move_requested``).

    Signals:
        move_requested(int, object, object): the code id, the new parent id (None: top level), the position
            among its new siblings (None: last).
    """

    move_requested = Signal(int, object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(["Code", "Key"])
        self.setColumnWidth(0, 260)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def show_codes(self, codes: list[Code], select: int | None = None) -> None:
        """Fill the tree (codes in tree order, parents first) and select ``select`` when given."""
        self.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for code in codes:
            parent = items.get(code.parent_id) if code.parent_id is not None else None
            item = QTreeWidgetItem(parent if parent is not None else self, [_label(code), code.shortcut or ""])
            item.setData(0, CodeIdRole, code.id)
            item.setIcon(0, swatch(code.color))
            if code.retired:
                for column in (0, 1):
                    item.setForeground(column, QBrush(RETIRED))
            items[code.id] = item
        self.expandAll()
        if select in items:
            self.setCurrentItem(items[select])

    def current_code_id(self) -> int | None:
        item = self.currentItem()
        return None if item is None else int(item.data(0, CodeIdRole))

    def dropEvent(self, event: QDropEvent) -> None:
        moved = self.current_code_id()
        target = self.itemAt(event.position().toPoint())
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()  # the tree is refilled from the codebook after the core has moved the code
        if moved is None:
            return
        where = self.dropIndicatorPosition()
        if target is None or where == QAbstractItemView.DropIndicatorPosition.OnViewport:
            self.move_requested.emit(moved, None, None)
            return
        if where == QAbstractItemView.DropIndicatorPosition.OnItem:
            self.move_requested.emit(moved, int(target.data(0, CodeIdRole)), None)
            return
        parent = target.parent()
        siblings = (
            [parent.child(i) for i in range(parent.childCount())]
            if parent is not None
            else [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        )
        others = [s for s in siblings if s is not None and int(s.data(0, CodeIdRole)) != moved]
        position = others.index(target) + (1 if where == QAbstractItemView.DropIndicatorPosition.BelowItem else 0)
        self.move_requested.emit(moved, None if parent is None else int(parent.data(0, CodeIdRole)), position)


def _label(code: Code) -> str:
    marks = []
    if code.exclusive:
        marks.append("variable: choose one")
    elif not code.codable:
        marks.append("category")
    if code.retired:
        marks.append("retired")
    return code.name + (f"  ({', '.join(marks)})" if marks else "")
