"""Memos: a coder's notes on a post, a code, a thread or the whole project, time-stamped and undoable."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlite_utils import Database

from archive.coding.blind import visible_coders
from archive.coding.codebook import find_code_by_guid
from archive.coding.coders import active_coder
from archive.coding.codings import require_post
from archive.coding.errors import CodingError
from archive.coding.undo import ActionResult, action
from archive.store.clock import now


class MemoTarget(StrEnum):
    """What a memo is about; its ``target_id`` is a post id, a code's guid, a thread's root post id or ""."""

    POST = "post"
    CODE = "code"
    THREAD = "thread"
    PROJECT = "project"


BLIND_TARGETS = (MemoTarget.POST, MemoTarget.THREAD)
"""Post and thread memos can reveal how a coder read a post, so blind mode hides other coders' ones."""


@dataclass(frozen=True, slots=True)
class Memo:
    id: int
    target: MemoTarget
    target_id: str
    coder_id: int
    coder: str
    text: str
    created_at: str
    updated_at: str
    about: str = ""  # what a reader calls the target: the post or root id, the code's name, "" for the project


def add_memo(db: Database, coder_id: int, target: MemoTarget, target_id: str, text: str) -> Memo:
    """Write a memo about a post, a code (by guid), a thread (by any of its posts: kept on its root's id) or the
    project ("")."""
    text = _check_text(text)
    with action(db, coder_id, "memo", f"memo on {target.value} {target_id}".rstrip()) as act:
        active_coder(act.conn, coder_id)
        target_id = _check_target(act.conn, target, target_id)
        stamp = now()
        row = act.insert(
            "memos",
            {
                "target_kind": target.value,
                "target_id": target_id,
                "coder_id": coder_id,
                "text": text,
                "created_at": stamp,
                "updated_at": stamp,
            },
        )
    return get_memo(db.conn, row["id"])


def edit_memo(db: Database, coder_id: int, memo_id: int, text: str) -> ActionResult:
    """Change the text of one of the coder's own memos."""
    text = _check_text(text)
    with action(db, coder_id, "memo", f"edit memo {memo_id}") as act:
        _own(act.conn, coder_id, memo_id)
        act.update("memos", {"id": memo_id}, {"text": text, "updated_at": now()})
    return act.result


def delete_memo(db: Database, coder_id: int, memo_id: int) -> ActionResult:
    """Delete one of the coder's own memos (undo brings it back)."""
    with action(db, coder_id, "memo", f"delete memo {memo_id}") as act:
        _own(act.conn, coder_id, memo_id)
        act.delete("memos", {"id": memo_id})
    return act.result


def get_memo(conn: sqlite3.Connection, memo_id: int) -> Memo:
    row = conn.execute(f"{_SELECT} WHERE memos.id = ?", (memo_id,)).fetchone()
    if row is None:
        raise CodingError(f"no memo with id {memo_id}")
    return _memo(row)


def memos_for(conn: sqlite3.Connection, target: MemoTarget, target_id: str, viewer_id: int | None) -> list[Memo]:
    """The memos on one target that the viewer may see, oldest first."""
    rows = conn.execute(
        f"{_SELECT} WHERE target_kind = ? AND target_id = ? ORDER BY memos.id", (target.value, target_id)
    ).fetchall()
    memos = [_memo(row) for row in rows]
    coders = visible_coders(conn, viewer_id)
    if coders is None or target not in BLIND_TARGETS:
        return memos
    return [memo for memo in memos if memo.coder_id in coders]


def memos_on_post(conn: sqlite3.Connection, post_id: str, viewer_id: int | None) -> list[Memo]:
    """The memos on a post, then those on its thread, that the viewer may see; each oldest first."""
    row = conn.execute("SELECT coalesce(root_id, id) FROM posts WHERE id = ?", (post_id,)).fetchone()
    if row is None:
        return []
    return memos_for(conn, MemoTarget.POST, post_id, viewer_id) + memos_for(conn, MemoTarget.THREAD, row[0], viewer_id)


def list_memos(
    conn: sqlite3.Connection,
    viewer_id: int | None,
    *,
    coder_id: int | None = None,
    target: MemoTarget | None = None,
) -> list[Memo]:
    """Every memo the viewer may see, optionally only one coder's or one kind: the project's, then the codes'
    (by name), the threads' and the posts' (by id), each target's oldest first.

    ``viewer_id=None`` is the project's view (exports): every memo, whatever blind mode says.
    """
    where: list[str] = ["1"]
    params: list[object] = []
    if coder_id is not None:
        where.append("coder_id = ?")
        params.append(coder_id)
    if target is not None:
        where.append("target_kind = ?")
        params.append(target.value)
    rows = conn.execute(f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY {_ORDER}", params).fetchall()
    memos = [_memo(row) for row in rows]
    coders = visible_coders(conn, viewer_id)
    if coders is None:
        return memos
    return [memo for memo in memos if memo.target not in BLIND_TARGETS or memo.coder_id in coders]


# A code memo names its code by guid; readers know the code by name (a code missing from the codebook: its guid).
_ABOUT = (
    "CASE WHEN target_kind = 'code' THEN coalesce((SELECT codes.name FROM codes "
    "WHERE lower(codes.guid) = lower(trim(target_id, '{} '))), target_id) ELSE target_id END"
)
_SELECT = (
    "SELECT memos.id, target_kind, target_id, coder_id, coders.name AS coder, text, memos.created_at, updated_at, "
    f"{_ABOUT} AS about FROM memos JOIN coders ON coders.id = memos.coder_id"
)
_ORDER = (
    "CASE target_kind WHEN 'project' THEN 0 WHEN 'code' THEN 1 WHEN 'thread' THEN 2 ELSE 3 END, "
    "about COLLATE NOCASE, memos.id"
)


def _memo(row: tuple[Any, ...]) -> Memo:
    memo_id, kind, *rest = row
    return Memo(memo_id, MemoTarget(kind), *rest)


def _check_text(text: str) -> str:
    if not text.strip():
        raise CodingError("a memo needs some text")
    return text.strip()


def _check_target(conn: sqlite3.Connection, target: MemoTarget, target_id: str) -> str:
    """The target id as stored: a code's guid as the codebook writes it, so exports find the code by equality."""
    if target is MemoTarget.POST:
        require_post(conn, target_id)
    elif target is MemoTarget.THREAD:
        # Any post of the thread names it; the memo is kept on the root, the thread id every export writes.
        require_post(conn, target_id)
        return str(conn.execute("SELECT coalesce(root_id, id) FROM posts WHERE id = ?", (target_id,)).fetchone()[0])
    elif target is MemoTarget.CODE:
        code = find_code_by_guid(conn, target_id)
        if code is None:
            raise CodingError(f"no code with guid '{target_id}'")
        return code.guid
    elif target_id:
        raise CodingError("a project memo has no target id")
    return target_id


def _own(conn: sqlite3.Connection, coder_id: int, memo_id: int) -> None:
    memo = get_memo(conn, memo_id)
    if memo.coder_id != coder_id:
        raise CodingError(f"memo {memo_id} was written by {memo.coder}; only they can change it")
