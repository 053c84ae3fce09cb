"""Starts the Qt application and the main window, with the user's settings, log file and CSV presets."""

from __future__ import annotations

import logging
import os
import sys
from importlib import resources
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from app.demo import open_demo_project
from desktop.display import missing_display
from desktop.logs import setup_logging
from desktop.paths import csv_presets_file, demo_project_dir, settings_file
from ui.window.main_window import MainWindow


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


STARTER_CODEBOOKS = {
    "Men in #MeToo: participation and reactions": "metoo-men.json",
    "Blank template": "blank-template.json",
}


def starter_codebooks() -> dict[str, Path]:
    """The codebooks shipped with the app, by the name the Coding menu shows."""
    folder = resources.files("resources") / "codebooks"
    return {label: Path(str(folder / name)) for label, name in STARTER_CODEBOOKS.items()}


def make_window() -> MainWindow:
    """The main window wired to this user's folders (settings, CSV mapping presets, log, demo)."""
    settings = QSettings(str(settings_file()), QSettings.Format.IniFormat)
    return MainWindow(
        settings,
        csv_presets=csv_presets_file(),
        log_file=setup_logging(),
        make_demo=lambda: open_demo_project(demo_project_dir()).folder,
        starter_codebooks=starter_codebooks(),
    )


def run_gui(project: Path | None) -> int:
    """Run the app until its window closes; opens ``project`` when given."""
    problem = missing_display(os.environ)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    setup_logging()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Threadcoder")
    sys.excepthook = _report_bug
    window = make_window()
    window.show()
    if project is not None:
        window.open_project(project)
    return int(app.exec())
