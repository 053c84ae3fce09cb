"""The gold standard: one final value per post and code or variable, with an append-only audit trail.

Gold values live in their own tables (``gold``, ``gold_log``); the independent codings and completion are
never touched, so reliability is always computed on the coders' own work. Every decision, replacement and
withdrawal is one transaction that writes the gold row, a log entry (the row before and after, who, when
and why) and an ``index_queue`` row for the post.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from archive.adjudication.values import current_values
from archive.agreement.targets import NONE, Target, find_target
from archive.coding.coders import active_coder
from archive.coding.codings import require_post
from archive.coding.errors import CodingError
from archive.coding.history import codebook_version
from archive.reliability.data import Label
from archive.store.clock import now
from archive.store.index_queue import queue_posts
from archive.store.sql import Row, fetch_row

METHODS = ("unanimous", "majority", "adjudicated", "consensus_meeting")
MANUAL_METHODS = ("adjudicated", "consensus_meeting")
_COLUMNS = (
    "post_id",
    "code_id",
    "value_code_id",
    "present",
    "method",
    "adjudicator_id",
    "rationale",
    "coder_values",
    "codebook_version",
    "resolved_at",
)
_SELECT = (
    "SELECT g.post_id, t.name, t.exclusive, g.present, v.name, g.method, k.name, g.rationale, g.coder_values, "
    "g.codebook_version, g.resolved_at FROM gold g JOIN codes t ON t.id = g.code_id "
    "LEFT JOIN codes v ON v.id = g.value_code_id JOIN coders k ON k.id = g.adjudicator_id"
)


class AdjudicationError(CodingError):
    """A decision that cannot be recorded as asked (no reason given, unknown value, nothing to withdraw)."""


@dataclass(frozen=True)
class GoldValue:
    """The final value of one code (1/0) or variable (a value's name, or NONE) on one post."""

    post_id: str
    target: str
    kind: str  # "code" or "variable"
    value: Label
    method: str  # unanimous, majority, adjudicated, consensus_meeting
    adjudicator: str
    rationale: str
    coder_values: dict[str, Label]  # each coder's value when the decision was made
    codebook_version: int
    resolved_at: str


@dataclass(frozen=True)
class GoldLogEntry:
    """One line of the audit trail: a decision made, replaced or withdrawn."""

    id: int
    at: str
    post_id: str
    target: str
    action: str  # set, replace, clear
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    by: str
    reason: str


def adjudicate(
    db: Database,
    post_id: str,
    target_name: str,
    value: str,
    adjudicator_id: int,
    reason: str,
    *,
    method: str = "adjudicated",
) -> GoldValue:
    """Record the final value of a code or variable on a post, with the reason; replaces an earlier one.

    ``value`` is 1/0 (yes/no, present/absent) for a code, and a value's name or "none" for a variable.
    """
    if method not in MANUAL_METHODS:
        raise AdjudicationError(f"'{method}' is not a way to decide by hand: use {' or '.join(MANUAL_METHODS)}")
    if not reason.strip():
        raise AdjudicationError("give the reason for the decision (it is kept in the audit trail)")
    with db.atomic():
        conn = db.conn
        active_coder(conn, adjudicator_id)
        require_post(conn, post_id)
        target = find_target(conn, target_name)
        present, value_id = target.parse(value)
        row = gold_row(conn, post_id, target, present, value_id, method, adjudicator_id, reason.strip())
        write_gold(conn, row, adjudicator_id, reason.strip())
        queue_posts(conn, [post_id])
    found = get_gold(db.conn, post_id, target.name)
    assert found is not None
    return found


def clear_gold(db: Database, post_id: str, target_name: str, adjudicator_id: int, reason: str) -> GoldValue:
    """Withdraw a gold value (the post is open again); the audit trail keeps what it was. Returns it."""
    if not reason.strip():
        raise AdjudicationError("give the reason for withdrawing the decision (it is kept in the audit trail)")
    with db.atomic():
        conn = db.conn
        active_coder(conn, adjudicator_id)
        target = find_target(conn, target_name)
        before = get_gold(conn, post_id, target.name)
        stored = _stored(conn, post_id, target.code.id)
        if before is None or stored is None:
            raise AdjudicationError(f"no gold value of '{target.name}' on {post_id} to withdraw")
        conn.execute("DELETE FROM gold WHERE post_id = ? AND code_id = ?", (post_id, target.code.id))
        _log(conn, post_id, target.code.id, "clear", stored, None, adjudicator_id, reason.strip())
        queue_posts(conn, [post_id])
    return before


def gold_row(
    conn: sqlite3.Connection,
    post_id: str,
    target: Target,
    present: int | None,
    value_id: int | None,
    method: str,
    adjudicator_id: int,
    rationale: str,
    coder_values: Mapping[str, Label] | None = None,
) -> Row:
    """A gold row ready to write; the coders' values are read now unless given."""
    values = current_values(conn, post_id, target) if coder_values is None else coder_values
    return {
        "post_id": post_id,
        "code_id": target.code.id,
        "value_code_id": value_id,
        "present": present,
        "method": method,
        "adjudicator_id": adjudicator_id,
        "rationale": rationale,
        "coder_values": json.dumps(values, ensure_ascii=False, sort_keys=True),
        "codebook_version": codebook_version(conn),
        "resolved_at": now(),
    }


def write_gold(conn: sqlite3.Connection, row: Row, by: int, reason: str) -> None:
    """Insert or replace a gold row and log it, inside the caller's transaction."""
    before = _stored(conn, row["post_id"], row["code_id"])
    conn.execute(
        f"INSERT OR REPLACE INTO gold ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
        [row[c] for c in _COLUMNS],
    )
    _log(conn, row["post_id"], row["code_id"], "set" if before is None else "replace", before, row, by, reason)


def _stored(conn: sqlite3.Connection, post_id: str, code_id: int) -> Row | None:
    return fetch_row(conn, "SELECT * FROM gold WHERE post_id = ? AND code_id = ?", (post_id, code_id))


def _log(
    conn: sqlite3.Connection,
    post_id: str,
    code_id: int,
    action: str,
    before: Row | None,
    after: Row | None,
    by: int,
    reason: str,
) -> None:
    conn.execute(
        "INSERT INTO gold_log (post_id, code_id, action, before, after, coder_id, at, reason) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (post_id, code_id, action, _json(before), _json(after), by, now(), reason),
    )


def _json(row: Row | None) -> str | None:
    return None if row is None else json.dumps(row, ensure_ascii=False, sort_keys=True)


def get_gold(conn: sqlite3.Connection, post_id: str, target_name: str) -> GoldValue | None:
    """The gold value of a code or variable on a post, or None while it is open."""
    target = find_target(conn, target_name)
    row = conn.execute(f"{_SELECT} WHERE g.post_id = ? AND g.code_id = ?", (post_id, target.code.id)).fetchone()
    return None if row is None else _gold(row)


def post_gold(conn: sqlite3.Connection, post_id: str) -> dict[str, GoldValue]:
    """Every gold value on one post, by target name."""
    rows = conn.execute(f"{_SELECT} WHERE g.post_id = ?", (post_id,))
    return {gold.target: gold for gold in map(_gold, rows)}


def gold_values(conn: sqlite3.Connection) -> Iterator[GoldValue]:
    """Every gold value, by post, streamed."""
    for row in conn.execute(f"{_SELECT} ORDER BY g.post_id, t.id"):
        yield _gold(row)


def _gold(row: tuple[Any, ...]) -> GoldValue:
    post_id, target, exclusive, present, value_name, method, adjudicator, rationale, values, version, at = row
    value: Label = (value_name or NONE) if exclusive else int(present)
    kind = "variable" if exclusive else "code"
    return GoldValue(post_id, target, kind, value, method, adjudicator, rationale, json.loads(values), version, at)


def gold_log(conn: sqlite3.Connection, post_id: str | None = None) -> Iterator[GoldLogEntry]:
    """The audit trail, oldest first (one post's, or all)."""
    sql = (
        "SELECT l.id, l.at, l.post_id, codes.name, l.action, l.before, l.after, coders.name, l.reason "
        "FROM gold_log l JOIN codes ON codes.id = l.code_id JOIN coders ON coders.id = l.coder_id"
    )
    params: list[str] = []
    if post_id is not None:
        sql, params = sql + " WHERE l.post_id = ?", [post_id]
    for id_, at, post, target, action, before, after, by, reason in conn.execute(sql + " ORDER BY l.id", params):
        yield GoldLogEntry(id_, at, post, target, action, _load(before), _load(after), by, reason)


def _load(text: str | None) -> dict[str, Any] | None:
    return None if text is None else dict(json.loads(text))
