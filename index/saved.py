"""Saved searches, kept in the project: a JSON object under the ``saved_searches`` key of ``meta``."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlite_utils import Database

from archive.errors import ThreadcoderError
from index.parser import parse
from index.search import SORTS

META_KEY = "saved_searches"


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A named query and the order its results are shown in."""

    name: str
    query: str
    sort: str = "relevance"
    saved_at: str = ""


def saved_searches(conn: sqlite3.Connection) -> list[SavedSearch]:
    """All saved searches, by name."""
    return [SavedSearch(**entry) for _, entry in sorted(_load(conn).items(), key=lambda item: item[0].casefold())]


def get_saved(conn: sqlite3.Connection, name: str) -> SavedSearch:
    """The saved search called ``name`` (names ignore case); a clear error listing the others if none."""
    for entry in saved_searches(conn):
        if entry.name.casefold() == name.casefold():
            return entry
    names = ", ".join(entry.name for entry in saved_searches(conn)) or "none yet"
    raise ThreadcoderError(f"no saved search called '{name}' (saved searches: {names})")


def save_search(db: Database, name: str, query: str, sort: str = "relevance") -> SavedSearch:
    """Save (or replace) a search; the query must parse, so a saved search always runs."""
    name = name.strip()
    if not name:
        raise ThreadcoderError("a saved search needs a name")
    if sort not in SORTS:
        raise ThreadcoderError(f"unknown sort '{sort}'; use one of {', '.join(SORTS)}")
    parse(query)  # raises QuerySyntaxError with the position of the problem
    saved = SavedSearch(name, query, sort, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    with db.atomic():
        entries = {key: value for key, value in _load(db.conn).items() if key.casefold() != name.casefold()}
        entries[name] = asdict(saved)
        _store(db.conn, entries)
    return saved


def delete_saved(db: Database, name: str) -> None:
    """Forget a saved search; an error if there is none of that name."""
    saved = get_saved(db.conn, name)
    with db.atomic():
        entries = _load(db.conn)
        entries.pop(saved.name, None)
        _store(db.conn, entries)


def _load(conn: sqlite3.Connection) -> dict[str, dict[str, str]]:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()
    if row is None or not row[0]:
        return {}
    try:
        data = json.loads(row[0])
    except ValueError as error:
        raise ThreadcoderError(f"the saved searches of this project cannot be read ({error})") from error
    if not isinstance(data, dict):
        raise ThreadcoderError("the saved searches of this project cannot be read (not a JSON object)")
    fields = set(SavedSearch.__dataclass_fields__)
    return {
        name: {key: str(value) for key, value in entry.items() if key in fields} | {"name": name}
        for name, entry in data.items()
        if isinstance(entry, dict) and "query" in entry
    }


def _store(conn: sqlite3.Connection, entries: dict[str, dict[str, str]]) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (META_KEY, json.dumps(entries, ensure_ascii=False, sort_keys=True)),
    )
