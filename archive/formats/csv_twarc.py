"""twarc CSV output: twarc-csv (0.7 and the older 2021 column set) and twarc 1 ``json2csv``.

Columns are always found by header name: twarc-csv's column set and order changed between
versions, and users drop or reorder columns in a spreadsheet.
"""

from __future__ import annotations

from collections.abc import Iterator

import orjson

from archive.errors import UnknownFormatError
from archive.formats import ReadOptions, csv_generic
from archive.formats.common import snowflake_time, unescape_x
from archive.formats.csv_cells import RowCells, entity_values, json_cell, list_items, looks_cut
from archive.formats.csv_dialect import CsvTable
from archive.importing.records import AuthorRecord, ImportIssue, ImportItem, MediaRecord, PostKind, PostRecord
from archive.importing.sources import Source

PLATFORM = "twitter"
REFERENCE_TYPES = ("replied_to", "retweeted", "quoted")
JSON2CSV_COLUMNS = {"id", "tweet_url", "user_screen_name", "text"}
# Column names only twarc-csv writes (dotted paths of the flattened tweet, JSON list columns).
TWARC_CSV_MARKS = (
    "referenced_tweets",
    "author.",
    "public_metrics.",
    "entities.",
    "__twarc.",
    "attachments.",
    "edit_history_tweet_ids",
)
MEDIA_KINDS = (
    ("/ext_tw_video_thumb/", "video"),
    ("/amplify_video_thumb/", "video"),
    ("/tweet_video_thumb/", "animated_gif"),
    ("/media/", "photo"),
)


def read(source: Source, options: ReadOptions) -> Iterator[ImportItem]:
    """Stream the posts of a twarc-csv or twarc 1 json2csv file; bad rows become issues."""
    table = CsvTable(source, options)
    columns = set(table.header)
    if columns >= JSON2CSV_COLUMNS:
        convert = _json2csv_posts
    elif not columns >= {"id", "text"}:
        raise UnknownFormatError(
            f"{source.name}: the CSV header [{', '.join(table.header[:12])}] has no 'id' and 'text' "
            "columns; expected twarc-csv tweets (not a users or counts file) or twarc 1 json2csv output"
        )
    elif not any(column.startswith(TWARC_CSV_MARKS) for column in columns):
        # A researcher's own CSV that merely shares twarc's plain names (id, text, conversation_id):
        # the generic reader also finds its own reference columns.
        yield from csv_generic.read(source, options)
        return
    else:
        convert = _TwarcCsv().posts
    for item in table.rows():
        if isinstance(item, ImportIssue):
            yield item
            continue
        line, cells = item
        row = RowCells(line, cells, numeric_ids=True)
        posts = convert(row)
        yield from row.issues
        yield from posts


