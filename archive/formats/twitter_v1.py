"""Reader for X API v1.1 tweets in JSON Lines: twarc 1, Hydrator, tweepy dumps and stream captures."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from archive.formats import ReadOptions
from archive.formats.common import json_excerpt, json_lines, parse_v1_time, unescape_x
from archive.formats.shapes import Shape, shape_of, wrong_shape_reason
from archive.importing.records import (
    AuthorRecord,
    ImportIssue,
    ImportItem,
    MediaRecord,
    PostKind,
    PostRecord,
    Tombstone,
)
from archive.importing.sources import Source

PLATFORM = "twitter"
Json = dict[str, Any]

# Stream notices that hold nothing to import: rate-limit counts, geo scrubbing, withholding and
# connection notices. Delete notices are the exception and become tombstones.
SKIPPED_NOTICES = ("limit", "scrub_geo", "status_withheld", "user_withheld", "disconnect", "warning")
# Tweets carried inside a tweet; both are context for the collected one.
NESTED_TWEETS = ("retweeted_status", "quoted_status")
# v1.1 count fields and the metric names the store uses (the v2 names).
METRIC_FIELDS = {
    "favorite_count": "like_count",
    "retweet_count": "retweet_count",
    "reply_count": "reply_count",
    "quote_count": "quote_count",
}
V1_TIME_EXAMPLE = "Wed Apr 11 01:25:19 +0000 2018"


def read(source: Source, options: ReadOptions) -> Iterator[ImportItem]:
    """Every post, context post, delete notice and bad line of a v1.1 JSON Lines input."""
    del options  # v1.1 input offers no reading choices
    for entry in json_lines(source):
        if isinstance(entry, ImportIssue):
            yield entry
            continue
        number, obj = entry
        yield from _line_items(obj, number)


def _line_items(obj: Json, line: int) -> Iterator[ImportItem]:
    if "delete" in obj:
        yield _tombstone(obj, line)
    elif "id_str" in obj or "user" in obj:
        yield from tweet_items(obj, line)
    elif shape_of(obj) is Shape.V1_NOTICE:
        # A notice is one small object; a record that merely has a "warning" key is not one, and is reported.
        notice = next(key for key in SKIPPED_NOTICES if key in obj)
        if not isinstance(obj[notice], dict):
            yield ImportIssue(line, f"expected a '{notice}' stream notice object", notice, dump_excerpt(obj))
    else:
        yield ImportIssue(line, wrong_shape_reason(obj, "v1.1"), excerpt=dump_excerpt(obj))


def _tombstone(obj: Json, line: int) -> Tombstone | ImportIssue:
    status = as_dict(as_dict(obj.get("delete")).get("status"))
    native_id = status.get("id_str")
    if isinstance(native_id, str) and native_id:
        return Tombstone(PLATFORM, native_id, line)
    return ImportIssue(line, "expected a delete notice with 'delete.status.id_str'", "delete", dump_excerpt(obj))


def tweet_items(tweet: Json, line: int) -> Iterator[PostRecord | ImportIssue]:
    """A collected tweet and the retweeted and quoted tweets inside it, each once per line."""
    seen: set[str] = set()
    pending: list[tuple[Json, str, PostKind]] = [(tweet, "", PostKind.COLLECTED)]
    while pending:
        obj, locator, kind = pending.pop(0)
        record = tweet_record(obj, line, locator, kind)
        if isinstance(record, PostRecord):
            if record.native_id in seen:  # an RT of a quote repeats the quote at the top level
                continue
            seen.add(record.native_id)
        yield record
        for key in NESTED_TWEETS:
            nested = obj.get(key)
            if isinstance(nested, dict):
                pending.append((nested, f"{locator}.{key}" if locator else key, PostKind.CONTEXT))


def tweet_record(tweet: Json, line: int, locator: str, kind: PostKind) -> PostRecord | ImportIssue:
    """One v1.1 tweet object as a PostRecord, or the issue that kept it out."""
    native_id = tweet.get("id_str")
    if not isinstance(native_id, str) or not native_id:
        return ImportIssue(line, "expected a tweet object with an 'id_str'", locator, dump_excerpt(tweet))
    created_raw = tweet.get("created_at")
    created_at = parse_time(created_raw)
    if created_at is None:
        reason = f"tweet {native_id}: expected created_at like '{V1_TIME_EXAMPLE}', found {created_raw!r}"
        return ImportIssue(line, reason, locator, dump_excerpt(tweet))
    original = tweet.get("retweeted_status")
    original = original if isinstance(original, dict) else None
    # A retweet's own text is "RT @user: …" cut at 140 characters; the original holds the full text.
    content = original or tweet
    text, truncated = full_text(content)
    hashtags, mentions, urls, media = entities_of(content)
    if original is not None:
        own = entities_of(tweet)  # the retweeted account is mentioned only in the RT's own entities
        hashtags, mentions, urls = unique(own[0] + hashtags), unique(own[1] + mentions), unique(own[2] + urls)
    author = author_record(tweet.get("user"))
    return PostRecord(
        platform=PLATFORM,
        native_id=native_id,
        kind=kind,
        created_at=created_at,
        created_raw=str(created_raw),
        text=text,
        truncated=truncated,
        lang=text_or_none(tweet.get("lang")),
        author=author,
        reply_to=text_or_none(tweet.get("in_reply_to_status_id_str")),
        reply_to_user=text_or_none(tweet.get("in_reply_to_user_id_str")),
        # A retweet repeats its original's quote at the top level; only the original quotes.
        quote_of=None if original is not None else quoted_id(tweet),
        repost_of=text_or_none(original.get("id_str")) if original is not None else None,
        is_repost=original is not None,
        url=status_url(native_id, author.handle if author else None),
        withheld=withheld_of(tweet),
        metrics=metrics_of(tweet),
        hashtags=hashtags,
        mentions=mentions,
        urls=urls,
        media=media,
        raw=tweet,
        line=line,
        locator=locator,
    )


def full_text(tweet: Json) -> tuple[str, bool]:
    """The untruncated text of a (non-retweet) tweet and whether only a cut text was found."""
    extended = as_dict(tweet.get("extended_tweet"))
    for candidate in (extended.get("full_text"), tweet.get("full_text")):
        if isinstance(candidate, str):
            return unescape_x(candidate), False
    text = tweet.get("text")
    # Streamed tweets over 140 characters say truncated:true and should carry extended_tweet.
    return unescape_x(text if isinstance(text, str) else ""), tweet.get("truncated") is True


def entities_of(tweet: Json) -> tuple[list[str], list[str], list[str], list[MediaRecord]]:
    """Hashtags, mentioned handles, expanded URLs and media, from extended_tweet when present."""
    holder = as_dict(tweet.get("extended_tweet")) or tweet
    entities = as_dict(holder.get("entities"))
    media = as_list(as_dict(holder.get("extended_entities")).get("media")) or as_list(entities.get("media"))
    return (
        _values(entities.get("hashtags"), "text"),
        _values(entities.get("user_mentions"), "screen_name"),
        [url for item in as_list(entities.get("urls")) if (url := _expanded_url(item))],
        [media_record(item) for item in media if isinstance(item, dict)],
    )


def media_record(media: Json) -> MediaRecord:
    """A photo, video or GIF: photos by their image URL, videos and GIFs by their best MP4."""
    kind = text_or_none(media.get("type")) or "photo"
    url = text_or_none(media.get("media_url_https")) or text_or_none(media.get("media_url"))
    variants = [v for v in as_list(as_dict(media.get("video_info")).get("variants")) if isinstance(v, dict)]
    mp4s = [v for v in variants if v.get("content_type") == "video/mp4" and isinstance(v.get("url"), str)]
    if kind != "photo" and mp4s:
        url = str(max(mp4s, key=lambda v: to_int(v.get("bitrate")) or 0)["url"])
    return MediaRecord(kind, url, text_or_none(media.get("ext_alt_text")), text_or_none(media.get("media_key")))


def author_record(user: object) -> AuthorRecord | None:
    """The account snapshot in a tweet's ``user`` object, if it has an id."""
    if not isinstance(user, dict) or not isinstance(user.get("id_str"), str):
        return None
    return AuthorRecord(
        platform=PLATFORM,
        native_id=user["id_str"],
        handle=text_or_none(user.get("screen_name")),
        name=text_or_none(user.get("name")),
        description=text_or_none(user.get("description")),
        raw=user,
    )


