"""A batch of imported items turned into store rows, ready to write; plain data, so it can cross processes."""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.importing.post_rows import RawCodec, Row, author_row, merge, post_row
from archive.importing.records import AuthorRecord, ImportIssue, PostKind, PostRecord, Tombstone, Unavailable

MediaTuple = tuple[str, str | None, str | None, str | None]  # kind, url, alt text, media key


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
    for record in batch.records:
        row = post_row(record, codec, import_id)
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
    collected = {r.key for r in batch.records if r.kind is PostKind.COLLECTED}
    author_rows = [author_row(author, codec) for author in authors.values()]  # encode each account once
    return PreparedBatch(
        rows, collected, entities, author_rows, batch.issues, batch.tombstones, len(batch), batch.unavailable
    )
