"""Lets the user correct a detected format in the import plan: a drop-down of the formats we read."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from archive.formats import FORMATS

AnyIndex = QModelIndex | QPersistentModelIndex


class FormatDelegate(QStyledItemDelegate):
    """Edits a format-name cell (EditRole) with a combo box that shows each format's label."""

    def createEditor(self, parent: QWidget, _option: QStyleOptionViewItem, _index: AnyIndex) -> QWidget:
        box = QComboBox(parent)
        for name, info in FORMATS.items():
            box.addItem(info.label, name)
        return box

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        value: Any = editor.currentData()
        model.setData(index, value, Qt.ItemDataRole.EditRole)
