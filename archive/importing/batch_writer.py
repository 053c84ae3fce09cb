"""Writes batches of imported records into the store: upserts, placeholders, thread roots, index queue."""

from __future__ import annotations

import operator
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from archive.importing.batches import Batch, Entities, PreparedBatch, prepare
from archive.importing.post_rows import POST_COLUMNS, RawCodec, Row, changed, merge, placeholder_row
from archive.importing.records import ImportIssue, PostKind, Tombstone, Unavailable, post_key
from archive.store.index_queue import queue_authors_posts, queue_posts, queue_thread
from archive.store.sql import chunks, marks

_INTO_POSTS = f"INTO posts ({', '.join(POST_COLUMNS)}) VALUES ({marks(len(POST_COLUMNS))})"
_UPSERT_POST = (
    f"INSERT {_INTO_POSTS} ON CONFLICT(id) DO UPDATE SET {', '.join(f'{c}=excluded.{c}' for c in POST_COLUMNS[1:])}"
)
_UPSERT_AUTHOR = (
    "INSERT INTO authors (id, platform, native_id, handle, name, description, raw) "
    "VALUES (:id, :platform, :native_id, :handle, :name, :description, :raw) "
    "ON CONFLICT(id) DO UPDATE SET handle=coalesce(excluded.handle, handle), "
    "name=coalesce(excluded.name, name), description=coalesce(excluded.description, description), "
    "raw=coalesce(raw, excluded.raw)"
)
_REFERENCE_COLUMNS = ("reply_to_id", "quote_of_id", "repost_of_id", "root_id")
_post_values = operator.itemgetter(*POST_COLUMNS)


