"""Actions as recorded row changes: each one transaction, with a persistent per-coder undo log.

Every coding, memo and codebook action runs inside ``action(...)``: its inserts, deletes and updates go
through the ``Action``, which records each row's before and after. When the action ends, the same
transaction queues every post whose coding state changed for the search index and writes one undo-log
entry. Undo replays the changes backwards, redo forwards; both first check that the rows still look as
the entry left them, so an undo never overwrites what someone did since.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from archive.coding.errors import UndoConflictError
from archive.coding.history import record_change
from archive.store.clock import now
from archive.store.index_queue import queue_posts
from archive.store.sql import Row, fetch_row

# The tables actions may change, with their primary-key columns.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "codings": ("id",),
    "coder_status": ("post_id", "coder_id"),
    "codes": ("id",),
    "memos": ("id",),
    "codebook": ("id",),
}
_POST_TABLES = ("codings", "coder_status")  # their rows are a post's coding state
KINDS = ("coding", "codebook", "memo")


@dataclass(frozen=True, slots=True)
class Change:
    """One row change: ``before`` None is an insert, ``after`` None a delete, else the changed columns."""

    table: str
    key: Row
    before: Row | None
    after: Row | None


@dataclass(frozen=True, slots=True)
class ActionResult:
    """What an action, an undo or a redo did."""

    entry_id: int | None  # its undo-log entry; None when nothing changed
    posts: tuple[str, ...] = ()  # posts whose coding state changed (queued for the search index)

    @property
    def changed(self) -> bool:
        return self.entry_id is not None


@dataclass(frozen=True, slots=True)
class UndoEntry:
    """One action in a coder's undo log."""

    id: int
    at: str
    kind: str
    label: str
    undone: bool


