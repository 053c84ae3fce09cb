"""Turns post rows of the store into Whoosh documents: one SQL pass per table for a whole batch of ids."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from archive.store.sql import chunks, marks
from index.analysis import fold
from index.coding_fields import CodingFields, coding_fields
from index.schema import (
    AUTHOR,
    AUTHOR_HASH_FIELD,
    CODE,
    CODE_CODER,
    CODER,
    COMPLETED,
    DAY,
    DAY_FIELD,
    FACTS_FIELD,
    HAS,
    ID_FIELD,
    IS,
    LANG,
    MENTION,
    MONTH,
    NAME_FIELD,
    PLATFORM,
    TAG,
    TEXT_FIELD,
    THREAD,
    TIME_FIELD,
    author_hash,
    fact,
)

Document = dict[str, Any]

_POSTS_SQL = (
    "SELECT p.id, p.platform, p.kind, p.created_at, p.text, p.lang, p.reply_to_id, p.root_id, p.quote_of_id, "
    "p.is_repost, p.truncated, p.deleted, a.handle, a.name, p.author_id "
    "FROM posts AS p LEFT JOIN authors AS a ON a.id = p.author_id WHERE p.id IN ({marks})"
)
# Placeholders are referenced posts nobody collected: no text, no author, nothing to search.
INDEXABLE = "kind != 'placeholder'"


@dataclass(slots=True)
class Extras:
    """The post's rows in the side tables, by post key."""

    tags: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    mentions: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    media: set[str] = field(default_factory=set)
    links: set[str] = field(default_factory=set)
    coding: dict[str, CodingFields] = field(default_factory=dict)


@dataclass(slots=True)
class DocumentBatch:
    """Documents to (re)index, and the keys of posts that must leave the index (gone or placeholders)."""

    documents: list[Document]
    removed: list[str]


def build_documents(conn: sqlite3.Connection, keys: Sequence[str]) -> DocumentBatch:
    """The documents for the posts ``keys``, read in one pass per table."""
    rows: list[tuple[Any, ...]] = []
    for chunk in chunks(keys):
        rows.extend(conn.execute(_POSTS_SQL.format(marks=marks(len(chunk))), chunk))
    indexable = [row for row in rows if row[2] != "placeholder"]
    found = {row[0] for row in indexable}
    extras = _extras(conn, [row[0] for row in indexable])
    documents = [_document(row, extras) for row in indexable]
    return DocumentBatch(documents, [key for key in keys if key not in found])


def _extras(conn: sqlite3.Connection, keys: Sequence[str]) -> Extras:
    extras = Extras()
    for chunk in chunks(keys):
        ids = marks(len(chunk))
        for key, tag in conn.execute(f"SELECT post_id, tag FROM post_hashtags WHERE post_id IN ({ids})", chunk):
            extras.tags[key].append(fold(tag))
        for key, handle in conn.execute(f"SELECT post_id, handle FROM post_mentions WHERE post_id IN ({ids})", chunk):
            extras.mentions[key].append(fold(handle))
        sql = "SELECT DISTINCT post_id FROM {table} WHERE post_id IN ({marks})"
        extras.media.update(key for (key,) in conn.execute(sql.format(table="media", marks=ids), chunk))
        extras.links.update(key for (key,) in conn.execute(sql.format(table="post_urls", marks=ids), chunk))
    extras.coding = coding_fields(conn, keys)
    return extras


def _document(row: tuple[Any, ...], extras: Extras) -> Document:
    key, platform, kind, created, text, lang, reply_to, root, quote_of, is_repost, truncated, deleted = row[:12]
    handle, name, author_id = row[12:]
    facts = [fact(IS, kind), fact(PLATFORM, platform)]
    for flag, on in (
        ("reply", reply_to),
        ("quote", quote_of),
        ("repost", is_repost),
        ("truncated", truncated),
        ("deleted", deleted),
    ):
        if on:
            facts.append(fact(IS, flag))
    if key in extras.media:
        facts.append(fact(HAS, "media"))
    if key in extras.links:
        facts.append(fact(HAS, "link"))
    facts.extend(fact(TAG, tag) for tag in extras.tags.get(key, ()))
    facts.extend(fact(MENTION, handle_) for handle_ in extras.mentions.get(key, ()))
    if handle:
        facts.append(fact(AUTHOR, fold(handle)))
    if lang:
        facts.append(fact(LANG, lang.lower()))
    if root and root != key:
        facts.append(fact(THREAD, root))
    document: Document = {ID_FIELD: key, TEXT_FIELD: text or "", FACTS_FIELD: facts}
    if created:
        facts += [fact(MONTH, created[:7]), fact(DAY, created[:10])]
        seconds = epoch_seconds(created)
        document[TIME_FIELD] = seconds
        document[DAY_FIELD] = seconds // 86400
    if author_id:
        document[AUTHOR_HASH_FIELD] = author_hash(author_id)
    if name:
        document[NAME_FIELD] = name
    coding = extras.coding.get(key)
    if coding is not None:
        facts.extend(coding_facts(coding))
    return document


def coding_facts(coding: CodingFields) -> list[str]:
    """The facts of a post's coding state (names arrive lower-cased; folding also drops accents)."""
    facts = [fact(CODE, fold_label(code)) for code in coding.codes]
    facts += [fact(CODER, fold_label(coder)) for coder in coding.coders]
    facts += [fact(CODE_CODER, fold_label(pair)) for pair in coding.code_coder]
    facts += [fact(COMPLETED, fold_label(coder)) for coder in coding.completed_by]
    if coding.coders or coding.completed_by:
        facts.append(fact(IS, "coded"))
    return facts


def fold_label(label: str) -> str:
    """A code or coder name as one term: folded, runs of whitespace made one space."""
    return " ".join(fold(word) for word in label.split())


def epoch_seconds(created: str) -> int:
    """Seconds since 1970 of a stored UTC time (``2017-10-15T08:00:00Z``); 0 when it cannot be read."""
    try:
        return int(datetime.fromisoformat(created.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return 0
