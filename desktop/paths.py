"""Where Threadcoder keeps per-user files: the demo project, settings, CSV mapping presets."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Threadcoder"


def data_dir() -> Path:
    """The user's data folder (``THREADCODER_DATA_DIR`` overrides it, for tests and portable installs)."""
    override = os.environ.get("THREADCODER_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    override = os.environ.get("THREADCODER_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def demo_project_dir() -> Path:
    return data_dir() / "demo.threadcoder"


def csv_presets_file() -> Path:
    return config_dir() / "csv-mappings.json"


def settings_file() -> Path:
    """The app's settings (recent projects, last coder, font size), an INI file so it is the same everywhere."""
    return config_dir() / "settings.ini"
