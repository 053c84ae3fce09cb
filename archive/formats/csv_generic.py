"""Any CSV of posts, read through a column mapping from our field names to the file's column names."""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive.errors import UnknownFormatError
from archive.formats import ReadOptions
from archive.formats.common import unescape_x
from archive.formats.csv_cells import RowCells, entity_values, list_items, looks_cut
from archive.formats.csv_dialect import CsvTable
from archive.importing.records import AuthorRecord, ImportIssue, ImportItem, PostRecord
from archive.importing.sources import Source

FIELDS = (
    "id",
    "text",
    "created_at",
    "author_id",
    "author_handle",
    "author_name",
    "reply_to",
    "root",
    "quote_of",
    "repost_of",
    "lang",
    "hashtags",
    "mentions",
    "urls",
    "url",
    # A list of referenced post ids with a parallel list of their types (replied_to, quoted,
    # retweeted), or one column of [{"type": ..., "id": ...}] as twarc writes it.
    "referenced_ids",
    "referenced_types",
)
REQUIRED = ("id", "text")
# Header names (compared lower-case, with spaces, dots and hyphens as underscores) tried in order.
HEADER_GUESSES: dict[str, tuple[str, ...]] = {
    "id": ("id", "tweet_id", "post_id", "status_id", "id_str", "message_id"),
    "text": ("text", "full_text", "body", "content", "message", "tweet_text", "tweet", "post_text"),
    "created_at": (
        "created_at",
        "date",
        "timestamp",
        "time",
        "datetime",
        "created",
        "created_utc",
        "published",
        "published_at",
        "posted_at",
    ),
    "author_id": ("author_id", "user_id", "author_ids"),
    "author_handle": (
        "author_handle",
        "author",
        "username",
        "user",
        "screen_name",
        "user_screen_name",
        "handle",
        "author_username",
        "author_screen_name",
    ),
    "author_name": ("author_name", "display_name", "user_display_name", "author_display_name", "name"),
    "reply_to": (
        "reply_to",
        "in_reply_to_status_id",
        "in_reply_to_id",
        "in_reply_to",
        "parent_id",
        "referenced_tweets_replied_to_id",
    ),
    "root": ("root", "conversation_id", "thread_id", "root_id"),
    "quote_of": ("quote_of", "quoted_status_id", "quoted_id", "quote_id", "referenced_tweets_quoted_id"),
    "repost_of": (
        "repost_of",
        "retweeted_status_id",
        "retweet_of",
        "retweet_id",
        "reblog_of",
        "referenced_tweets_retweeted_id",
    ),
    "lang": ("lang", "language"),
    "hashtags": ("hashtags", "entities_hashtags", "tags"),
    "mentions": ("mentions", "entities_mentions", "user_mentions"),
    "urls": ("urls", "entities_urls", "links", "expanded_urls"),
    "url": ("url", "tweet_url", "post_url", "permalink", "link"),
    "referenced_ids": ("referenced_ids", "referenced_tweet_ids", "reference_ids", "referenced_tweets"),
    "referenced_types": ("referenced_types", "reference_types", "referenced_tweet_types", "reference_type"),
}
REFERENCE_FIELDS = {
    "replied_to": "reply_to",
    "reply": "reply_to",
    "in_reply_to": "reply_to",
    "quoted": "quote_of",
    "quote": "quote_of",
    "retweeted": "repost_of",
    "retweet": "repost_of",
    "repost": "repost_of",
    "reblog": "repost_of",
}
HEADER_SHOWN = 20
_SEPARATORS = re.compile(r"[\s.\-]+")


def read(source: Source, options: ReadOptions) -> Iterator[ImportItem]:
    """Stream the posts of a CSV file through ``options.csv_mapping`` (guessed from the header when empty).

    Raises UnknownFormatError, naming the header and the fields that need a column, when no column
    can be found for the id or the text: that is a problem of the whole file, not of a row.
    Dates are read by ``csv_cells.parse_csv_time``; a date without a time zone is taken as UTC.
    """
    table = CsvTable(source, options)
    mapping = resolve_mapping(source, table.header, options.csv_mapping)
    platform = options.platform
    for item in table.rows():
        if isinstance(item, ImportIssue):
            yield item
            continue
        line, cells = item
        # X ids are digits; other platforms' ids (Reddit base36, Mastodon URIs) are any text.
        row = RowCells(line, cells, numeric_ids=platform == "twitter")
        post = _post(row, mapping, platform)
        yield from row.issues
        if post is not None:
            yield post


def guess_mapping(header: list[str]) -> dict[str, str]:
    """Our fields matched to the header's columns by common names; a column is used once."""
    by_name: dict[str, str] = {}
    for column in header:
        by_name.setdefault(_normalised(column), column)
    mapping: dict[str, str] = {}
    for field, names in HEADER_GUESSES.items():
        found = [by_name[name] for name in names if name in by_name and by_name[name] not in mapping.values()]
        if found:
            mapping[field] = found[0]
    return mapping


