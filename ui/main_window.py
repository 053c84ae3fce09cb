"""The main window: the project's posts in a table, with a status line of counts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QHeaderView, QLabel, QMainWindow, QMessageBox, QTableView

from archive.errors import ThreadcoderError
from archive.project import Project
from archive.stats import project_info
from ui.posts_model import Column, PostsModel

WINDOW_TITLE = "Threadcoder"


def counted(number: object, noun: str) -> str:
    """``1 thread``, ``2 threads``, with thousands separators."""
    value = int(str(number))
    return f"{value:,} {noun}" + ("" if value == 1 else "s")


def status_text(info: dict[str, object]) -> str:
    """The status line: what the open project holds."""
    return (
        f"{counted(info['posts'], 'post')} · {counted(info['threads'], 'thread')} · "
        f"{counted(info['replies'], 'reply').replace('replys', 'replies')} "
        f"({info['replies_with_parent']:,} with their parent) · {counted(info['placeholders'], 'placeholder')} "
        f"(referenced, not collected) · {counted(info['import_errors'], 'import error')}"
    )


class MainWindow(QMainWindow):
    """Shows one project at a time, read-only for now."""

    def __init__(self) -> None:
        super().__init__()
        self.project: Project | None = None
        self.model: PostsModel | None = None
        self.table = QTableView(self)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.setCentralWidget(self.table)
        self.status_label = QLabel("No project open. Use File › Open Project…", self)
        self.statusBar().addPermanentWidget(self.status_label, 1)
        self._build_menus()
        self.setWindowTitle(WINDOW_TITLE)
        self.resize(1280, 800)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        open_action = QAction("&Open Project…", self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self._choose_project)
        file_menu.addAction(open_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

    def _choose_project(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a Threadcoder project")
        if folder:
            self.open_project(Path(folder))

    def open_project(self, folder: Path) -> bool:
        """Show the project in ``folder``; a problem is shown as a message, never raised."""
        try:
            project = Project(folder, writable=False)
        except (ThreadcoderError, sqlite3.Error) as error:
            QMessageBox.warning(self, WINDOW_TITLE, f"Cannot open the project.\n\n{error}")
            return False
        self.close_project()
        self.project = project
        self.model = PostsModel(project.db.conn, self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        header.setSectionResizeMode(Column.TEXT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((Column.CREATED, 150), (Column.AUTHOR, 150), (Column.TYPE, 70), (Column.LANG, 50)):
            self.table.setColumnWidth(column, width)
        self.status_label.setText(status_text(project_info(project.db)))
        self.setWindowTitle(f"{folder.name} — {WINDOW_TITLE}")
        return True

    def close_project(self) -> None:
        if self.project is None:
            return
        self.table.setModel(None)
        if self.model is not None:
            self.model.deleteLater()
        self.model = None
        self.project.close()
        self.project = None

    def closeEvent(self, event: object) -> None:
        self.close_project()
        super().closeEvent(event)  # type: ignore[arg-type]
