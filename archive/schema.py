"""The project database schema, as an ordered list of migrations (``PRAGMA user_version`` counts them)."""

from __future__ import annotations

# Each migration is a list of statements run in one transaction. Append, never edit a shipped one.
MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID""",
        """CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            file TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            format TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'cancelled', 'failed')),
            started_at TEXT NOT NULL,
            finished_at TEXT,
            items_done INTEGER NOT NULL DEFAULT 0,
            new INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            context INTEGER NOT NULL DEFAULT 0,
            skipped INTEGER NOT NULL DEFAULT 0,
            tombstones INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX imports_sha256 ON imports(sha256)",
        """CREATE TABLE import_errors (
            id INTEGER PRIMARY KEY,
            import_id INTEGER NOT NULL REFERENCES imports(id),
            file TEXT NOT NULL,
            line INTEGER,
            locator TEXT,
            reason TEXT NOT NULL,
            excerpt TEXT
        )""",
        "CREATE INDEX import_errors_import ON import_errors(import_id)",
        """CREATE TABLE authors (
            id TEXT PRIMARY KEY,
            platform TEXT NOT NULL,
            native_id TEXT NOT NULL,
            handle TEXT,
            name TEXT,
            description TEXT,
            raw BLOB
        )""",
        "CREATE INDEX authors_handle ON authors(handle COLLATE NOCASE)",
        """CREATE TABLE posts (
            id TEXT PRIMARY KEY,
            platform TEXT NOT NULL,
            native_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('placeholder', 'context', 'collected')),
            author_id TEXT,
            created_at TEXT,
            created_raw TEXT,
            text TEXT NOT NULL DEFAULT '',
            text_format TEXT NOT NULL DEFAULT 'plain',
            truncated INTEGER NOT NULL DEFAULT 0,
            lang TEXT,
            reply_to_id TEXT,
            reply_to_user_id TEXT,
            root_id TEXT,
            quote_of_id TEXT,
            repost_of_id TEXT,
            is_repost INTEGER NOT NULL DEFAULT 0,
            url TEXT,
            visibility TEXT,
            deleted INTEGER NOT NULL DEFAULT 0,
            withheld TEXT,
            edit_group_id TEXT,
            metrics TEXT,
            retrieved_at TEXT,
            raw BLOB,
            import_id INTEGER,
            source_line INTEGER,
            source_locator TEXT
        )""",
        "CREATE INDEX posts_root ON posts(root_id)",
        "CREATE INDEX posts_reply_to ON posts(reply_to_id)",
        "CREATE INDEX posts_created ON posts(created_at)",
        "CREATE INDEX posts_author ON posts(author_id)",
        """CREATE TABLE post_hashtags (
            post_id TEXT NOT NULL, tag TEXT NOT NULL, display TEXT NOT NULL,
            PRIMARY KEY (post_id, tag)
        ) WITHOUT ROWID""",
        "CREATE INDEX post_hashtags_tag ON post_hashtags(tag)",
        """CREATE TABLE post_mentions (
            post_id TEXT NOT NULL, handle TEXT NOT NULL, PRIMARY KEY (post_id, handle)
        ) WITHOUT ROWID""",
        """CREATE TABLE post_urls (
            post_id TEXT NOT NULL, url TEXT NOT NULL, PRIMARY KEY (post_id, url)
        ) WITHOUT ROWID""",
        """CREATE TABLE media (
            post_id TEXT NOT NULL, position INTEGER NOT NULL, kind TEXT NOT NULL,
            url TEXT, alt_text TEXT, media_key TEXT, PRIMARY KEY (post_id, position)
        ) WITHOUT ROWID""",
        # Durable queue of posts the search index has not caught up with; written in the same
        # transaction as every change, so a crash never loses an index update.
        """CREATE TABLE index_queue (
            post_id TEXT PRIMARY KEY, queued_at TEXT NOT NULL
        ) WITHOUT ROWID""",
    ],
]

SCHEMA_VERSION = len(MIGRATIONS)
