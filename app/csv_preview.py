"""What the first rows of a CSV become through a column mapping, read by the real reader (Qt-free).

The mapping dialog shows this preview, so a researcher sees the posts as they will be stored (dates in
UTC, references resolved, problems with their line) before importing a large file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

from archive.errors import ThreadcoderError
from archive.formats import ReadOptions
from archive.formats.csv_dialect import DELIMITER_NAMES, CsvDialect, CsvTable
from archive.formats.csv_generic import FIELDS, guess_mapping, read
from archive.importing.records import ImportIssue, PostRecord
from archive.importing.sources import Source

PREVIEW_ITEMS = 20
# How the mapping dialog names our fields; "id" and "text" are required.
FIELD_LABELS = {
    "id": "Post id",
    "text": "Text",
    "created_at": "Date and time",
    "author_id": "Author id",
    "author_handle": "Author handle",
    "author_name": "Author name",
    "reply_to": "Reply to (post id)",
    "root": "Thread root (post id)",
    "quote_of": "Quote of (post id)",
    "repost_of": "Repost of (post id)",
    "lang": "Language",
    "hashtags": "Hashtags",
    "mentions": "Mentions",
    "urls": "Links",
    "url": "Post URL",
    "referenced_ids": "Referenced post ids",
    "referenced_types": "Referenced types",
}
assert set(FIELD_LABELS) == set(FIELDS), "every field of the generic CSV reader needs a label"


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One row of the preview: a post as it would be stored, or a problem with its line."""

    line: int
    post_id: str = ""
    created_at: str = ""
    author: str = ""
    text: str = ""
    refers_to: str = ""
    problem: str = ""


@dataclass(slots=True)
class CsvLayout:
    """The file's header and dialect, read once when the dialog opens (and when the dialect is changed)."""

    header: list[str]
    dialect: CsvDialect

    @property
    def description(self) -> str:
        delimiter = DELIMITER_NAMES.get(self.dialect.delimiter, repr(self.dialect.delimiter))
        return f"{len(self.header)} columns, {delimiter}-separated, {self.dialect.encoding}"


@dataclass(slots=True)
class Preview:
    rows: list[PreviewRow] = field(default_factory=list)
    error: str = ""


def read_layout(source: Source, options: ReadOptions) -> CsvLayout:
    """The header and the dialect (sniffed, or as ``options`` force it); raises ThreadcoderError."""
    table = CsvTable(source, options)
    return CsvLayout(table.header, table.dialect)


def initial_mapping(layout: CsvLayout, options: ReadOptions) -> dict[str, str]:
    """The mapping to start from: the one given (keeping only columns the file has), else a guess."""
    given = {f: c for f, c in options.csv_mapping.items() if c in layout.header}
    return given or guess_mapping(layout.header)


def preview(source: Source, options: ReadOptions, limit: int = PREVIEW_ITEMS) -> Preview:
    """The first ``limit`` records (posts and problems) that reading ``source`` with ``options`` gives."""
    if not options.csv_mapping.get("id") or not options.csv_mapping.get("text"):
        return Preview(error="Choose the columns that hold the post id and the text.")
    try:
        items = list(islice(read(source, options), limit))
    except ThreadcoderError as error:
        return Preview(error=str(error).removeprefix(f"{source.name}: "))
    return Preview(_merged([_row(item) for item in items if isinstance(item, PostRecord | ImportIssue)]))


def _merged(rows: list[PreviewRow]) -> list[PreviewRow]:
    """One row per line: a problem the reader reported about a post's cell joins that post's row."""
    posts = {row.line: row for row in rows if row.post_id}
    merged: list[PreviewRow] = []
    for row in rows:
        post = posts.get(row.line)
        if not row.post_id and post is not None:
            problems = "; ".join(p for p in (post.problem, row.problem) if p)
            posts[row.line] = PreviewRow(
                post.line, post.post_id, post.created_at, post.author, post.text, post.refers_to, problems
            )
            continue
        merged.append(row)
    return [posts.get(row.line, row) if row.post_id else row for row in merged]


def _row(item: PostRecord | ImportIssue) -> PreviewRow:
    if isinstance(item, ImportIssue):
        return PreviewRow(item.line, problem=item.reason)
    references = (("reply to", item.reply_to), ("quote of", item.quote_of), ("repost of", item.repost_of))
    refers = [f"{label} {value}" for label, value in references if value]
    author = f"@{item.author.handle}" if item.author and item.author.handle else ""
    return PreviewRow(
        item.line or 0,
        item.native_id,
        (item.created_at or "").replace("T", " ").removesuffix("Z"),
        author,
        item.text,
        ", ".join(refers),
        "",
    )