def quoted_id(tweet: Json) -> str | None:
    quoted = tweet.get("quoted_status_id_str") or as_dict(tweet.get("quoted_status")).get("id_str")
    return quoted if isinstance(quoted, str) and quoted else None


def withheld_of(tweet: Json) -> str | None:
    """Country codes joined by ',', else the withheld scope or "copyright", as the tweet states them."""
    countries = [c for c in as_list(tweet.get("withheld_in_countries")) if isinstance(c, str)]
    if countries:
        return ",".join(countries)
    return text_or_none(tweet.get("withheld_scope")) or ("copyright" if tweet.get("withheld_copyright") else None)


def metrics_of(tweet: Json) -> dict[str, int] | None:
    """The counts a tweet carries, under the v2 names; archive counts are strings."""
    counts = {name: to_int(tweet.get(field)) for field, name in METRIC_FIELDS.items()}
    found = {name: value for name, value in counts.items() if value is not None}
    return found or None


def parse_time(value: object) -> str | None:
    """A v1.1 ``created_at`` in the store's UTC form, or None when it is missing or invalid."""
    if not isinstance(value, str):
        return None
    try:
        return parse_v1_time(value)
    except ValueError:
        return None


def status_url(native_id: str, handle: str | None) -> str:
    return f"https://twitter.com/{handle or 'i/web'}/status/{native_id}"


def to_int(value: object) -> int | None:
    """An int from a JSON number or a digit string (X archives store numbers as text)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def unique(values: Iterable[str]) -> list[str]:
    """Values in first-seen order without repeats."""
    return list(dict.fromkeys(values))


def as_dict(value: object) -> Json:
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _values(items: object, key: str) -> list[str]:
    return [item[key] for item in as_list(items) if isinstance(item, dict) and isinstance(item.get(key), str)]


def _expanded_url(item: object) -> str | None:
    if not isinstance(item, dict):
        return None
    return text_or_none(item.get("expanded_url")) or text_or_none(item.get("url"))


def text_or_none(value: object) -> str | None:
    """A non-empty string field, or None for anything else."""
    return value if isinstance(value, str) and value else None


def dump_excerpt(obj: object) -> str:
    """The start of an object as JSON, for an issue's excerpt."""
    return json_excerpt(obj)
