"""Coder profiles: every coding, memo and status change is attributed to one of them."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from sqlite_utils import Database

from archive.coding.errors import CodingError
from archive.store.clock import now

# Names appear in search queries (coder:ana) and in "code|coder" index terms: one word, no "|".
_NAME = re.compile(r"[^\W_][\w.\-]*")
_COLUMNS = "id, name, full_name, created_at, retired_at"


@dataclass(frozen=True, slots=True)
class Coder:
    """A person who codes; ``name`` is short and unique regardless of case (e.g. "ana")."""

    id: int
    name: str
    full_name: str
    created_at: str
    retired_at: str | None

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


def check_coder_name(name: str) -> str:
    """The name, stripped, or a CodingError saying what a coder name may hold."""
    name = name.strip()
    if not _NAME.fullmatch(name) or len(name) > 64:
        raise CodingError(
            f"'{name}' is not a coder name: use one word of letters, digits, '.', '-' or '_' (e.g. ana or j.smith)"
        )
    return name


def add_coder(db: Database, name: str, full_name: str = "") -> Coder:
    """Create a coder profile; names are unique regardless of case."""
    name = check_coder_name(name)
    with db.atomic():
        if find_coder(db.conn, name) is not None:
            raise CodingError(f"there is already a coder named '{name}'")
        cursor = db.conn.execute(
            "INSERT INTO coders (name, full_name, created_at) VALUES (?, ?, ?)", (name, full_name.strip(), now())
        )
        assert cursor.lastrowid is not None
        return get_coder(db.conn, cursor.lastrowid)


def ensure_coder(db: Database, name: str) -> tuple[Coder, bool]:
    """The coder with this name, created when missing; the flag says whether it was created."""
    found = find_coder(db.conn, check_coder_name(name))
    if found is not None:
        return found, False
    return add_coder(db, name), True


def get_coder(conn: sqlite3.Connection, coder_id: int) -> Coder:
    row = conn.execute(f"SELECT {_COLUMNS} FROM coders WHERE id = ?", (coder_id,)).fetchone()
    if row is None:
        raise CodingError(f"no coder with id {coder_id}")
    return Coder(*row)


def find_coder(conn: sqlite3.Connection, name: str) -> Coder | None:
    """The coder with this name, compared without case (also beyond ASCII), or None."""
    wanted = name.strip().lower()
    for row in conn.execute(f"SELECT {_COLUMNS} FROM coders"):
        if row[1].lower() == wanted:
            return Coder(*row)
    return None


def require_coder(conn: sqlite3.Connection, name: str) -> Coder:
    """The coder with this name, or a CodingError that says how to add one."""
    coder = find_coder(conn, name)
    if coder is None:
        raise CodingError(f"no coder named '{name.strip()}'; add one first (threadcoder coders PROJECT add NAME)")
    return coder


def active_coder(conn: sqlite3.Connection, coder_id: int) -> Coder:
    """The coder, refusing a retired one: retired coders keep their codings but make no new ones."""
    coder = get_coder(conn, coder_id)
    if coder.retired:
        raise CodingError(f"coder '{coder.name}' is retired")
    return coder


def list_coders(conn: sqlite3.Connection, *, include_retired: bool = False) -> list[Coder]:
    sql = f"SELECT {_COLUMNS} FROM coders" + ("" if include_retired else " WHERE retired_at IS NULL")
    return [Coder(*row) for row in conn.execute(sql + " ORDER BY name COLLATE NOCASE")]


def retire_coder(db: Database, coder_id: int) -> Coder:
    """Stop a coder from coding further; their codings, memos and undo log stay."""
    with db.atomic():
        get_coder(db.conn, coder_id)
        db.conn.execute("UPDATE coders SET retired_at = ? WHERE id = ? AND retired_at IS NULL", (now(), coder_id))
        return get_coder(db.conn, coder_id)