def resolve_mapping(source: Source, header: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """The mapping to read with: the caller's (checked against the header) or a guessed one."""
    if mapping:
        unknown = sorted(set(mapping) - set(FIELDS))
        if unknown:
            raise UnknownFormatError(
                f"{source.name}: the column mapping names unknown fields {unknown}; fields are {', '.join(FIELDS)}"
            )
        chosen = {field: column for field, column in mapping.items() if column}
        absent = [f"{field} -> {column!r}" for field, column in chosen.items() if column not in header]
        if absent:
            raise UnknownFormatError(
                f"{source.name}: the column mapping uses columns that are not in the CSV header "
                f"({', '.join(absent)}); the header is {_shown(header)}"
            )
    else:
        chosen = guess_mapping(header)
    missing = [field for field in REQUIRED if field not in chosen]
    if missing:
        raise UnknownFormatError(
            f"{source.name}: no column for {' and '.join(missing)} in the CSV header {_shown(header)}; "
            f"choose the columns for {', '.join(missing)} in a column mapping"
        )
    return chosen


def _normalised(column: str) -> str:
    return _SEPARATORS.sub("_", column.strip().lower())


def _shown(header: list[str]) -> str:
    more = f", … ({len(header)} columns)" if len(header) > HEADER_SHOWN else ""
    return "[" + ", ".join(header[:HEADER_SHOWN]) + more + "]"


def _post(row: RowCells, mapping: dict[str, str], platform: str) -> PostRecord | None:
    native_id = row.id(mapping["id"])
    if native_id is None:
        if row.text(mapping["id"]) is None:
            row.issues.append(ImportIssue(row.line, f"expected a post id in the column '{mapping['id']}'"))
        return None
    refs = _references(row, mapping)
    text = row.cells.get(mapping["text"], "")
    repost_of = row.id(mapping.get("repost_of")) or refs.get("repost_of")
    return PostRecord(
        platform=platform,
        native_id=native_id,
        created_at=row.time(mapping.get("created_at")),
        created_raw=row.text(mapping.get("created_at")),
        # X texts come escaped from the API (&amp; &lt; &gt;); other platforms' CSVs are taken as written.
        text=unescape_x(text) if platform == "twitter" else text,
        truncated=looks_cut(text),
        lang=row.text(mapping.get("lang")),
        author=_author(row, mapping, platform),
        reply_to=row.id(mapping.get("reply_to")) or refs.get("reply_to"),
        root=row.id(mapping.get("root")),
        quote_of=row.id(mapping.get("quote_of")) or refs.get("quote_of"),
        repost_of=repost_of,
        is_repost=repost_of is not None,
        url=row.text(mapping.get("url")),
        hashtags=entity_values(row.text(mapping.get("hashtags")) or "", ("tag", "text"), "#"),
        mentions=entity_values(row.text(mapping.get("mentions")) or "", ("username", "screen_name"), "@"),
        urls=entity_values(row.text(mapping.get("urls")) or "", ("expanded_url", "url")),
        raw=row.cells,
        line=row.line,
    )


def _author(row: RowCells, mapping: dict[str, str], platform: str) -> AuthorRecord | None:
    """The author by id, or by handle when the file has no author ids (then the handle is the key)."""
    author_id = row.id(mapping.get("author_id"))
    handle = row.text(mapping.get("author_handle"))
    handle = handle.strip().removeprefix("@") if handle else None
    if not (author_id or handle):
        return None
    name = row.text(mapping.get("author_name"))
    return AuthorRecord(platform, author_id or str(handle), handle=handle, name=name)


def _references(row: RowCells, mapping: dict[str, str]) -> dict[str, str]:
    """reply_to / quote_of / repost_of from the referenced ids and types columns."""
    column = mapping.get("referenced_ids")
    cell = row.text(column)
    if column is None or cell is None:
        return {}
    types = [str(kind) for kind in list_items(row.text(mapping.get("referenced_types")) or "")]
    refs: dict[str, str] = {}
    for index, item in enumerate(list_items(cell)):
        if isinstance(item, dict):  # [{"type": "replied_to", "id": "..."}]
            kind, ref_id = str(item.get("type", "")), str(item.get("id", ""))
        else:
            kind, ref_id = (types[index] if index < len(types) else ""), str(item)
        field = REFERENCE_FIELDS.get(kind.strip().lower())
        if field is None:
            row.issue(
                column,
                f"the reference {ref_id!r} has no known type (replied_to, quoted or retweeted), found {kind!r}",
                cell,
            )
            continue
        checked = row.checked_id(column, ref_id)
        if checked:
            refs.setdefault(field, checked)
    return refs