class _TwarcCsv:
    """twarc2 csv rows; remembers whether the file JSON-encodes its text cells."""

    def __init__(self) -> None:
        self.json_text: bool | None = None  # decided on the first text cell of the file

    def posts(self, row: RowCells) -> list[PostRecord]:
        native_id = row.id("id")
        if native_id is None:
            if row.text("id") is None:
                row.issues.append(ImportIssue(row.line, "expected a tweet id in the 'id' column"))
            return []
        refs = _references(row)
        text = self.decoded(row, "text") or ""
        repost_of = refs.get("retweeted")
        # --merge-retweets (twarc-csv's default) puts the original's text, entities and counts
        # on the retweet row; an unmerged row still has the cut "RT @user: ..." text.
        merged = repost_of is not None and not text.startswith("RT @")
        post = PostRecord(
            platform=PLATFORM,
            native_id=native_id,
            # Older twarc-csv inlined referenced tweets as rows with a 'type' (quoted, ...).
            kind=PostKind.CONTEXT if row.text("type") else PostKind.COLLECTED,
            created_at=row.time("created_at"),
            created_raw=row.text("created_at"),
            text=unescape_x(text),
            truncated=looks_cut(text),
            lang=row.text("lang"),
            author=self.author(row),
            reply_to=refs.get("replied_to"),
            reply_to_user=row.id("in_reply_to_user_id"),
            root=row.id("conversation_id"),
            quote_of=refs.get("quoted"),
            repost_of=repost_of,
            is_repost=repost_of is not None,
            withheld=_withheld(row),
            edit_group=_edit_group(row),
            metrics=None if merged else _metrics(row),
            retrieved_at=row.time("__twarc.retrieved_at"),
            hashtags=entity_values(row.text("entities.hashtags") or "", ("tag",), "#"),
            mentions=entity_values(row.text("entities.mentions") or "", ("username",), "@"),
            urls=entity_values(row.text("entities.urls") or "", ("expanded_url", "url")),
            media=_media(row.text("attachments.media") or ""),
            raw=row.cells,
            line=row.line,
        )
        if not merged or repost_of is None:
            return [post]
        return [post, self.merged_original(row, post, repost_of)]

    def merged_original(self, row: RowCells, repost: PostRecord, original_id: str) -> PostRecord:
        """The retweeted post as context: a merged row holds its text, entities and counts."""
        user_id = row.id("retweeted_user_id")
        author = None
        if user_id:
            author = AuthorRecord(PLATFORM, user_id, handle=row.text("retweeted_username"))
        return PostRecord(
            platform=PLATFORM,
            native_id=original_id,
            kind=PostKind.CONTEXT,
            created_at=snowflake_time(original_id),
            text=repost.text,
            lang=repost.lang,
            author=author,
            metrics=_metrics(row),
            retrieved_at=repost.retrieved_at,
            hashtags=list(repost.hashtags),
            mentions=list(repost.mentions),
            urls=list(repost.urls),
            media=list(repost.media),
            raw=row.cells,
            line=row.line,
            locator="referenced_tweets.retweeted",
        )

    def author(self, row: RowCells) -> AuthorRecord | None:
        author_id = row.id("author.id") or row.id("author_id")
        if author_id is None:
            return None
        raw = {
            key.removeprefix("author."): value
            for key, value in row.cells.items()
            if key.startswith("author.") and value
        }
        return AuthorRecord(
            PLATFORM,
            author_id,
            handle=row.text("author.username"),
            name=self.decoded(row, "author.name"),
            description=self.decoded(row, "author.description"),
            raw=dict(raw),
        )

    def decoded(self, row: RowCells, column: str) -> str | None:
        """A free-text cell with twarc-csv's escaping undone.

        twarc-csv either JSON-encodes text (older versions, ``--json-encode-text``: the cell is
        ``"..."`` with ``\\n`` and ``\\u2019`` escapes) or only writes newlines as a literal ``\\n``
        (0.7's default). Which one is decided once per file, from its first text cell.
        """
        value = row.text(column)
        if value is None:
            return None
        if self.json_text is None and column == "text":
            self.json_text = _json_string(value) is not None
        if self.json_text:
            decoded = _json_string(value)
            return value if decoded is None else decoded
        return value.replace("\\n", "\n")


def _json_string(value: str) -> str | None:
    if len(value) < 2 or not (value.startswith('"') and value.endswith('"')):
        return None
    try:
        decoded = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None
    return decoded if isinstance(decoded, str) else None


