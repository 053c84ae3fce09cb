"""Coding › Coders and Blind Mode: who codes in this project, adding and retiring coders, and blind coding."""

from __future__ import annotations

from enum import IntEnum
from typing import Any, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from archive.coding.blind import blind_mode, blind_mode_changed
from archive.coding.coders import Coder, add_coder, list_coders, retire_coder
from archive.errors import ThreadcoderError
from ui.common.record_table_model import RecordTableModel


class CoderColumn(IntEnum):
    NAME = 0
    FULL_NAME = 1
    SINCE = 2
    STATE = 3


class CodersModel(RecordTableModel):
    """Every coder profile, retired ones included (they keep their work)."""

    headers: ClassVar[dict[Any, str]] = {
        CoderColumn.NAME: "Coder",
        CoderColumn.FULL_NAME: "Full name",
        CoderColumn.SINCE: "Since (UTC)",
        CoderColumn.STATE: "State",
    }

    def cell(self, row: Coder, column: int) -> Any:
        state = f"retired {row.retired_at[:10]}" if row.retired_at else "active"
        return (row.name, row.full_name, row.created_at[:10], state)[column]


class CodersDialog(QDialog):
    """Changes here are settings, not coding: each is saved at once and is not part of anyone's undo.

    Signals:
        changed(): coders or blind mode changed; the window reloads its coder list.
        blind_change_requested(bool): the user wants blind mode on or off (the window confirms and sets it).
    """

    changed = Signal()
    blind_change_requested = Signal(bool)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Coders and blind mode")
        self.resize(640, 420)
        self.db = db
        self.model = CodersModel([], self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.name, self.full_name = QLineEdit(self), QLineEdit(self)
        self.name.setPlaceholderText("short name, e.g. ana")
        self.full_name.setPlaceholderText("full name (optional)")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.blind_label = QLabel(self)
        self.blind_label.setWordWrap(True)
        self.blind_button = QPushButton(self)
        add, retire = QPushButton("Add", self), QPushButton("Retire selected", self)
        retire.setToolTip("A retired coder keeps their codings but makes no new ones")
        add.clicked.connect(self.add)
        retire.clicked.connect(self.retire_selected)
        self.blind_button.clicked.connect(lambda: self.blind_change_requested.emit(not blind_mode(self.db.conn)))
        row = QHBoxLayout()
        for widget in (self.name, self.full_name, add, retire):
            row.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.blind_label)
        layout.addWidget(self.blind_button)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(list_coders(self.db.conn, include_retired=True))
        on = blind_mode(self.db.conn)
        changed = blind_mode_changed(self.db.conn)
        who = f" (set by {changed['by']} on {str(changed['at'])[:10]})" if changed else ""
        self.blind_label.setText(
            (
                "Blind coding is <b>on</b>: each coder sees only their own codes, status and memos."
                if on
                else "Blind coding is <b>off</b>: everyone sees everyone's work."
            )
            + who
        )
        self.blind_button.setText("Lift blind coding…" if on else "Turn blind coding on")

    def add(self) -> bool:
        try:
            coder = add_coder(self.db, self.name.text(), self.full_name.text())
        except ThreadcoderError as error:
            self.message.setText(str(error))
            return False
        self.message.setText(f"Added {coder.name}.")
        self.name.clear()
        self.full_name.clear()
        self.reload()
        self.changed.emit()
        return True

    def retire_selected(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            return
        coder: Coder = self.model.row(index.row())
        retire_coder(self.db, coder.id)
        self.message.setText(f"{coder.name} is retired: their work stays, they make no new codings.")
        self.reload()
        self.changed.emit()
