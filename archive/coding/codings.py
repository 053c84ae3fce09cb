"""Applying codes to posts: whole posts or spans of their text, variables replacing their other value."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from archive.coding.blind import visibility_clause
from archive.coding.codebook import Code, get_code, sub_codes, variable_of
from archive.coding.coders import active_coder
from archive.coding.errors import CodingError
from archive.coding.history import codebook_version
from archive.coding.undo import Action, ActionResult, action
from archive.store.clock import now
from archive.store.sql import marks

Span = tuple[int, int]  # [start, end) in characters (code points) of the post's stored text

_SELECT = (
    "SELECT codings.id, post_id, code_id, codes.name, coder_id, coders.name, span_start, span_end, "
    "codebook_version, codings.created_at, origin FROM codings "
    "JOIN codes ON codes.id = codings.code_id JOIN coders ON coders.id = codings.coder_id"
)


@dataclass(frozen=True, slots=True)
class Coding:
    """One code applied by one coder to a post or to a span of its text."""

    id: int
    post_id: str
    code_id: int
    code: str
    coder_id: int
    coder: str
    span: Span | None  # None: the whole post
    codebook_version: int  # the codebook version it was made under
    created_at: str
    origin: str  # "" when made here; "import:<file>" or "package:<file>" when merged in


def _coding(row: tuple[Any, ...]) -> Coding:
    (id_, post_id, code_id, code, coder_id, coder, start, end, version, created, origin) = row
    span = None if start is None else (start, end)
    return Coding(id_, post_id, code_id, code, coder_id, coder, span, version, created, origin)


def find_coding(conn: sqlite3.Connection, post_id: str, coder_id: int, code_id: int, span: Span | None) -> int | None:
    """The id of the coder's coding of this code on this post (or span), or None."""
    start, end = span if span is not None else (None, None)
    row = conn.execute(
        "SELECT id FROM codings WHERE post_id = ? AND coder_id = ? AND code_id = ? "
        "AND span_start IS ? AND span_end IS ?",
        (post_id, coder_id, code_id, start, end),
    ).fetchone()
    return None if row is None else int(row[0])


def require_post(conn: sqlite3.Connection, post_id: str) -> str:
    """The post's text, or a CodingError when there is no such post to code (placeholders have none)."""
    row = conn.execute("SELECT kind, text FROM posts WHERE id = ?", (post_id,)).fetchone()
    if row is None:
        raise CodingError(f"no post '{post_id}' in this project{_id_hint(conn, post_id)}")
    if row[0] == "placeholder":
        raise CodingError(f"'{post_id}' was only referenced, never collected; there is nothing to code")
    return str(row[1])


def _id_hint(conn: sqlite3.Connection, post_id: str) -> str:
    """For an id given without its platform: the ids it could mean, or what ids look like."""
    if ":" in post_id:
        return ""
    platforms = [row[0] for row in conn.execute("SELECT DISTINCT platform FROM posts ORDER BY platform")]
    # Ids are "platform:native": each guess is one primary-key look-up.
    meant = [
        f"{p}:{post_id}"
        for p in platforms
        if conn.execute("SELECT 1 FROM posts WHERE id = ?", (f"{p}:{post_id}",)).fetchone()
    ]
    if meant:
        return f"; ids start with their platform: did you mean {' or '.join(repr(m) for m in meant)}?"
    example = f"{platforms[0]}:{post_id}" if platforms else f"twitter:{post_id}"
    return f"; ids start with their platform, like '{example}'"


def apply_code(db: Database, post_id: str, code_id: int, coder_id: int, *, span: Span | None = None) -> ActionResult:
    """Apply a code; a value of a variable replaces the coder's other value on that post."""
    with action(db, coder_id, "coding", "") as act:
        code = get_code(act.conn, code_id)
        act.label = f"apply '{code.name}' to {post_id}"
        add_coding(act, post_id, code, span)
    return act.result


