"""Posts and accounts the platform could not return at collection time: listed and counted apart from errors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from archive.importing.records import POST_RESOURCES

COLUMNS = "file, line, locator, platform, resource_type, resource_id, reason"


def unavailable_entries(
    db: Database, limit: int | None = None, import_ids: Sequence[int] | None = None
) -> list[dict[str, Any]]:
    """The recorded entries, oldest first: file, line, JSON path, platform, type, id, the platform's reason."""
    where, params = _of_imports(import_ids)
    sql = f"SELECT {COLUMNS} FROM unavailable {where} ORDER BY id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return list(db.query(sql, params))


def unavailable_by_type(db: Database, import_ids: Sequence[int] | None = None) -> dict[str, int]:
    """How many entries of each resource type ("tweet", "user"), in all or in the given imports."""
    where, params = _of_imports(import_ids)
    rows = db.execute(f"SELECT resource_type, count(*) FROM unavailable {where} GROUP BY 1 ORDER BY 1", params)
    return {str(kind): int(count) for kind, count in rows}


def unavailable_text(by_type: dict[str, int]) -> str:
    """ "37 posts and 1 account unavailable at collection time", or '' when there were none."""
    posts = sum(n for kind, n in by_type.items() if kind in POST_RESOURCES)
    accounts = by_type.get("user", 0)
    others = sum(by_type.values()) - posts - accounts
    parts = [
        f"{n:,} {word}{'' if n == 1 else 's'}"
        for n, word in ((posts, "post"), (accounts, "account"), (others, "other item"))
        if n
    ]
    if not parts:
        return ""
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{listed} unavailable at collection time"


def _of_imports(import_ids: Sequence[int] | None) -> tuple[str, list[str]]:
    if import_ids is None:
        return "", []
    # One JSON parameter: a folder of thousands of files must not meet the host-parameter limit.
    return "WHERE import_id IN (SELECT value FROM json_each(?))", [json.dumps([int(i) for i in import_ids])]
