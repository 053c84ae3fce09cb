"""Counts that describe a project: posts, placeholders, replies, threads, errors, imports."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database


def _scalar(db: Database, sql: str) -> int:
    return int(db.execute(sql).fetchone()[0])


def project_info(db: Database) -> dict[str, Any]:
    """The figures ``threadcoder info`` prints; "posts" are collected posts, placeholders excluded."""
    return {
        "posts": _scalar(db, "SELECT count(*) FROM posts WHERE kind = 'collected'"),
        "context_posts": _scalar(db, "SELECT count(*) FROM posts WHERE kind = 'context'"),
        "placeholders": _scalar(db, "SELECT count(*) FROM posts WHERE kind = 'placeholder'"),
        "replies": _scalar(db, "SELECT count(*) FROM posts WHERE kind = 'collected' AND reply_to_id IS NOT NULL"),
        "replies_with_parent": _scalar(
            db,
            "SELECT count(*) FROM posts AS child JOIN posts AS parent ON parent.id = child.reply_to_id "
            "WHERE child.kind = 'collected' AND parent.kind = 'collected'",
        ),
        "threads": _scalar(
            db,
            "SELECT count(*) FROM (SELECT root_id FROM posts WHERE kind = 'collected' "
            "GROUP BY root_id HAVING count(*) >= 2)",
        ),
        "reposts": _scalar(db, "SELECT count(*) FROM posts WHERE kind = 'collected' AND is_repost = 1"),
        "quotes": _scalar(db, "SELECT count(*) FROM posts WHERE kind = 'collected' AND quote_of_id IS NOT NULL"),
        "deleted": _scalar(db, "SELECT count(*) FROM posts WHERE deleted = 1"),
        "authors": _scalar(db, "SELECT count(*) FROM authors"),
        "import_errors": _scalar(db, "SELECT count(*) FROM import_errors"),
        "index_queue": _scalar(db, "SELECT count(*) FROM index_queue"),
        "platforms": {
            row["platform"]: row["n"]
            for row in db.query(
                "SELECT platform, count(*) AS n FROM posts WHERE kind = 'collected' GROUP BY platform ORDER BY platform"
            )
        },
        "imports": list(
            db.query(
                "SELECT id, file, format, status, started_at, finished_at, new, updated, duplicates, context, "
                "skipped, tombstones FROM imports ORDER BY id"
            )
        ),
    }


def import_errors(
    db: Database, limit: int | None = None, import_ids: Sequence[int] | None = None
) -> list[dict[str, Any]]:
    """Recorded import problems, oldest first: file, line, JSON path, reason, excerpt.

    ``import_ids`` keeps those of some imports only (one run of ``threadcoder import`` or of the dialog).
    """
    where, params = _of_imports(import_ids)
    sql = f"SELECT file, line, locator, reason, excerpt FROM import_errors {where} ORDER BY id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return list(db.query(sql, params))


def import_error_count(db: Database, import_ids: Sequence[int] | None = None) -> int:
    """How many import problems were recorded, in all or in the given imports."""
    where, params = _of_imports(import_ids)
    return int(db.execute(f"SELECT count(*) FROM import_errors {where}", params).fetchone()[0])


def _of_imports(import_ids: Sequence[int] | None) -> tuple[str, list[str]]:
    if import_ids is None:
        return "", []
    # One JSON parameter: a folder of thousands of files must not meet the host-parameter limit.
    return "WHERE import_id IN (SELECT value FROM json_each(?))", [json.dumps([int(i) for i in import_ids])]
