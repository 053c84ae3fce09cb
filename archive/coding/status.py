"""Per post and coder completion: "not coded yet" is never the same as "coded, no code applies"."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from enum import StrEnum

from sqlite_utils import Database

from archive.coding.blind import visibility_clause
from archive.coding.coders import active_coder
from archive.coding.codings import require_post
from archive.coding.undo import ActionResult, action
from archive.store.clock import now
from archive.store.sql import chunks, marks


class PostStatus(StrEnum):
    """Where one coder stands with one post."""

    NOT_CODED = "not coded"  # nothing yet: missing data for reliability, never "absent"
    IN_PROGRESS = "in progress"  # some codes applied, not marked done
    CODED = "coded"  # done, with at least one code
    NO_CODE_APPLIES = "coded, no code applies"  # done, and the coder found no code applies

    @property
    def completed(self) -> bool:
        return self in (PostStatus.CODED, PostStatus.NO_CODE_APPLIES)


def complete_post(db: Database, post_id: str, coder_id: int) -> ActionResult:
    """Mark the post done for this coder, with whatever codes they applied (none: no code applies)."""
    with action(db, coder_id, "coding", f"mark {post_id} done") as act:
        active_coder(act.conn, coder_id)
        require_post(act.conn, post_id)
        if not _is_completed(act.conn, post_id, coder_id):
            act.insert("coder_status", {"post_id": post_id, "coder_id": coder_id, "completed_at": now()})
    return act.result


def mark_no_code_applies(db: Database, post_id: str, coder_id: int) -> ActionResult:
    """Record that no code applies: removes the coder's codings on the post and marks it done, as one action."""
    with action(db, coder_id, "coding", f"no code applies to {post_id}") as act:
        active_coder(act.conn, coder_id)
        require_post(act.conn, post_id)
        rows = act.conn.execute(
            "SELECT id FROM codings WHERE post_id = ? AND coder_id = ?", (post_id, coder_id)
        ).fetchall()
        for row in rows:
            act.delete("codings", {"id": row[0]})
        if not _is_completed(act.conn, post_id, coder_id):
            act.insert("coder_status", {"post_id": post_id, "coder_id": coder_id, "completed_at": now()})
    return act.result


def reopen_post(db: Database, post_id: str, coder_id: int) -> ActionResult:
    """Take back "done": the post is in progress (or not coded) again for this coder."""
    with action(db, coder_id, "coding", f"reopen {post_id}") as act:
        active_coder(act.conn, coder_id)
        act.delete("coder_status", {"post_id": post_id, "coder_id": coder_id})
    return act.result


def post_status(conn: sqlite3.Connection, post_id: str, coder_id: int) -> PostStatus:
    """One coder's status on one post."""
    return statuses(conn, [post_id], coder_id)[post_id]


def statuses(conn: sqlite3.Connection, post_ids: Sequence[str], coder_id: int) -> dict[str, PostStatus]:
    """One coder's status on each of many posts (for lists and progress), in two queries per chunk."""
    result: dict[str, PostStatus] = {}
    for chunk in chunks(sorted(set(post_ids))):
        where = f"post_id IN ({marks(len(chunk))}) AND coder_id = ?"
        done = {r[0] for r in conn.execute(f"SELECT post_id FROM coder_status WHERE {where}", [*chunk, coder_id])}
        coded = {r[0] for r in conn.execute(f"SELECT DISTINCT post_id FROM codings WHERE {where}", [*chunk, coder_id])}
        for post_id in chunk:
            result[post_id] = _status(post_id in done, post_id in coded)
    return result


def visible_statuses(conn: sqlite3.Connection, post_id: str, viewer_id: int | None) -> dict[str, PostStatus]:
    """Each coder's status on a post, by coder name, as far as the viewer may see (blind mode: only theirs).

    Coders who have not touched the post are left out: their status is NOT_CODED.
    """
    where, params = visibility_clause(conn, viewer_id, "coders.id")
    sql = (
        "SELECT coders.name, EXISTS (SELECT 1 FROM coder_status s WHERE s.post_id = ? AND s.coder_id = coders.id), "
        "EXISTS (SELECT 1 FROM codings c WHERE c.post_id = ? AND c.coder_id = coders.id) "
        f"FROM coders WHERE {where} ORDER BY coders.name"
    )
    rows = conn.execute(sql, [post_id, post_id, *params])
    found = {name: _status(bool(done), bool(coded)) for name, done, coded in rows}
    return {name: status for name, status in found.items() if status is not PostStatus.NOT_CODED}


def _status(done: bool, coded: bool) -> PostStatus:
    if done:
        return PostStatus.CODED if coded else PostStatus.NO_CODE_APPLIES
    return PostStatus.IN_PROGRESS if coded else PostStatus.NOT_CODED


def _is_completed(conn: sqlite3.Connection, post_id: str, coder_id: int) -> bool:
    sql = "SELECT 1 FROM coder_status WHERE post_id = ? AND coder_id = ?"
    return conn.execute(sql, (post_id, coder_id)).fetchone() is not None