def remove_code(db: Database, post_id: str, code_id: int, coder_id: int, *, span: Span | None = None) -> ActionResult:
    """Remove the coder's coding of this code on this post (or on this span)."""
    with action(db, coder_id, "coding", "") as act:
        code = get_code(act.conn, code_id)
        act.label = f"remove '{code.name}' from {post_id}"
        coding_id = find_coding(act.conn, post_id, coder_id, code_id, span)
        if coding_id is not None:
            act.delete("codings", {"id": coding_id})
    return act.result


def toggle_code(db: Database, post_id: str, code_id: int, coder_id: int) -> ActionResult:
    """Apply the code to the whole post, or remove it if the coder had applied it: one key, both ways."""
    if find_coding(db.conn, post_id, coder_id, code_id, None) is not None:
        return remove_code(db, post_id, code_id, coder_id)
    return apply_code(db, post_id, code_id, coder_id)


def add_coding(
    act: Action, post_id: str, code: Code, span: Span | None = None, *, origin: str = "", version: int | None = None
) -> bool:
    """Apply a code inside a running action (imports use this); False when the coder had it already."""
    conn = act.conn
    active_coder(conn, act.coder_id)
    text = require_post(conn, post_id)
    if code.retired or not code.codable:
        state = "retired" if code.retired else "a category that is not applied itself"
        raise CodingError(f"'{code.name}' is {state}")
    variable = variable_of(conn, code)
    if span is not None:
        _check_span(span, text, code, variable)
    if find_coding(conn, post_id, act.coder_id, code.id, span) is not None:
        return False
    if variable is not None:
        _remove_other_values(act, post_id, variable, code)
    row = {
        "post_id": post_id,
        "code_id": code.id,
        "coder_id": act.coder_id,
        "span_start": None if span is None else span[0],
        "span_end": None if span is None else span[1],
        "codebook_version": codebook_version(conn) if version is None else version,
        "created_at": now(),
        "origin": origin,
    }
    act.insert("codings", row)
    return True


def _check_span(span: Span, text: str, code: Code, variable: Code | None) -> None:
    if variable is not None:
        raise CodingError(f"'{code.name}' is a value of '{variable.name}', which applies to whole posts only")
    start, end = span
    if not 0 <= start < end <= len(text):
        raise CodingError(f"span {start}..{end} does not fit the post's text of {len(text)} characters")


def _remove_other_values(act: Action, post_id: str, variable: Code, keep: Code) -> None:
    others = [c.id for c in sub_codes(act.conn, variable.id, include_retired=True) if c.id != keep.id]
    if not others:
        return
    rows = act.conn.execute(
        f"SELECT id FROM codings WHERE post_id = ? AND coder_id = ? AND code_id IN ({marks(len(others))})",
        [post_id, act.coder_id, *others],
    ).fetchall()
    for row in rows:
        act.delete("codings", {"id": row[0]})


def post_codings(conn: sqlite3.Connection, post_id: str, viewer_id: int | None) -> list[Coding]:
    """The codings on a post that the viewer may see (blind mode: only their own), oldest first."""
    where, params = visibility_clause(conn, viewer_id, "codings.coder_id")
    sql = f"{_SELECT} WHERE post_id = ? AND {where} ORDER BY codings.id"
    return [_coding(row) for row in conn.execute(sql, [post_id, *params])]


def coder_codings(conn: sqlite3.Connection, coder_id: int) -> list[Coding]:
    """All of one coder's codings, by post then age (their own work, so never hidden)."""
    sql = f"{_SELECT} WHERE coder_id = ? ORDER BY post_id, codings.id"
    return [_coding(row) for row in conn.execute(sql, (coder_id,))]


def all_codings(conn: sqlite3.Connection) -> list[Coding]:
    """Every coding of every coder: the project's view, for exports and reliability (not for a coder's eyes)."""
    return [_coding(row) for row in conn.execute(f"{_SELECT} ORDER BY post_id, coders.name, codings.id")]


def code_counts(conn: sqlite3.Connection, viewer_id: int | None) -> dict[int, int]:
    """How many posts carry each code, counting only codings the viewer may see."""
    where, params = visibility_clause(conn, viewer_id, "coder_id")
    sql = f"SELECT code_id, count(DISTINCT post_id) FROM codings WHERE {where} GROUP BY code_id"
    return {code_id: count for code_id, count in conn.execute(sql, params)}