@dataclass
class Action:
    """Records the row changes of one action; use it through ``action(...)``."""

    conn: sqlite3.Connection
    coder_id: int
    kind: str
    label: str
    verb: str = ""  # for codebook actions: the name in the change log (rename, merge, ...)
    changes: list[Change] = field(default_factory=list)
    extra_posts: set[str] = field(default_factory=set)
    result: ActionResult = field(default_factory=lambda: ActionResult(None))

    def insert(self, table: str, row: Mapping[str, Any]) -> Row:
        """Insert a row; returns it as stored (defaults and the new id filled in)."""
        columns = list(row)
        cursor = self.conn.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [row[c] for c in columns],
        )
        key = {"id": cursor.lastrowid} if TABLE_KEYS[table] == ("id",) else {k: row[k] for k in TABLE_KEYS[table]}
        stored = _read(self.conn, table, key)
        assert stored is not None
        self.changes.append(Change(table, key, None, stored))
        return stored

    def delete(self, table: str, key: Mapping[str, Any]) -> Row | None:
        """Delete a row by its key; returns the row deleted, or None when there was none."""
        before = _read(self.conn, table, key)
        if before is None:
            return None
        _delete(self.conn, table, key)
        self.changes.append(Change(table, dict(key), before, None))
        return before

    def update(self, table: str, key: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
        """Set some columns of a row; records only the columns whose value really changes."""
        current = _read(self.conn, table, key)
        if current is None:
            raise KeyError(f"{table} {dict(key)}")
        changed = {c: v for c, v in values.items() if current[c] != v}
        if not changed:
            return False
        _update(self.conn, table, key, changed)
        before = {c: current[c] for c in changed}
        after = dict(changed)
        if table in _POST_TABLES:  # keep the post in the record, so undo knows what to re-index
            before["post_id"] = after["post_id"] = current["post_id"]
        self.changes.append(Change(table, dict(key), before, after))
        return True

    def touch_posts(self, post_ids: Iterable[str]) -> None:
        """Queue posts for the index although no coding row of theirs changed (e.g. a renamed code)."""
        self.extra_posts.update(post_ids)

    def finish(self) -> None:
        if not self.changes:
            return
        posts = affected_posts(self.conn, self.changes) | self.extra_posts
        queue_posts(self.conn, posts)
        # A new action ends the coder's redo chain, as in every editor.
        self.conn.execute("DELETE FROM undo_log WHERE coder_id = ? AND state = 'undone'", (self.coder_id,))
        cursor = self.conn.execute(
            "INSERT INTO undo_log (coder_id, at, kind, label, changes, state) VALUES (?, ?, ?, ?, ?, 'done')",
            (self.coder_id, now(), self.kind, self.label, _encode(self.changes)),
        )
        if self.kind == "codebook":
            record_change(self.conn, self.coder_id, self.verb or "edit", self.label, change_detail(self.changes))
        self.result = ActionResult(cursor.lastrowid, tuple(sorted(posts)))


@contextmanager
def action(db: Database, coder_id: int, kind: str, label: str, verb: str = "") -> Iterator[Action]:
    """Run one action in one transaction; read ``.result`` on the yielded Action afterwards."""
    if kind not in KINDS:
        raise ValueError(f"unknown action kind {kind!r}")
    with db.atomic():
        recorder = Action(db.conn, coder_id, kind, label, verb)
        yield recorder
        recorder.finish()


def undo(db: Database, coder_id: int) -> ActionResult:
    """Undo the coder's latest action that is not undone yet; ``changed`` is False when there is none."""
    return _step(db, coder_id, backwards=True)


def redo(db: Database, coder_id: int) -> ActionResult:
    """Redo the coder's most recently undone action; ``changed`` is False when there is none."""
    return _step(db, coder_id, backwards=False)


def undo_history(conn: sqlite3.Connection, coder_id: int, limit: int = 50) -> list[UndoEntry]:
    """The coder's latest entries, newest first: what Undo and Redo would act on."""
    sql = "SELECT id, at, kind, label, state FROM undo_log WHERE coder_id = ? ORDER BY id DESC LIMIT ?"
    return [
        UndoEntry(id_, at, kind, label, state == "undone")
        for id_, at, kind, label, state in conn.execute(sql, (coder_id, limit))
    ]


def _step(db: Database, coder_id: int, *, backwards: bool) -> ActionResult:
    conn = db.conn
    with db.atomic():
        if backwards:
            sql = "SELECT id, kind, label, changes FROM undo_log WHERE coder_id = ? AND state = 'done' ORDER BY id DESC"
        else:
            sql = "SELECT id, kind, label, changes FROM undo_log WHERE coder_id = ? AND state = 'undone' ORDER BY id"
        entry = conn.execute(sql + " LIMIT 1", (coder_id,)).fetchone()
        if entry is None:
            return ActionResult(None)
        entry_id, kind, label, encoded = entry
        changes = _decode(encoded)
        verb, done = ("undo", "undone") if backwards else ("redo", "redone")
        for change in reversed(changes) if backwards else changes:
            expected, target = (change.after, change.before) if backwards else (change.before, change.after)
            _replay(conn, change, expected, target, f"'{label}' cannot be {done}")
        conn.execute("UPDATE undo_log SET state = ? WHERE id = ?", ("undone" if backwards else "done", entry_id))
        posts = affected_posts(conn, changes)
        queue_posts(conn, posts)
        if kind == "codebook":
            record_change(conn, coder_id, verb, f"{verb}: {label}", change_detail(changes))
    return ActionResult(entry_id, tuple(sorted(posts)))


def _replay(conn: sqlite3.Connection, change: Change, expected: Row | None, target: Row | None, failure: str) -> None:
    current = _read(conn, change.table, change.key)
    if expected is None:
        matches = current is None
    else:
        matches = current is not None and all(current[c] == v for c, v in expected.items())
    if not matches:
        raise UndoConflictError(f"{failure}: it was changed since by another action; undo that first")
    try:
        if target is None:
            _delete(conn, change.table, change.key)
        elif current is None:
            columns = list(target)
            conn.execute(
                f"INSERT INTO {change.table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                [target[c] for c in columns],
            )
        else:
            _update(conn, change.table, change.key, target)
    except sqlite3.IntegrityError as error:
        raise UndoConflictError(f"{failure}: other rows depend on it now ({error})") from error


def affected_posts(conn: sqlite3.Connection, changes: Iterable[Change]) -> set[str]:
    """Posts whose coding state the changes touch, including every post coded with a renamed code."""
    posts: set[str] = set()
    for change in changes:
        if change.table in _POST_TABLES:
            posts.update(row["post_id"] for row in (change.before, change.after) if row and "post_id" in row)
        elif change.table == "codes" and "name" in (change.after or change.before or {}):
            sql = "SELECT DISTINCT post_id FROM codings WHERE code_id = ?"
            posts.update(r[0] for r in conn.execute(sql, (change.key["id"],)))
    return posts


def change_detail(changes: Iterable[Change]) -> dict[str, Any]:
    """What a codebook action changed, for the change log: code rows before and after, codings moved."""
    codes = [
        {"id": c.key["id"], "before": c.before, "after": c.after} for c in changes if c.table in ("codes", "codebook")
    ]
    codings = sum(1 for c in changes if c.table == "codings")
    return {"codes": codes, "codings_changed": codings}


def _where(key: Mapping[str, Any]) -> tuple[str, list[Any]]:
    return " AND ".join(f"{c} = ?" for c in key), list(key.values())


def _read(conn: sqlite3.Connection, table: str, key: Mapping[str, Any]) -> Row | None:
    where, params = _where(key)
    return fetch_row(conn, f"SELECT * FROM {table} WHERE {where}", params)


def _delete(conn: sqlite3.Connection, table: str, key: Mapping[str, Any]) -> None:
    where, params = _where(key)
    conn.execute(f"DELETE FROM {table} WHERE {where}", params)


def _update(conn: sqlite3.Connection, table: str, key: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    where, params = _where(key)
    assignments = ", ".join(f"{c} = ?" for c in values)
    conn.execute(f"UPDATE {table} SET {assignments} WHERE {where}", [*values.values(), *params])


def _encode(changes: list[Change]) -> str:
    return json.dumps([[c.table, c.key, c.before, c.after] for c in changes], ensure_ascii=False)


def _decode(text: str) -> list[Change]:
    return [Change(table, key, before, after) for table, key, before, after in json.loads(text)]
