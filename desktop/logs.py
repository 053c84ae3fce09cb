"""The app's log file: unexpected errors are written here with their traceback, never shown raw."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from desktop.paths import data_dir

LOG_NAME = "threadcoder.log"


def log_path() -> Path:
    return data_dir() / LOG_NAME


def setup_logging() -> Path:
    """Send warnings and errors to a rotating file in the user's data folder; returns its path."""
    path = log_path()
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in root.handlers):
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    return path
