"""Draws the values of a variable as radio buttons (one per variable), other codes as check boxes."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionButton, QStyleOptionViewItem

from ui.coding.codebook_model import CodeKind, KindRole

AnyIndex = QModelIndex | QPersistentModelIndex


class CodeDelegate(QStyledItemDelegate):
    """Paints the row as usual, then a radio button over the check box of a variable's value."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().paint(painter, option, index)
        if index.column() != 0 or index.data(KindRole) != CodeKind.VALUE:
            return
        view_option = QStyleOptionViewItem(option)
        self.initStyleOption(view_option, index)
        widget = view_option.widget
        style = widget.style() if widget is not None else QApplication.style()
        where = style.subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, view_option, widget)
        state = view_option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        palette = view_option.palette
        painter.fillRect(where, palette.highlight() if selected else palette.base())
        radio = QStyleOptionButton()
        radio.rect = where
        radio.palette = palette
        checked = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        radio.state = (state & QStyle.StateFlag.State_Enabled) | (
            QStyle.StateFlag.State_On if checked else QStyle.StateFlag.State_Off
        )
        style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorRadioButton, radio, painter, widget)
