"""A post's conversation read lazily from the store: its root, the chain of parents, replies page by page (Qt-free).

Threads are linked by ``reply_to_id`` and share a ``root_id``. A post whose parent was never collected is a
*placeholder*, whose own parent is unknown, so the chain from a reply up to the root can break; the posts
of the thread that hang from such a gap are listed under the root, after its direct replies, so nothing of
the conversation is out of reach.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.store_errors import store_errors
from archive.store.sql import marks

PAGE = 200
MAX_DEPTH = 1000  # a parent chain longer than this is a loop in damaged data, not a conversation

_COLUMNS = (
    "p.id, p.kind, p.created_at, a.handle, a.name, p.text, p.truncated, p.deleted, p.reply_to_id, p.quote_of_id, "
    "p.repost_of_id, p.is_repost, p.root_id, p.lang, p.platform"
)
_FROM = "FROM posts AS p LEFT JOIN authors AS a ON a.id = p.author_id"


@dataclass(frozen=True, slots=True)
class ThreadPost:
    """What the thread view shows of one post."""

    id: str
    kind: str  # collected | context | placeholder
    created_at: str
    handle: str
    name: str
    text: str
    truncated: bool
    deleted: bool
    reply_to_id: str | None
    quote_of_id: str | None
    repost_of_id: str | None
    is_repost: bool
    root_id: str | None
    lang: str
    platform: str

    @property
    def collected(self) -> bool:
        return self.kind == "collected"

    @property
    def placeholder(self) -> bool:
        return self.kind == "placeholder"

    @property
    def native_id(self) -> str:
        return self.id.split(":", 1)[-1]


def _post(row: Sequence[Any]) -> ThreadPost:
    (
        id_,
        kind,
        created,
        handle,
        name,
        text,
        truncated,
        deleted,
        reply_to,
        quote_of,
        repost_of,
        is_repost,
        root,
        lang,
        platform,
    ) = row
    return ThreadPost(
        id_,
        kind,
        created or "",
        handle or "",
        name or "",
        text or "",
        bool(truncated),
        bool(deleted),
        reply_to,
        quote_of,
        repost_of,
        bool(is_repost),
        root,
        lang or "",
        platform,
    )


def read_post(conn: sqlite3.Connection, post_id: str) -> ThreadPost | None:
    row = conn.execute(f"SELECT {_COLUMNS} {_FROM} WHERE p.id = ?", (post_id,)).fetchone()
    return None if row is None else _post(row)


def read_posts(conn: sqlite3.Connection, post_ids: Sequence[str]) -> dict[str, ThreadPost]:
    """Several posts by id in one query (for the quoted posts of a page of replies)."""
    if not post_ids:
        return {}
    rows = conn.execute(f"SELECT {_COLUMNS} {_FROM} WHERE p.id IN ({marks(len(post_ids))})", list(post_ids))
    return {row[0]: _post(row) for row in rows}


@dataclass(frozen=True, slots=True)
class ThreadPlan:
    """Where a post sits: the root to show at the top and the posts from the root down to it."""

    focus: ThreadPost  # the post to select (a repost's original, so its conversation shows)
    path: tuple[ThreadPost, ...]  # root first, focus last; a gap means the second is a child hung under the root
    reposted_by: ThreadPost | None = None  # the repost the user selected, when it was one


def plan_thread(conn: sqlite3.Connection, post_id: str) -> ThreadPlan | None:
    """The root and the path down to ``post_id`` (or to its original, for a repost); None when there is no post."""
    selected = read_post(conn, post_id)
    if selected is None:
        return None
    focus, reposted_by = selected, None
    if selected.is_repost and selected.repost_of_id:
        original = read_post(conn, selected.repost_of_id)
        if original is not None:
            focus, reposted_by = original, selected
    chain = [focus]
    seen = {focus.id}
    while chain[-1].reply_to_id and len(chain) < MAX_DEPTH:
        parent = read_post(conn, chain[-1].reply_to_id)
        if parent is None or parent.id in seen:
            break
        chain.append(parent)
        seen.add(parent.id)
    stated = focus.root_id
    if stated and stated not in seen:  # the chain broke at a post not collected: start from the stated root
        stated_root = read_post(conn, stated)
        if stated_root is not None:
            chain.append(stated_root)
    return ThreadPlan(focus, tuple(reversed(chain)), reposted_by)


def child_count(conn: sqlite3.Connection, post: ThreadPost, is_root: bool) -> int:
    """How many posts hang under ``post``: its replies, plus for the root the posts below a gap."""
    count = int(conn.execute("SELECT count(*) FROM posts WHERE reply_to_id = ?", (post.id,)).fetchone()[0])
    if is_root:
        count += _orphan_count(conn, post.id)
    return count


def child_counts(conn: sqlite3.Connection, post_ids: Sequence[str]) -> dict[str, int]:
    """Reply counts of many posts in one query."""
    if not post_ids:
        return {}
    sql = f"SELECT reply_to_id, count(*) FROM posts WHERE reply_to_id IN ({marks(len(post_ids))}) GROUP BY reply_to_id"
    return {parent: int(n) for parent, n in conn.execute(sql, list(post_ids))}


def children(
    conn: sqlite3.Connection, post_id: str, is_root: bool, offset: int, limit: int | None = None
) -> list[ThreadPost]:
    """One page (``PAGE`` posts) under ``post_id``, oldest first; under the root, the posts below a gap come last."""
    limit = PAGE if limit is None else limit
    replies = f"SELECT {_COLUMNS}, 0 AS orphan, p.created_at AS at {_FROM} WHERE p.reply_to_id = ?"
    params: list[Any] = [post_id]
    if is_root:
        replies += (
            f" UNION ALL SELECT {_COLUMNS}, 1, p.created_at {_FROM} WHERE p.root_id = ? AND p.id != ? "
            "AND p.reply_to_id IS NULL AND p.is_repost = 0"
        )
        params += [post_id, post_id]
    sql = f"SELECT * FROM ({replies}) ORDER BY orphan, at IS NULL, at, 1 LIMIT ? OFFSET ?"
    return [_post(row[:15]) for row in conn.execute(sql, [*params, limit, offset])]


def _orphan_count(conn: sqlite3.Connection, root_id: str) -> int:
    sql = "SELECT count(*) FROM posts WHERE root_id = ? AND id != ? AND reply_to_id IS NULL AND is_repost = 0"
    return int(conn.execute(sql, (root_id, root_id)).fetchone()[0])


def thread_size(conn: sqlite3.Connection, root_id: str) -> tuple[int, int]:
    """(posts in the thread, of which not collected) as far as the store knows them by their root."""
    row = conn.execute(
        "SELECT count(*), coalesce(sum(kind = 'placeholder'), 0) FROM posts WHERE root_id = ? OR id = ?",
        (root_id, root_id),
    ).fetchone()
    return int(row[0]), int(row[1])


class ThreadReader:
    """What the thread view reads, through the window's connection; a database failure comes as StoreError."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def plan(self, post_id: str) -> ThreadPlan | None:
        with store_errors("Reading the thread"):
            return plan_thread(self._conn, post_id)

    def size(self, root_id: str) -> tuple[int, int]:
        with store_errors("Counting the thread's posts"):
            return thread_size(self._conn, root_id)

    def children(self, post_id: str, is_root: bool, offset: int, limit: int | None = None) -> list[ThreadPost]:
        with store_errors("Reading replies"):
            return children(self._conn, post_id, is_root, offset, limit)

    def child_count(self, post: ThreadPost, is_root: bool) -> int:
        with store_errors("Counting replies"):
            return child_count(self._conn, post, is_root)

    def child_counts(self, post_ids: Sequence[str]) -> dict[str, int]:
        with store_errors("Counting replies"):
            return child_counts(self._conn, post_ids)

    def posts(self, post_ids: Sequence[str]) -> dict[str, ThreadPost]:
        with store_errors("Reading quoted posts"):
            return read_posts(self._conn, post_ids)
