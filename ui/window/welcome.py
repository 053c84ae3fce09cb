"""The page shown when no project is open: start a project, open one, or pick a recent one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

PathRole = Qt.ItemDataRole.UserRole + 1


class WelcomePage(QWidget):
    """Big, plain choices for a first visit; recent projects for every later one.

    Signals:
        new_requested(): the user wants a new project.
        open_requested(): the user wants to choose a project folder.
        demo_requested(): the user wants the demo project (only offered when the app can make one).
        recent_chosen(object): a recent project's folder (Path).
    """

    new_requested = Signal()
    open_requested = Signal()
    demo_requested = Signal()
    recent_chosen = Signal(object)

    def __init__(self, offer_demo: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(
            "<h1>Threadcoder</h1><p>Import social-media archives, read posts in their threads and "
            "code them. Everything stays on this computer.</p>",
            self,
        )
        title.setWordWrap(True)
        self.recent = QListWidget(self)
        self.recent.itemActivated.connect(lambda item: self.recent_chosen.emit(item.data(PathRole)))
        buttons = QHBoxLayout()
        for text, signal in (("New project…", self.new_requested), ("Open project…", self.open_requested)):
            button = QPushButton(text, self)
            button.clicked.connect(signal.emit)
            buttons.addWidget(button)
        if offer_demo:
            demo = QPushButton("Try the demo project", self)
            demo.setToolTip("A small fictional #MeToo archive to try things out; made fresh each time")
            demo.clicked.connect(self.demo_requested.emit)
            buttons.addWidget(demo)
        buttons.addStretch(1)
        column = QVBoxLayout()
        column.addWidget(title)
        column.addLayout(buttons)
        column.addSpacing(16)
        column.addWidget(QLabel("Recent projects (double-click or Enter to open):", self))
        column.addWidget(self.recent, 1)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 3)
        outer.addStretch(1)

    def set_recent(self, folders: list[Path]) -> None:
        self.recent.clear()
        for folder in folders:
            item = QListWidgetItem(f"{folder.name}    —    {folder.parent}")
            item.setData(PathRole, folder)
            self.recent.addItem(item)
        if folders:
            self.recent.setCurrentRow(0)
