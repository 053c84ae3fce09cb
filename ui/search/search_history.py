"""The recent searches of a project: the last distinct queries run in it, newest first, kept in the user's settings.

They live in the settings (keyed by the project folder) rather than in the project: they are one user's
habit, not part of the shared record; a project opened read-only still gets them; and running a search
never has to write the project. Saved searches, which are meant to be shared, live in the project
(``index.saved``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

from app.search_run import SORT_LABELS

KEY = "recentSearches"
LIMIT = 20


@dataclass(frozen=True, slots=True)
class RecentSearch:
    """A query as it was run, with its order."""

    query: str
    sort: str = "relevance"


def same_query(first: str, second: str) -> bool:
    """Whether two queries are the same search typed with different spacing."""
    return first.split() == second.split()


def remembered(recent: list[RecentSearch], query: str, sort: str, limit: int = LIMIT) -> list[RecentSearch]:
    """``recent`` with ``query`` on top: running a query again moves it up instead of listing it twice."""
    kept = [entry for entry in recent if not same_query(entry.query, query)]
    return [RecentSearch(query, sort), *kept][:limit]


def _parsed(stored: object) -> list[RecentSearch]:
    """The entries of a stored value; anything unreadable (an edited settings file) is left out, never raised."""
    try:
        data = json.loads(stored) if isinstance(stored, str) else []
    except ValueError:
        return []
    entries = data if isinstance(data, list) else []
    return [
        RecentSearch(str(entry["query"]), entry.get("sort", "relevance"))
        for entry in entries
        if isinstance(entry, dict) and entry.get("query") and entry.get("sort", "relevance") in SORT_LABELS
    ]


class RecentSearches:
    """The recent searches of one project folder, read from and written to ``settings`` at once."""

    def __init__(self, settings: QSettings, folder: Path, limit: int = LIMIT) -> None:
        self._settings = settings
        self._limit = limit
        # The same form of key as the remembered coder (ui.coding.coding_controller): a project's settings
        # sit together.
        self.key = f"{KEY}/{folder.resolve()}"

    def entries(self) -> list[RecentSearch]:
        return _parsed(self._settings.value(self.key))[: self._limit]

    def add(self, query: str, sort: str) -> None:
        query = query.strip()
        if query:
            self._store(remembered(self.entries(), query, sort, self._limit))

    def clear(self) -> None:
        self._settings.remove(self.key)
        self._settings.sync()

    def _store(self, entries: list[RecentSearch]) -> None:
        # One JSON string: a QSettings list of one element comes back from an INI file as a plain string.
        self._settings.setValue(self.key, json.dumps([asdict(entry) for entry in entries], ensure_ascii=False))
        self._settings.sync()
