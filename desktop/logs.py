"""The app's log file: unexpected errors are written here with their traceback, never shown raw."""

from __future__ import annotations

import io
import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import cast

from archive.store.permissions import make_private, private_folder, private_opener
from desktop.paths import data_dir

LOG_NAME = "threadcoder.log"
BACKUP_COUNT = 3


def log_path() -> Path:
    return data_dir() / LOG_NAME


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose every file is readable by the user only: a traceback can quote a post."""

    def _open(self) -> io.TextIOWrapper:
        # Rotation renames the file (its mode goes with it) and opens a new one here: 0600 from the start.
        handle = open(  # noqa: SIM115 - the handler owns it and closes it
            self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors, opener=private_opener
        )
        return cast(io.TextIOWrapper, handle)  # text mode: what FileHandler opens too


def setup_logging() -> Path:
    """Send warnings and errors to a rotating file in the user's data folder; returns its path."""
    path = log_path()
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in root.handlers):
        private_folder(path.parent)
        for old in (path, *(path.with_name(f"{path.name}.{n}") for n in range(1, BACKUP_COUNT + 1))):
            if old.exists():  # written by a version that left logs readable by everyone
                make_private(old)
        handler = PrivateRotatingFileHandler(path, maxBytes=1_000_000, backupCount=BACKUP_COUNT, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    return path
