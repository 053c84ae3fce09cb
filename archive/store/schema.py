"""The project database schema, as an ordered list of migrations (``PRAGMA user_version`` counts them)."""

from __future__ import annotations

# A random (version 4) UUID written by SQLite itself, so every project gets its own codebook guid.
_SQL_UUID4 = (
    "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || "
    "substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
)

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
    # 2: coding. Coders, the codebook (one per project, versioned, with a change log), codings on whole
    # posts or spans, per-coder completion, memos, samples, assignments and the persistent undo log.
    [
        """CREATE TABLE coders (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL COLLATE NOCASE UNIQUE,
            full_name TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            retired_at TEXT
        )""",
        # One codebook per project; ``version`` goes up with every change, so a version names one state.
        """CREATE TABLE codebook (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            guid TEXT NOT NULL,
            name TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT
        )""",
        f"INSERT INTO codebook (id, guid, name) VALUES (1, {_SQL_UUID4}, 'Codebook')",
        # AUTOINCREMENT on every table the undo log re-inserts into: an id freed by an undo is never
        # handed to a new row, so a later redo can put the old row back under its own id.
        """CREATE TABLE codes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            guid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            parent_id INTEGER REFERENCES codes(id),
            position INTEGER NOT NULL DEFAULT 0,
            exclusive INTEGER NOT NULL DEFAULT 0,
            codable INTEGER NOT NULL DEFAULT 1,
            description TEXT NOT NULL DEFAULT '',
            inclusion TEXT NOT NULL DEFAULT '',
            exclusion TEXT NOT NULL DEFAULT '',
            examples TEXT NOT NULL DEFAULT '[]',
            color TEXT,
            shortcut TEXT,
            created_at TEXT NOT NULL,
            retired_at TEXT,
            successors TEXT NOT NULL DEFAULT '[]'
        )""",
        "CREATE UNIQUE INDEX codes_name ON codes(name COLLATE NOCASE)",
        "CREATE INDEX codes_parent ON codes(parent_id)",
        """CREATE TABLE codebook_changes (
            version INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            coder_id INTEGER REFERENCES coders(id),
            action TEXT NOT NULL,
            summary TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}'
        )""",
        """CREATE TABLE codings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            post_id TEXT NOT NULL REFERENCES posts(id),
            code_id INTEGER NOT NULL REFERENCES codes(id),
            coder_id INTEGER NOT NULL REFERENCES coders(id),
            span_start INTEGER,
            span_end INTEGER,
            codebook_version INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT '',
            CHECK ((span_start IS NULL AND span_end IS NULL) OR (0 <= span_start AND span_start < span_end))
        )""",
        """CREATE UNIQUE INDEX codings_unique
            ON codings(post_id, coder_id, code_id, ifnull(span_start, -1), ifnull(span_end, -1))""",
        "CREATE INDEX codings_code ON codings(code_id)",
        "CREATE INDEX codings_coder ON codings(coder_id)",
        # A row means "this coder finished this post"; finished without codings is "coded, no code applies",
        # no row is "not coded yet". Reliability depends on the difference.
        """CREATE TABLE coder_status (
            post_id TEXT NOT NULL REFERENCES posts(id),
            coder_id INTEGER NOT NULL REFERENCES coders(id),
            completed_at TEXT NOT NULL,
            PRIMARY KEY (post_id, coder_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX coder_status_coder ON coder_status(coder_id)",
        """CREATE TABLE memos (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            target_kind TEXT NOT NULL CHECK (target_kind IN ('post', 'code', 'thread', 'project')),
            target_id TEXT NOT NULL DEFAULT '',
            coder_id INTEGER NOT NULL REFERENCES coders(id),
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX memos_target ON memos(target_kind, target_id)",
        """CREATE TABLE samples (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL COLLATE NOCASE UNIQUE,
            method TEXT NOT NULL CHECK (method IN ('random', 'stratified', 'threads')),
            rule TEXT NOT NULL,
            seed INTEGER NOT NULL,
            population INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            coder_id INTEGER REFERENCES coders(id)
        )""",
        """CREATE TABLE sample_posts (
            sample_id INTEGER NOT NULL REFERENCES samples(id),
            post_id TEXT NOT NULL REFERENCES posts(id),
            position INTEGER NOT NULL,
            stratum TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (sample_id, post_id)
        ) WITHOUT ROWID""",
        """CREATE TABLE assignments (
            coder_id INTEGER NOT NULL REFERENCES coders(id),
            post_id TEXT NOT NULL REFERENCES posts(id),
            sample_id INTEGER REFERENCES samples(id),
            assigned_at TEXT NOT NULL,
            PRIMARY KEY (coder_id, post_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX assignments_post ON assignments(post_id)",
        # Persistent, per-coder undo: each row is one action, its row changes as JSON (before/after).
        """CREATE TABLE undo_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            coder_id INTEGER NOT NULL REFERENCES coders(id),
            at TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('coding', 'codebook', 'memo')),
            label TEXT NOT NULL,
            changes TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('done', 'undone'))
        )""",
        "CREATE INDEX undo_log_coder ON undo_log(coder_id, state, id)",
        # Blind coding is on until someone lifts it for the project: independent coding is the safe default.
        "INSERT INTO meta (key, value) VALUES ('coding.blind_mode', 'on')",
    ],
    # 3: adjudication. The gold standard (one final value per post and code or variable) and its audit
    # trail, both apart from the independent codings, which adjudication never touches.
    [
        # ``code_id`` names an independent code (then ``present`` is 1 or 0) or a variable (then
        # ``value_code_id`` is the chosen value, NULL when no value applies). ``coder_values`` keeps each
        # coder's value at the time of the decision, as JSON, so the decision can be read later in context.
        """CREATE TABLE gold (
            post_id TEXT NOT NULL REFERENCES posts(id),
            code_id INTEGER NOT NULL REFERENCES codes(id),
            value_code_id INTEGER REFERENCES codes(id),
            present INTEGER CHECK (present IN (0, 1)),
            method TEXT NOT NULL CHECK (method IN ('unanimous', 'majority', 'adjudicated', 'consensus_meeting')),
            adjudicator_id INTEGER NOT NULL REFERENCES coders(id),
            rationale TEXT NOT NULL DEFAULT '',
            coder_values TEXT NOT NULL DEFAULT '{}',
            codebook_version INTEGER NOT NULL,
            resolved_at TEXT NOT NULL,
            CHECK (present IS NULL OR value_code_id IS NULL),
            PRIMARY KEY (post_id, code_id)
        ) WITHOUT ROWID""",
        # Append-only: every decision, replacement and withdrawal, with the gold row before and after.
        """CREATE TABLE gold_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            post_id TEXT NOT NULL,
            code_id INTEGER NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('set', 'replace', 'clear')),
            before TEXT,
            after TEXT,
            coder_id INTEGER NOT NULL REFERENCES coders(id),
            at TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX gold_log_post ON gold_log(post_id, code_id)",
    ],
    [
        # Posts rows are wide (the compressed raw copy lives in them), so counting collected posts,
        # replies and threads scanned the whole file: 5.5 s at a million posts. This covering index
        # answers those counts, and lists of collected posts, from a narrow b-tree.
        "CREATE INDEX posts_kind_links ON posts(kind, root_id, reply_to_id)",
    ],
    [
        # The indexer forgot queue rows by comparing their times as text, and the import writer stamped
        # seconds while the coding store stamped milliseconds: a change queued during a rebuild could be
        # forgotten unindexed. Rows now carry a number that only grows (AUTOINCREMENT never reuses one);
        # queued_at stays for people reading the table, in the store's one time format.
        """CREATE TABLE index_queue_seq (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            post_id TEXT NOT NULL UNIQUE,
            queued_at TEXT NOT NULL
        )""",
        "INSERT INTO index_queue_seq (post_id, queued_at) SELECT post_id, queued_at FROM index_queue "
        "ORDER BY queued_at, post_id",
        "DROP TABLE index_queue",
        "ALTER TABLE index_queue_seq RENAME TO index_queue",
    ],
    # 6: posts and accounts the platform could not return at collection time (a twarc2 page's "Could not
    # find tweet", "User has been suspended") are facts about the collection, not damage: they get a table
    # of their own and a count on the import, and leave import_errors, where earlier imports put them.
    [
        """CREATE TABLE unavailable (
            id INTEGER PRIMARY KEY,
            import_id INTEGER NOT NULL REFERENCES imports(id),
            platform TEXT NOT NULL,
            resource_type TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            reason TEXT NOT NULL,
            file TEXT NOT NULL,
            line INTEGER,
            locator TEXT,
            raw TEXT
        )""",
        "CREATE INDEX unavailable_import ON unavailable(import_id)",
        "ALTER TABLE imports ADD COLUMN unavailable INTEGER NOT NULL DEFAULT 0",
        # Earlier imports wrote "the X API could not return <type> <id> (<title>: <detail>)".
        """INSERT INTO unavailable (import_id, platform, resource_type, resource_id, reason, file, line, locator, raw)
        SELECT import_id, 'twitter', substr(rest, 1, instr(rest, ' ') - 1),
            substr(rest, instr(rest, ' ') + 1, instr(rest, ' (') - instr(rest, ' ') - 1),
            substr(rest, instr(rest, ' (') + 2, length(rest) - instr(rest, ' (') - 2), file, line, locator, excerpt
        FROM (SELECT *, substr(reason, 28) AS rest FROM import_errors
              WHERE reason LIKE 'the X API could not return % % (%)')
        ORDER BY id""",
        """UPDATE imports SET
            unavailable = (SELECT count(*) FROM unavailable WHERE unavailable.import_id = imports.id),
            skipped = max(0, skipped - (SELECT count(*) FROM unavailable WHERE unavailable.import_id = imports.id))""",
        "DELETE FROM import_errors WHERE reason LIKE 'the X API could not return % % (%)'",
    ],
]

SCHEMA_VERSION = len(MIGRATIONS)
