"""Assigning posts (or a whole sample) to coders, and each coder's progress: coded and remaining."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from archive.coding.coders import active_coder, list_coders
from archive.coding.errors import CodingError
from archive.coding.samples import Sample, sample_posts
from archive.store.clock import now
from archive.store.posts import existing_posts


@dataclass(frozen=True, slots=True)
class Progress:
    """One coder's assigned posts: how many are done (completed, with or without codes) and how many remain."""

    coder: str
    assigned: int
    completed: int
    in_progress: int  # codes applied, not marked done

    @property
    def remaining(self) -> int:
        return self.assigned - self.completed


def assign_posts(db: Database, coder_id: int, post_ids: Sequence[str], *, sample: Sample | None = None) -> int:
    """Assign posts to a coder; returns how many were newly assigned (already assigned ones are kept)."""
    with db.atomic():
        active_coder(db.conn, coder_id)
        missing = sorted(set(post_ids) - existing_posts(db.conn, post_ids))
        if missing:
            raise CodingError(f"{len(missing)} post(s) are not in the project, e.g. {missing[0]}")
        stamp, sample_id = now(), None if sample is None else sample.id
        before = db.conn.total_changes
        db.conn.executemany(
            "INSERT OR IGNORE INTO assignments (coder_id, post_id, sample_id, assigned_at) VALUES (?, ?, ?, ?)",
            [(coder_id, post_id, sample_id, stamp) for post_id in dict.fromkeys(post_ids)],
        )
        return db.conn.total_changes - before


def assign_sample(db: Database, coder_id: int, sample: Sample) -> int:
    """Assign every post of a sample to a coder (assign it to two coders for double coding)."""
    return assign_posts(db, coder_id, sample_posts(db.conn, sample.id), sample=sample)


def unassign_posts(db: Database, coder_id: int, post_ids: Sequence[str]) -> int:
    """Take posts back from a coder; their codings stay. Returns how many were unassigned."""
    with db.atomic():
        before = db.conn.total_changes
        db.conn.executemany(
            "DELETE FROM assignments WHERE coder_id = ? AND post_id = ?", [(coder_id, p) for p in set(post_ids)]
        )
        return db.conn.total_changes - before


def assigned_posts(conn: sqlite3.Connection, coder_id: int, *, remaining_only: bool = False) -> list[str]:
    """The coder's assigned posts, in the order they were drawn or given; optionally only those not done."""
    sql = (
        "SELECT a.post_id FROM assignments a LEFT JOIN sample_posts s "
        "ON s.sample_id = a.sample_id AND s.post_id = a.post_id WHERE a.coder_id = ?"
    )
    if remaining_only:
        sql += " AND NOT EXISTS (SELECT 1 FROM coder_status c WHERE c.post_id = a.post_id AND c.coder_id = a.coder_id)"
    sql += " ORDER BY a.assigned_at, a.sample_id, s.position, a.post_id"
    return [row[0] for row in conn.execute(sql, (coder_id,))]


def progress(conn: sqlite3.Connection, *, sample: Sample | None = None) -> list[Progress]:
    """Every coder with assignments: assigned, completed, in progress (optionally within one sample)."""
    scope = "" if sample is None else " AND a.sample_id = ?"
    sql = (
        "SELECT count(*), "
        "count(c.post_id), "
        "sum(c.post_id IS NULL AND EXISTS (SELECT 1 FROM codings k WHERE k.post_id = a.post_id "
        "AND k.coder_id = a.coder_id)) "
        "FROM assignments a LEFT JOIN coder_status c ON c.post_id = a.post_id AND c.coder_id = a.coder_id "
        f"WHERE a.coder_id = ?{scope}"
    )
    rows = []
    for coder in list_coders(conn, include_retired=True):
        params = [coder.id] if sample is None else [coder.id, sample.id]
        assigned, completed, in_progress = conn.execute(sql, params).fetchone()
        if assigned:
            rows.append(Progress(coder.name, assigned, completed, in_progress or 0))
    return rows
