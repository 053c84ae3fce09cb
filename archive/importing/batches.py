"""A batch of imported items turned into store rows, ready to write; plain data, so it can cross processes."""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.importing.post_rows import RawCodec, Row, author_row, merge, post_row
from archive.importing.records import AuthorRecord, ImportIssue, PostKind, PostRecord, Tombstone, Unavailable

MediaTuple = tuple[str, str | None, str | None, str | None]  # kind, url, alt text, media key
ORJSON_MAX_WRITE_DEPTH = 254


@dataclass(slots=True)
class Entities:
    """What a post's text links to, as the store's child tables hold it."""

    hashtags: list[str]
    mentions: list[str]
    urls: list[str]
    media: list[MediaTuple]


@dataclass(slots=True)
class Batch:
    """Items read from one input since the last commit."""

    records: list[PostRecord] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    tombstones: list[Tombstone] = field(default_factory=list)
    unavailable: list[Unavailable] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.records) + len(self.issues) + len(self.tombstones) + len(self.unavailable)


@dataclass(slots=True)
class PreparedBatch:
    """Rows for one batch: posts merged by key, their entities and authors, issues and delete notices."""

    rows: dict[str, Row]
    collected: set[str]
    entities: dict[str, Entities]
    authors: list[Row]
    issues: list[ImportIssue]
    tombstones: list[Tombstone]
    items: int
    unavailable: list[Unavailable] = field(default_factory=list)


def prepare(batch: Batch, codec: RawCodec, import_id: int) -> PreparedBatch:
    """The rows a batch becomes; needs no database, so a reader process can do it."""
    rows: dict[str, Row] = {}
    entities: dict[str, Entities] = {}
    authors: dict[str, AuthorRecord] = {}
    issues = list(batch.issues)
    kept: list[PostRecord] = []
    for record in batch.records:
        try:
            row = post_row(record, codec, import_id)
        except TypeError:  # orjson writes at most 254 levels: the original cannot be kept, so neither is the post
            reason = f"post {record.native_id} is nested more than {ORJSON_MAX_WRITE_DEPTH} levels deep, deeper than "
            issues.append(ImportIssue(record.line, reason + "an original can be stored; it is skipped", record.locator))
            continue
        kept.append(record)
        key = row["id"]
        rows[key] = merge(rows.get(key), row)
        entities[key] = Entities(
            record.hashtags,
            record.mentions,
            record.urls,
            [(m.kind, m.url, m.alt_text, m.media_key) for m in record.media],
        )
        if record.author is not None:
            authors[record.author.key] = record.author  # the latest description of an account wins
    collected = {r.key for r in kept if r.kind is PostKind.COLLECTED}
    author_rows = [_author_row(author, codec) for author in authors.values()]  # encode each account once
    items = len(batch)  # what the reader gave, skipped posts included: resuming skips by this count
    return PreparedBatch(rows, collected, entities, author_rows, issues, batch.tombstones, items, batch.unavailable)


def _author_row(author: AuthorRecord, codec: RawCodec) -> Row:
    try:
        return author_row(author, codec)
    except TypeError:  # an account object nested deeper than orjson writes: keep the account, not that copy
        author.raw = None
        return author_row(author, codec)