def _references(row: RowCells) -> dict[str, str]:
    """Referenced tweet ids by type, from 0.7's ``referenced_tweets.<type>.id`` columns or the
    older single ``referenced_tweets`` column of ``[{"type": ..., "id": ...}]``."""
    refs: dict[str, str] = {}
    for kind in REFERENCE_TYPES:
        ref_id = row.id(f"referenced_tweets.{kind}.id")
        if ref_id:
            refs[kind] = ref_id
    listed = json_cell(row.text("referenced_tweets") or "")
    for entry in listed if isinstance(listed, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry.get("type") in REFERENCE_TYPES:
            found = row.checked_id("referenced_tweets", entry["id"])
            if found:
                refs.setdefault(str(entry["type"]), found)
    return refs


def _metrics(row: RowCells) -> dict[str, int] | None:
    metrics = {}
    for column in row.cells:
        if column.startswith("public_metrics."):
            value = row.integer(column)
            if value is not None:
                metrics[column.removeprefix("public_metrics.")] = value
    return metrics or None


def _withheld(row: RowCells) -> str | None:
    codes = [str(code) for code in list_items(row.text("withheld.country_codes") or "")]
    return ",".join(codes) if codes else row.text("withheld.scope")


def _edit_group(row: RowCells) -> str | None:
    history = [str(item) for item in list_items(row.text("edit_history_tweet_ids") or "")]
    return history[0] if len(history) > 1 else None


def _media(value: str) -> list[MediaRecord]:
    """twarc-csv's ``attachments.media``: a JSON list of the v2 media objects."""
    media = []
    for item in list_items(value):
        if isinstance(item, dict):
            url = item.get("url") or item.get("preview_image_url")
            media.append(
                MediaRecord(
                    kind=str(item.get("type") or "unknown"),
                    url=url if isinstance(url, str) else None,
                    alt_text=item.get("alt_text") if isinstance(item.get("alt_text"), str) else None,
                    media_key=item.get("media_key") if isinstance(item.get("media_key"), str) else None,
                )
            )
    return media


def _json2csv_posts(row: RowCells) -> list[PostRecord]:
    """A twarc 1 json2csv row: v1.1 fields, text already the full (retweeted or extended) text."""
    native_id = row.id("id")
    if native_id is None:
        if row.text("id") is None:
            row.issues.append(ImportIssue(row.line, "expected a tweet id in the 'id' column"))
        return []
    tweet_type = row.text("tweet_type") or ""
    referenced = row.id("retweet_or_quote_id")
    is_retweet = tweet_type == "retweet"
    raw_text = row.text("text") or ""
    metrics = {
        name: value
        for name, column in (("like_count", "favorite_count"), ("retweet_count", "retweet_count"))
        if (value := row.integer(column)) is not None
    }
    post = PostRecord(
        platform=PLATFORM,
        native_id=native_id,
        created_at=row.time("created_at") or row.time("parsed_created_at"),
        created_raw=row.text("created_at"),
        text=unescape_x(raw_text),
        truncated=looks_cut(raw_text),
        lang=row.text("lang"),
        author=_json2csv_author(row),
        reply_to=row.id("in_reply_to_status_id"),
        reply_to_user=row.id("in_reply_to_user_id"),
        # json2csv names one id for both: the retweeted tweet, or else the quoted one (even in a reply).
        quote_of=None if is_retweet else referenced,
        repost_of=referenced if is_retweet else None,
        is_repost=is_retweet,
        url=row.text("tweet_url"),
        metrics=None if is_retweet else metrics or None,
        hashtags=entity_values(row.text("hashtags") or "", ()),
        urls=entity_values(row.text("urls") or "", ()),
        media=[MediaRecord(kind=_media_kind(url), url=url) for url in entity_values(row.text("media") or "", ())],
        raw=row.cells,
        line=row.line,
    )
    if not (is_retweet and referenced):
        return [post]
    user_id = row.id("retweet_or_quote_user_id")
    original = PostRecord(
        platform=PLATFORM,
        native_id=referenced,
        kind=PostKind.CONTEXT,
        created_at=snowflake_time(referenced),
        text=post.text,
        lang=post.lang,
        author=AuthorRecord(PLATFORM, user_id, handle=row.text("retweet_or_quote_screen_name")) if user_id else None,
        metrics=metrics or None,  # json2csv writes the original's counts on a retweet row
        hashtags=list(post.hashtags),
        urls=list(post.urls),
        media=list(post.media),
        raw=row.cells,
        line=row.line,
        locator="retweeted_status",
    )
    return [post, original]


def _json2csv_author(row: RowCells) -> AuthorRecord | None:
    user_id = row.id("user_id")
    if user_id is None:
        return None
    raw = {key.removeprefix("user_"): value for key, value in row.cells.items() if key.startswith("user_") and value}
    return AuthorRecord(
        PLATFORM,
        user_id,
        handle=row.text("user_screen_name"),
        name=row.text("user_name"),
        description=row.text("user_description"),
        raw=dict(raw),
    )


def _media_kind(url: str) -> str:
    """json2csv keeps only media URLs; the path on pbs.twimg.com tells photos from video stills."""
    for marker, kind in MEDIA_KINDS:
        if marker in url:
            return kind
    return "unknown"
