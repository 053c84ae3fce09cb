"""Starts the Qt application and the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from ui.main_window import MainWindow


def run_gui(project: Path | None) -> int:
    """Run the app until its window closes; opens ``project`` when given."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Threadcoder")
    window = MainWindow()
    if project is not None:
        window.open_project(project)
    window.show()
    return int(app.exec())
