"""Launch the app on a project as a user would, wait until it has settled, close it: one run of the launch soak.

Exits 0 when the window opened the project, listed its posts and closed cleanly; a crash in Qt or SQLite
(an abort, a segmentation fault) shows as the process's signal in ``scripts/soak``, with the
faulthandler's traceback on standard error.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("project", type=Path)
    parser.add_argument("--settle", type=float, default=30.0, help="seconds to wait for the jobs to finish")
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from desktop.gui import make_window

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = make_window()
    window.show()
    if not window.open_project(args.project):
        return 2
    deadline = time.monotonic() + args.settle
    while (window.runner.busy or window.lists.reader.busy) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    listed = window.model is not None and window.model.rowCount() > 0
    window.close()
    app.processEvents()
    return 0 if listed else 3


if __name__ == "__main__":
    sys.exit(main())
