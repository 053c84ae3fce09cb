"""The oracle's view of a project: every searchable post read straight from SQLite, with its words.

Nothing here uses the index or ``index/``: posts, authors, entities and coding come from the store's own
tables with plain SQL, and words from ``tests.oracle.text``.
"""

from __future__ import annotations

import calendar
import sqlite3
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .text import analyse, fold, sequence

_POSTS = (
    "SELECT p.id, p.kind, p.platform, p.created_at, coalesce(p.text, ''), p.lang, p.reply_to_id, p.quote_of_id, "
    "p.is_repost, p.truncated, p.deleted, p.root_id, p.author_id, a.handle, a.name "
    "FROM posts AS p LEFT JOIN authors AS a ON a.id = p.author_id WHERE p.kind != 'placeholder'"
)


@dataclass(slots=True)
class FieldWords:
    """One text field of a post as the index sees it: term counts, length, and each term's positions."""

    counts: Counter[str]
    length: int
    positions: set[tuple[str, int]]
    sequence: list[str]

    @classmethod
    def of(cls, text: str) -> FieldWords:
        words = analyse(text, for_index=True)
        return cls(Counter(w.term for w in words), len(words), {(w.term, w.position) for w in words}, sequence(text))


@dataclass(slots=True)
class Post:
    """A searchable post (collected or context) with everything a query can ask about it."""

    key: str
    kind: str
    platform: str
    created: str | None
    lang: str | None
    reply: bool
    quote: bool
    repost: bool
    truncated: bool
    deleted: bool
    root: str | None
    author_id: str | None
    handle: str | None
    text: FieldWords
    name: FieldWords
    tags: set[str] = field(default_factory=set)
    mentions: set[str] = field(default_factory=set)
    media: bool = False
    link: bool = False
    pairs: set[tuple[str, str]] = field(default_factory=set)  # (code, coder), folded
    completed: set[str] = field(default_factory=set)  # coders who finished the post

    @property
    def codes(self) -> set[str]:
        return {code for code, _ in self.pairs}

    @property
    def coders(self) -> set[str]:
        return {coder for _, coder in self.pairs}

    @property
    def time(self) -> int:
        """Seconds since 1970; 0 for a post without a date (docs: such posts count as the oldest)."""
        if not self.created:
            return 0
        return calendar.timegm(time.strptime(self.created, "%Y-%m-%dT%H:%M:%SZ"))

    def words(self, field_name: str) -> FieldWords:
        return self.text if field_name == "text" else self.name


def fold_label(label: str) -> str:
    """A code or coder name as the query language compares it: any case, accents folded, spaces single."""
    return " ".join(fold(part) for part in label.split())


def load_posts(conn: sqlite3.Connection) -> dict[str, Post]:
    """Every post that search covers (placeholders are never searchable), by key."""
    posts = {row[0]: _post(row) for row in conn.execute(_POSTS)}
    for key, tag in conn.execute("SELECT post_id, tag FROM post_hashtags"):
        if key in posts:
            posts[key].tags.add(fold(tag))
    for key, handle in conn.execute("SELECT post_id, handle FROM post_mentions"):
        if key in posts:
            posts[key].mentions.add(fold(handle))
    for (key,) in conn.execute("SELECT DISTINCT post_id FROM media"):
        if key in posts:
            posts[key].media = True
    for (key,) in conn.execute("SELECT DISTINCT post_id FROM post_urls"):
        if key in posts:
            posts[key].link = True
    _load_coding(conn, posts)
    return posts


def _post(row: tuple[object, ...]) -> Post:
    key, kind, platform, created, text, lang, reply, quote, repost, truncated, deleted, root = row[:12]
    author_id, handle, name = row[12:]
    return Post(
        str(key),
        str(kind),
        str(platform),
        created if isinstance(created, str) else None,
        lang if isinstance(lang, str) else None,
        bool(reply),
        bool(quote),
        bool(repost),
        bool(truncated),
        bool(deleted),
        root if isinstance(root, str) else None,
        author_id if isinstance(author_id, str) else None,
        handle if isinstance(handle, str) else None,
        FieldWords.of(str(text)),
        FieldWords.of(name if isinstance(name, str) else ""),
    )


def _load_coding(conn: sqlite3.Connection, posts: dict[str, Post]) -> None:
    sql = (
        "SELECT c.post_id, k.name, d.name FROM codings AS c JOIN codes AS k ON k.id = c.code_id "
        "JOIN coders AS d ON d.id = c.coder_id"
    )
    for key, code, coder in conn.execute(sql):
        if key in posts:
            posts[key].pairs.add((fold_label(code), fold_label(coder)))
    sql = "SELECT s.post_id, d.name FROM coder_status AS s JOIN coders AS d ON d.id = s.coder_id"
    for key, coder in conn.execute(sql):
        if key in posts:
            posts[key].completed.add(fold_label(coder))


def blind_mode(conn: sqlite3.Connection) -> bool:
    """Blind mode is on unless the project lead lifted it (docs: "the default until ... lifts it")."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'coding.blind_mode'").fetchone()
    return row is None or row[0] != "off"


def postings(posts: dict[str, Post], field_name: str) -> dict[str, set[str]]:
    """Each term of a field and the posts that hold it: the vocabulary that word queries expand over."""
    found: dict[str, set[str]] = defaultdict(set)
    for key, post in posts.items():
        for term in post.words(field_name).counts:
            found[term].add(key)
    return dict(found)