@dataclass(slots=True)
class BatchCounts:
    """What one batch did, in the terms of the import summary."""

    new: int = 0
    updated: int = 0
    duplicates: int = 0
    context: int = 0
    skipped: int = 0
    tombstones: int = 0
    placeholders: int = 0
    unavailable: int = 0  # posts and accounts the platform could not return when the data was collected

    def add(self, other: BatchCounts) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class BatchWriter:
    """Writes batches for one import; the caller owns the transaction around each ``write``."""

    def __init__(self, conn: sqlite3.Connection, import_id: int, file_name: str) -> None:
        self.conn = conn
        self.import_id = import_id
        self.file_name = file_name
        self.codec = RawCodec()
        self._authors_seen: dict[str, tuple[object, ...]] = {}

    def write(self, batch: Batch) -> BatchCounts:
        return self.write_prepared(prepare(batch, self.codec, self.import_id))

    def write_prepared(self, batch: PreparedBatch) -> BatchCounts:
        counts = BatchCounts(skipped=len(batch.issues))
        rows = batch.rows
        old_rows = self._existing(rows.keys())
        self._derive_roots(rows)
        written = self._write_posts(batch, old_rows, counts)
        self._write_authors(batch.authors)
        counts.placeholders = self._write_placeholders(rows.values())
        counts.tombstones = self._write_tombstones(batch.tombstones)
        self._write_issues(batch.issues)
        counts.unavailable = self._write_unavailable(batch.unavailable)
        self._queue_for_index(written)
        return counts

    def _existing(self, keys: Iterable[str]) -> dict[str, Row]:
        found: dict[str, Row] = {}
        keys = list(keys)
        columns = ", ".join(POST_COLUMNS)
        for chunk in chunks(keys):
            cursor = self.conn.execute(f"SELECT {columns} FROM posts WHERE id IN ({marks(len(chunk))})", chunk)
            for values in cursor:
                row = dict(zip(POST_COLUMNS, values, strict=True))
                found[row["id"]] = row
        return found

    def _derive_roots(self, rows: dict[str, Row]) -> None:
        """Give every post without a stated root the root of its parent (v1.1 and archives state none)."""
        parents = {r["reply_to_id"] for r in rows.values() if r["root_id"] is None and r["reply_to_id"]}
        outside = self._existing_roots(parents - rows.keys())
        for key in rows:
            chain: list[str] = []
            current = key
            while current in rows and rows[current]["root_id"] is None:
                parent = rows[current]["reply_to_id"]
                chain.append(current)
                if not parent or parent in chain:
                    root = current
                    break
                current = parent
            else:
                root = rows[current]["root_id"] if current in rows else outside.get(current, current)
            for member in chain:  # everything walked shares the root, so each post is walked once
                rows[member]["root_id"] = root

    def _existing_roots(self, keys: set[str]) -> dict[str, str]:
        roots: dict[str, str] = {}
        ordered = list(keys)
        for chunk in chunks(ordered):
            sql = f"SELECT id, root_id FROM posts WHERE id IN ({marks(len(chunk))})"
            roots.update({k: r or k for k, r in self.conn.execute(sql, chunk)})
        return roots

    def _write_posts(self, batch: PreparedBatch, old_rows: dict[str, Row], counts: BatchCounts) -> list[str]:
        upserts: list[Row] = []
        fixups: list[tuple[str, str]] = []
        for key, row in batch.rows.items():
            old = old_rows.get(key)
            merged = merge(old, row)
            is_new_or_changed = old is None or changed(old, merged)
            _count(counts, old, is_new_or_changed, key in batch.collected)
            if is_new_or_changed:
                upserts.append(merged)
                if old is not None and old["kind"] == PostKind.PLACEHOLDER.value and merged["root_id"] != key:
                    fixups.append((merged["root_id"], key))
        self.conn.executemany(_UPSERT_POST, map(_post_values, upserts))
        # Replies imported before this post pointed their root at its placeholder: move them up, and
        # let the search index know (their thread: field changes).
        queue_thread(self.conn, [old_root for _, old_root in fixups])
        self.conn.executemany("UPDATE posts SET root_id = ? WHERE root_id = ?", fixups)
        keys = [r["id"] for r in upserts]
        self._write_entities({k: batch.entities[k] for k in keys}, [(k,) for k in keys if k in old_rows])
        return keys

    def _write_entities(self, chosen: dict[str, Entities], replaced: list[tuple[str]]) -> None:
        if not chosen:
            return
        for table in ("post_hashtags", "post_mentions", "post_urls", "media"):  # only posts seen before have any
            self.conn.executemany(f"DELETE FROM {table} WHERE post_id = ?", replaced)
        # INSERT OR IGNORE keeps the first spelling of a tag that a post writes twice (#MeToo #metoo).
        tags = [(k, t.casefold(), t) for k, e in chosen.items() for t in e.hashtags]
        self.conn.executemany("INSERT OR IGNORE INTO post_hashtags VALUES (?, ?, ?)", tags)
        mentions = [(k, m.casefold()) for k, e in chosen.items() for m in e.mentions]
        self.conn.executemany("INSERT OR IGNORE INTO post_mentions VALUES (?, ?)", mentions)
        urls = [(k, u) for k, e in chosen.items() for u in e.urls]
        self.conn.executemany("INSERT OR IGNORE INTO post_urls VALUES (?, ?)", urls)
        media = [(k, i, *m) for k, e in chosen.items() for i, m in enumerate(e.media)]
        self.conn.executemany("INSERT OR IGNORE INTO media VALUES (?, ?, ?, ?, ?, ?)", media)

    def _write_authors(self, authors: list[Row]) -> None:
        # An account appears on every page it posted on; write it again only when its names change.
        changed_authors = [a for a in authors if self._authors_seen.get(a["id"]) != _author_names(a)]
        renamed = self._renamed(changed_authors)
        self.conn.executemany(_UPSERT_AUTHOR, changed_authors)
        self._authors_seen.update((a["id"], _author_names(a)) for a in changed_authors)
        queue_authors_posts(self.conn, renamed)  # every post of a renamed account: its new handle and name

    def _renamed(self, authors: list[Row]) -> list[str]:
        """The stored accounts whose handle or name these rows change (the index holds both as terms)."""
        keys = [str(author["id"]) for author in authors]
        stored: dict[str, tuple[str | None, str | None]] = {}
        for chunk in chunks(keys):  # every account of a batch is new to this writer at first: one query a chunk
            sql = f"SELECT id, handle, name FROM authors WHERE id IN ({marks(len(chunk))})"
            stored.update((key, (handle, name)) for key, handle, name in self.conn.execute(sql, chunk))
        renamed = []
        for author in authors:
            before = stored.get(str(author["id"]))
            if before is None:
                continue
            handle = author["handle"] if author["handle"] is not None else before[0]
            name = author["name"] if author["name"] is not None else before[1]  # the upsert keeps a stored name
            if (handle, name) != before:
                renamed.append(str(author["id"]))
        return renamed

    def _write_placeholders(self, rows: Iterable[Row]) -> int:
        rows = list(rows)
        written = {row["id"] for row in rows}
        wanted: dict[str, Row] = {}
        for row in rows:
            for column in _REFERENCE_COLUMNS:
                key = row[column]
                if key and key not in wanted and key not in written:
                    platform, _, native = key.partition(":")
                    root = row["root_id"] if column == "reply_to_id" else None
                    wanted[key] = placeholder_row(key, platform, native, root)
        values = map(_post_values, wanted.values())
        cursor = self.conn.executemany(f"INSERT OR IGNORE {_INTO_POSTS}", values)
        return max(cursor.rowcount, 0)

    def _write_tombstones(self, tombstones: Sequence[Tombstone]) -> int:
        for stone in tombstones:
            key = post_key(stone.platform, stone.native_id)
            cursor = self.conn.execute("UPDATE posts SET deleted = 1 WHERE id = ?", (key,))
            if cursor.rowcount:  # is:deleted changes for the search index
                self._queue_for_index([key])
            if cursor.rowcount == 0:
                row = placeholder_row(key, stone.platform, stone.native_id, None)
                row["deleted"] = 1
                self.conn.execute(f"INSERT {_INTO_POSTS}", tuple(row[c] for c in POST_COLUMNS))
        return len(tombstones)

    def _write_issues(self, issues: Sequence[ImportIssue]) -> None:
        self.conn.executemany(
            "INSERT INTO import_errors (import_id, file, line, locator, reason, excerpt) VALUES (?, ?, ?, ?, ?, ?)",
            [(self.import_id, self.file_name, i.line or None, i.locator, i.reason, i.excerpt) for i in issues],
        )

    def _write_unavailable(self, entries: Sequence[Unavailable]) -> int:
        self.conn.executemany(
            "INSERT INTO unavailable (import_id, platform, resource_type, resource_id, reason, file, line, locator, "
            "raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    self.import_id,
                    u.platform,
                    u.resource_type,
                    u.resource_id,
                    u.reason,
                    self.file_name,
                    u.line or None,
                    u.locator,
                    u.raw,
                )
                for u in entries
            ],
        )
        return len(entries)

    def _queue_for_index(self, keys: Sequence[str]) -> None:
        queue_posts(self.conn, keys)


def _author_names(author: Row) -> tuple[object, ...]:
    return author["handle"], author["name"], author["description"]


def _count(counts: BatchCounts, old: Row | None, is_new_or_changed: bool, collected: bool) -> None:
    was_collected = old is not None and old["kind"] == PostKind.COLLECTED.value
    if collected:
        if not was_collected:
            counts.new += 1
        elif is_new_or_changed:
            counts.updated += 1
        else:
            counts.duplicates += 1
    elif old is None or old["kind"] == PostKind.PLACEHOLDER.value:
        counts.context += 1
