"""A post's coding state as the search index holds it: codes, coders, code-coder pairs, completion.

The indexer reads it while draining the ``index_queue``; views filter it by viewer at search time. Names
are lower-cased: code and coder names are unique regardless of case, so nothing is lost.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from archive.store.sql import chunks, marks


@dataclass(frozen=True, slots=True)
class CodingFields:
    """The coding state of one post, across all coders (the index stores it all; views filter by viewer)."""

    codes: tuple[str, ...]  # names of the codes any coder applied
    coders: tuple[str, ...]  # coders who applied at least one code
    code_coder: tuple[str, ...]  # "code|coder" pairs (coder names never contain "|")
    completed_by: tuple[str, ...]  # coders who finished the post, "coded, no code applies" included


def coding_fields(conn: sqlite3.Connection, post_ids: Sequence[str]) -> dict[str, CodingFields]:
    """The coding fields of each post that has any coding or completion; posts with none are left out."""
    pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    completed: dict[str, set[str]] = defaultdict(set)
    unique_ids = sorted(set(post_ids))
    for chunk in chunks(unique_ids):
        sql = (
            "SELECT codings.post_id, codes.name, coders.name FROM codings "
            "JOIN codes ON codes.id = codings.code_id JOIN coders ON coders.id = codings.coder_id "
            f"WHERE codings.post_id IN ({marks(len(chunk))})"
        )
        for post_id, code, coder in conn.execute(sql, chunk):
            pairs[post_id].add((code.lower(), coder.lower()))
        sql = (
            "SELECT coder_status.post_id, coders.name FROM coder_status "
            f"JOIN coders ON coders.id = coder_status.coder_id WHERE coder_status.post_id IN ({marks(len(chunk))})"
        )
        for post_id, coder in conn.execute(sql, chunk):
            completed[post_id].add(coder.lower())
    return {post_id: _fields(pairs[post_id], completed[post_id]) for post_id in sorted(pairs.keys() | completed.keys())}


def _fields(pairs: set[tuple[str, str]], completed: set[str]) -> CodingFields:
    return CodingFields(
        codes=tuple(sorted({code for code, _ in pairs})),
        coders=tuple(sorted({coder for _, coder in pairs})),
        code_coder=tuple(sorted(f"{code}|{coder}" for code, coder in pairs)),
        completed_by=tuple(sorted(completed)),
    )


def code_names(conn: sqlite3.Connection) -> tuple[str, ...]:
    """Every code's name, retired ones too (their codings can still be searched), to check a query's codes."""
    return tuple(str(row[0]) for row in conn.execute("SELECT name FROM codes ORDER BY id"))
