"""The disagreement list's table: one row at a time; Enter or a double-click asks to show the post in its thread."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui.adjudication.disagreement_model import Column, DisagreementModel


class DisagreementView(QTableView):
    """A read-only table over a DisagreementModel.

    Signals:
        show_requested(): Enter or a double-click on a row (show its post in the thread view).
    """

    show_requested = Signal()

    def __init__(self, model: DisagreementModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._model = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        self.doubleClicked.connect(lambda _index: self.show_requested.emit())
        # A shortcut rather than ``activated``: some styles activate on a single click, which would move the
        # main window's thread on every click in the list.
        for keys in ("Return", "Enter"):
            QShortcut(QKeySequence(keys), self, self.show_requested.emit, context=Qt.ShortcutContext.WidgetShortcut)

    def selected_row(self) -> int | None:
        index = self.currentIndex()
        return index.row() if index.isValid() else None

    def size_columns(self) -> None:
        """Fit the columns to what is listed, the text taking the rest of the width."""
        self.resizeColumnsToContents()
        self.horizontalHeader().setSectionResizeMode(Column.TEXT, QHeaderView.ResizeMode.Stretch)
        # Wide enough for what a decision will write there, and for a coder whose cells happen to be empty now.
        wide = self.fontMetrics().horizontalAdvance("resolved") + 24
        sections = [self._model.column(c) for c in (Column.MAJORITY, Column.STATUS, Column.GOLD)]
        for section in sections + [self._model.coder_column(coder) for coder in self._model.coders]:
            self.setColumnWidth(section, max(self.columnWidth(section), wide))
