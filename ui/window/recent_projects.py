"""The recently opened projects, newest first, kept in the app's settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

KEY = "recentProjects"
LIMIT = 8


class RecentProjects:
    """A short most-recent-first list of project folders; folders that are gone are dropped when read."""

    def __init__(self, settings: QSettings, limit: int = LIMIT) -> None:
        self._settings = settings
        self._limit = limit

    def paths(self) -> list[Path]:
        stored = self._settings.value(KEY, [])
        # An INI file gives back a one-element list as a plain string.
        names = [stored] if isinstance(stored, str) else [str(n) for n in stored] if isinstance(stored, list) else []
        return [Path(name) for name in names if Path(name).is_dir()]

    def add(self, folder: Path) -> None:
        folder = folder.resolve()
        kept = [p for p in self.paths() if p != folder]
        self._store([folder, *kept][: self._limit])

    def remove(self, folder: Path) -> None:
        self._store([p for p in self.paths() if p != folder.resolve()])

    def clear(self) -> None:
        self._store([])

    def _store(self, paths: list[Path]) -> None:
        self._settings.setValue(KEY, [str(p) for p in paths])
        self._settings.sync()
