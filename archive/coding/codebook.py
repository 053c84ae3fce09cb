"""The project's codebook as read: codes in their hierarchy, variables (exclusive groups) and the version.

A code whose ``exclusive`` flag is set is a *variable*: its direct sub-codes are mutually exclusive values
(a coder gives a post at most one of them) and it is not applied itself. Every other code is an
independent present/absent code.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from archive.coding.errors import CodingError

_COLUMNS = (
    "id, guid, name, parent_id, position, exclusive, codable, description, inclusion, exclusion, examples, "
    "color, shortcut, created_at, retired_at, successors"
)


@dataclass(frozen=True, slots=True)
class Code:
    """One code of the codebook, with its definition and criteria."""

    id: int
    guid: str
    name: str
    parent_id: int | None
    position: int
    exclusive: bool  # its sub-codes are the mutually exclusive values of one variable
    codable: bool  # False for categories that only group sub-codes
    description: str  # the definition
    inclusion: str  # when to apply it
    exclusion: str  # when not to, and which code to use instead
    examples: tuple[str, ...]
    color: str | None  # "#RRGGBB"
    shortcut: str | None
    created_at: str
    retired_at: str | None
    successors: tuple[int, ...]  # the codes it was merged or split into

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


@dataclass(frozen=True, slots=True)
class CodebookInfo:
    """The codebook as a whole: exports and reliability reports cite its name and version."""

    guid: str
    name: str
    description: str
    version: int
    updated_at: str | None

    @property
    def citation(self) -> str:
        return f"{self.name}, version {self.version}"


def _code(row: tuple[Any, ...]) -> Code:
    (
        id_,
        guid,
        name,
        parent_id,
        position,
        exclusive,
        codable,
        description,
        inclusion,
        exclusion,
        examples,
        color,
        shortcut,
        created_at,
        retired_at,
        successors,
    ) = row
    return Code(
        id_,
        guid,
        name,
        parent_id,
        position,
        bool(exclusive),
        bool(codable),
        description,
        inclusion,
        exclusion,
        tuple(json.loads(examples)),
        color,
        shortcut,
        created_at,
        retired_at,
        tuple(json.loads(successors)),
    )


def codebook_info(conn: sqlite3.Connection) -> CodebookInfo:
    row = conn.execute("SELECT guid, name, description, version, updated_at FROM codebook WHERE id = 1").fetchone()
    return CodebookInfo(*row)


def list_codes(conn: sqlite3.Connection, *, include_retired: bool = False) -> list[Code]:
    """All codes in tree order: each parent before its sub-codes, siblings by position."""
    codes = [_code(row) for row in conn.execute(f"SELECT {_COLUMNS} FROM codes")]
    kids: dict[int | None, list[Code]] = defaultdict(list)
    for code in codes:
        kids[code.parent_id].append(code)
    ordered: list[Code] = []

    def walk(parent: int | None) -> None:
        for code in sorted(kids[parent], key=lambda c: (c.position, c.id)):
            if include_retired or not code.retired:
                ordered.append(code)
                walk(code.id)

    walk(None)
    return ordered


def get_code(conn: sqlite3.Connection, code_id: int) -> Code:
    row = conn.execute(f"SELECT {_COLUMNS} FROM codes WHERE id = ?", (code_id,)).fetchone()
    if row is None:
        raise CodingError(f"no code with id {code_id}")
    return _code(row)


def find_code(conn: sqlite3.Connection, name: str) -> Code | None:
    """The code with this name (retired ones too), compared without case, or None."""
    wanted = name.strip().lower()
    row = conn.execute(f"SELECT {_COLUMNS} FROM codes WHERE lower(name) = ?", (wanted,)).fetchone()
    if row is None:  # SQLite's lower() folds ASCII only
        rows = conn.execute(f"SELECT {_COLUMNS} FROM codes").fetchall()
        row = next((r for r in rows if str(r[2]).lower() == wanted), None)
    return None if row is None else _code(row)


def find_code_by_guid(conn: sqlite3.Connection, guid: str) -> Code | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM codes WHERE lower(guid) = lower(?)", (guid.strip("{} "),)).fetchone()
    return None if row is None else _code(row)


def require_code(conn: sqlite3.Connection, name: str) -> Code:
    """The code with this name, or a CodingError naming it."""
    code = find_code(conn, name)
    if code is None:
        raise CodingError(f"no code named '{name.strip()}' in the codebook")
    return code


def sub_codes(conn: sqlite3.Connection, code_id: int, *, include_retired: bool = False) -> list[Code]:
    """The direct sub-codes of a code, by position."""
    sql = f"SELECT {_COLUMNS} FROM codes WHERE parent_id = ?" + ("" if include_retired else " AND retired_at IS NULL")
    return [_code(row) for row in conn.execute(sql + " ORDER BY position, id", (code_id,))]


def descendants(conn: sqlite3.Connection, code_id: int) -> list[int]:
    """Ids of every code below this one, retired ones included."""
    sql = (
        "WITH RECURSIVE below(id) AS (SELECT id FROM codes WHERE parent_id = ? "
        "UNION SELECT codes.id FROM codes JOIN below ON codes.parent_id = below.id) SELECT id FROM below"
    )
    return [row[0] for row in conn.execute(sql, (code_id,))]


def variable_of(conn: sqlite3.Connection, code: Code) -> Code | None:
    """The variable a code is a value of (its parent, when that parent is exclusive), or None."""
    if code.parent_id is None:
        return None
    parent = get_code(conn, code.parent_id)
    return parent if parent.exclusive else None


def code_path(conn: sqlite3.Connection, code: Code) -> str:
    """The code's place in the hierarchy, e.g. "Reactions > Support > Support for male survivors"."""
    names = [code.name]
    parent_id = code.parent_id
    while parent_id is not None:
        parent = get_code(conn, parent_id)
        names.append(parent.name)
        parent_id = parent.parent_id
    return " > ".join(reversed(names))
