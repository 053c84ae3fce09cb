"""Marks the words a search matched in the post list's text column (the same analysis as the index)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

if TYPE_CHECKING:  # Whoosh loads with the first search, not with the window
    from index.query import Highlight
    from index.snippets import Snippet

AnyIndex = QModelIndex | QPersistentModelIndex
MARK_FILL = QColor("#ffe08a")
MARGIN = 4


class HighlightDelegate(QStyledItemDelegate):
    """Draws the text as the best window around the matches, matched words bold on a yellow mark."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.highlight: Highlight | None = None

    def snippet(self, text: str) -> Snippet | None:
        if self.highlight is None or not text:
            return None
        from index.snippets import make_snippet

        found = make_snippet(text, self.highlight)
        return found if found.marks else None

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        shown = self.snippet(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        if shown is None:
            super().paint(painter, option, index)
            return
        view_option = QStyleOptionViewItem(option)
        self.initStyleOption(view_option, index)
        view_option.text = ""
        widget = view_option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, view_option, painter, widget)
        selected = bool(view_option.state & QStyle.StateFlag.State_Selected)
        palette = view_option.palette
        colour = palette.highlightedText().color() if selected else palette.text().color()
        self._draw_runs(painter, view_option.rect, shown, view_option.font, colour)

    @staticmethod
    def _draw_runs(painter: QPainter, rect: QRect, shown: Snippet, font: QFont, colour: QColor) -> None:
        """The snippet's plain and marked runs left to right, cut with an ellipsis at the cell's edge."""
        painter.save()
        bold = QFont(font)
        bold.setBold(True)
        x, right = rect.x() + MARGIN, rect.right() - MARGIN
        runs, at = [], 0
        for start, end in shown.marks:
            runs += [(shown.text[at:start], False), (shown.text[start:end], True)]
            at = end
        runs.append((shown.text[at:], False))
        for text, marked in runs:
            if not text or x >= right:
                continue
            painter.setFont(bold if marked else font)
            metrics = painter.fontMetrics()
            fitted = metrics.elidedText(text, Qt.TextElideMode.ElideRight, right - x)
            width = metrics.horizontalAdvance(fitted)
            if marked:
                painter.fillRect(QRect(x, rect.y() + 3, width, rect.height() - 6), MARK_FILL)
                painter.setPen(QColor("#202124"))
            else:
                painter.setPen(colour)
            painter.drawText(QRect(x, rect.y(), width + 1, rect.height()), Qt.AlignmentFlag.AlignVCenter, fitted)
            x += width
        painter.restore()
