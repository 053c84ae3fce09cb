"""Starts the Qt application and the main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.logs import setup_logging
from ui.main_window import MainWindow


def _report_bug(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    """Log an unexpected error with its traceback and tell the user in words; the app keeps running."""
    log_file = setup_logging()
    logging.getLogger("threadcoder").error("unexpected error", exc_info=(kind, error, trace))
    QMessageBox.critical(
        None,
        "Threadcoder",
        f"Something went wrong: {error}\n\nYour data is safe: every change is saved as it is made.\n"
        f"Details are in {log_file}",
    )


def run_gui(project: Path | None) -> int:
    """Run the app until its window closes; opens ``project`` when given."""
    setup_logging()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Threadcoder")
    sys.excepthook = _report_bug
    window = MainWindow()
    if project is not None:
        window.open_project(project)
    window.show()
    return int(app.exec())
