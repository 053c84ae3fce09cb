"""SQL helpers every part of the store shares: rows as dicts, and ``IN (...)`` lists cut to SQLite's limits."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

Row = dict[str, Any]
T = TypeVar("T")

SQL_CHUNK = 900  # host parameters per statement: stays under old SQLite builds' limit of 999


def chunks(items: Sequence[T], size: int = SQL_CHUNK) -> Iterator[Sequence[T]]:
    """``items`` in slices small enough to bind as one statement's parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(count: int) -> str:
    """The ``?, ?, ?`` placeholder list for ``count`` parameters."""
    return ", ".join("?" * count)


def fetch_row(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> Row | None:
    """The first row of a query as a dict of column name to value, or None."""
    cursor = conn.execute(sql, params)
    values = cursor.fetchone()
    if values is None:
        return None
    return dict(zip((d[0] for d in cursor.description), values, strict=True))


def fetch_rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[Row]:
    """Every row of a query as a dict of column name to value."""
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor]
