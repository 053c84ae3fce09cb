"""Reader for the X personal archive ("Download your data"): tweets.js, tweet.js, tweets-partN.js, deleted-tweets.js."""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from archive.errors import SourceReadError
from archive.formats import ReadOptions
from archive.formats.common import parse_v2_time, unescape_x
from archive.formats.sniff import X_ARCHIVE_PART, X_ARCHIVE_POST_PARTS
from archive.formats.twitter_v1 import (
    PLATFORM,
    as_dict,
    as_list,
    dump_excerpt,
    entities_of,
    metrics_of,
    parse_time,
    status_url,
    text_or_none,
    unique,
    withheld_of,
)
from archive.formats.x_archive_list import YtdItem, ytd_items
from archive.importing.records import AuthorRecord, ImportIssue, ImportItem, PostRecord
from archive.importing.sources import Source
from archive.importing.streams import DAMAGED_STREAM_ERRORS

Json = dict[str, Any]
MANIFEST_LIMIT = 16 << 20
STATUS_URL = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(?:i/web|[^/?#]+)/status(?:es)?/(\d+)/?(?:[?#].*)?$"
)
RETWEET_PREFIX = "RT @"


@dataclass(slots=True)
class _Note:
    """A long post's full text from note-tweet.js."""

    text: str
    hashtags: list[str]
    mentions: list[str]
    urls: list[str]


@dataclass(slots=True)
class _Archive:
    """What the files next to a tweets part say about its posts: the owner, long texts, the export date."""

    author: AuthorRecord | None = None
    retrieved_at: str | None = None
    notes: dict[int, list[_Note]] = field(default_factory=dict)  # by creation time, epoch seconds


def read(source: Source, options: ReadOptions) -> Iterator[ImportItem]:
    """Every post (or deleted post) of one archive part, and the items that could not be read."""
    del options  # an archive offers no reading choices
    deleted = _part_kind(source) == "deleted_tweets"
    archive = yield from _load_archive(source)
    for entry in ytd_items(source):
        if isinstance(entry, ImportIssue):
            yield entry
        else:
            yield _post(entry, archive, deleted)


def _part_kind(source: Source) -> str | None:
    head = source.head()
    match = X_ARCHIVE_PART.match(head)
    if match:
        kind = match.group(1).decode()
        if kind not in X_ARCHIVE_POST_PARTS:
            raise SourceReadError(f"{source.name}: the X archive part '{kind}' holds no posts we read")
        return kind
    if head.lstrip().startswith(b"["):
        return None  # the list alone, with the JavaScript assignment removed
    raise SourceReadError(f"{source.name}: expected an X archive part starting 'window.YTD.tweets.part0 = ['")


# --- one archive tweet ---------------------------------------------------------------------------------


def _post(item: YtdItem, archive: _Archive, deleted: bool) -> PostRecord | ImportIssue:
    wrapper = as_dict(item.value)
    tweet = wrapper.get("tweet")
    locator = f"[{item.index}].tweet"
    if not isinstance(tweet, dict):
        return ImportIssue(item.line, 'expected an item {"tweet": {...}}', f"[{item.index}]", dump_excerpt(item.value))
    native_id = tweet.get("id_str")
    if not isinstance(native_id, str) or not native_id.isdigit():
        return ImportIssue(item.line, "expected a tweet with a numeric 'id_str'", locator, dump_excerpt(tweet))
    created_raw = tweet.get("created_at")
    created_at = parse_time(created_raw)
    if created_at is None:
        reason = f"tweet {native_id}: expected created_at like 'Wed Apr 11 01:25:19 +0000 2018', found {created_raw!r}"
        return ImportIssue(item.line, reason, locator, dump_excerpt(tweet))
    raw_text = tweet.get("full_text", tweet.get("text"))
    text = unescape_x(raw_text if isinstance(raw_text, str) else "")
    hashtags, mentions, urls, media = entities_of(tweet)
    is_repost = text.startswith(RETWEET_PREFIX)
    note = None if is_repost else _find_note(archive, created_at, text)
    if note is not None:
        text = note.text
        hashtags, mentions = unique(hashtags + note.hashtags), unique(mentions + note.mentions)
        urls = unique(urls + note.urls)
    metrics = metrics_of(tweet)
    handle = archive.author.handle if archive.author else None
    return PostRecord(
        platform=PLATFORM,
        native_id=native_id,
        created_at=created_at,
        created_raw=str(created_raw),
        text=text,
        # The archive keeps only a retweet's own text, cut at about 140 characters.
        truncated=is_repost and text.endswith("…"),
        lang=text_or_none(tweet.get("lang")),
        author=archive.author,
        reply_to=text_or_none(tweet.get("in_reply_to_status_id_str")),
        reply_to_user=text_or_none(tweet.get("in_reply_to_user_id_str")),
        quote_of=None if is_repost else _quoted_id(urls, native_id),
        is_repost=is_repost,
        url=status_url(native_id, handle),
        deleted=deleted,
        withheld=withheld_of(tweet),
        edit_group=_edit_group(tweet),
        metrics=metrics,
        retrieved_at=archive.retrieved_at if metrics else None,
        hashtags=hashtags,
        mentions=mentions,
        urls=urls,
        media=media,
        raw=tweet,
        line=item.line,
        locator=locator,
    )


def _quoted_id(urls: list[str], own_id: str) -> str | None:
    """The archive has no quoted_status: a quote shows only as a link to the quoted status."""
    for url in reversed(urls):  # the quote link comes after any links the author wrote
        match = STATUS_URL.match(url)
        if match and match.group(1) != own_id:
            return match.group(1)
    return None


def _edit_group(tweet: Json) -> str | None:
    """The first id of an edited post's history (edit_info.initial on the first version, .edit on later ones)."""
    edit_info = as_dict(tweet.get("edit_info"))
    initial = [i for i in as_list(as_dict(edit_info.get("initial")).get("editTweetIds")) if isinstance(i, str)]
    if len(initial) > 1:
        return initial[0]
    return text_or_none(as_dict(edit_info.get("edit")).get("initialTweetId"))


# --- the files next to the tweets: account.js, manifest.js, note-tweet.js ------------------------------


def _load_archive(source: Source) -> Generator[ImportIssue, None, _Archive]:
    archive = _Archive()
    manifest = _manifest(_sibling(source, "manifest.js"))
    info, user = as_dict(manifest.get("archiveInfo")), as_dict(manifest.get("userInfo"))
    archive.retrieved_at = _iso_time(info.get("generationDate"))
    account = _sibling(source, "account.js")
    if account is not None:
        archive.author = yield from _account(account)
    if archive.author is None and isinstance(user.get("accountId"), str):
        archive.author = _author(user["accountId"], user.get("userName"), user.get("displayName"), user)
    notes = _sibling(source, "note-tweet.js")
    if notes is not None:
        archive.notes = yield from _notes(notes)
    return archive


def _sibling(source: Source, name: str) -> Source | None:
    """``name`` next to the part, or with the part's own file-name prefix (``milahu_account.js``)."""
    base = source.basename
    prefixes = [""] + [base[: at + 1] for at in range(len(base) - 1, -1, -1) if base[at] in "_-"]
    for prefix in prefixes:
        found = source.sibling(prefix + name)
        if found is not None and (found.path, found.member) != (source.path, source.member):
            return found
    return None


def _account(source: Source) -> Generator[ImportIssue, None, AuthorRecord | None]:
    for entry in ytd_items(source):
        if isinstance(entry, ImportIssue):
            yield _sibling_issue(source, entry)
            continue
        account = as_dict(as_dict(entry.value).get("account"))
        if isinstance(account.get("accountId"), str):
            # The account file also holds the owner's e-mail address, which a research project does not need.
            raw = {key: value for key, value in account.items() if key not in ("email", "phoneNumber")}
            return _author(account["accountId"], account.get("username"), account.get("accountDisplayName"), raw)
    return None


def _author(native_id: str, handle: object, name: object, raw: Json) -> AuthorRecord:
    return AuthorRecord(PLATFORM, native_id, text_or_none(handle), text_or_none(name), raw=raw)


def _notes(source: Source) -> Generator[ImportIssue, None, dict[int, list[_Note]]]:
    notes: dict[int, list[_Note]] = {}
    for entry in ytd_items(source):
        if isinstance(entry, ImportIssue):
            yield _sibling_issue(source, entry)
            continue
        note = as_dict(as_dict(entry.value).get("noteTweet"))
        core = as_dict(note.get("core"))
        created = _epoch(note.get("createdAt"))
        if not isinstance(core.get("text"), str) or created is None:
            reason = "expected a noteTweet with 'createdAt' and 'core.text'; its long text was not used"
            yield _sibling_issue(source, ImportIssue(entry.line, reason, f"[{entry.index}]", dump_excerpt(entry.value)))
            continue
        notes.setdefault(created, []).append(_note(core))
    return notes


def _note(core: Json) -> _Note:
    def values(key: str, *names: str) -> list[str]:
        found = (as_dict(item).get(name) for item in as_list(core.get(key)) for name in names)
        return unique(value for value in found if isinstance(value, str) and value)

    return _Note(
        text=unescape_x(core["text"]),
        hashtags=values("hashtags", "text", "hashtag"),
        mentions=values("mentions", "screenName", "screen_name"),
        urls=values("urls", "expandedUrl", "expanded_url"),
    )


def _find_note(archive: _Archive, created_at: str, text: str) -> _Note | None:
    """The note whose creation time (to the second) and opening words match a cut long post."""
    if not archive.notes:
        return None
    created, key = _epoch(created_at), _opening(text)
    if created is None or not key:  # with no words before a link, any post of that second would match
        return None
    for second in (created, created - 1, created + 1):
        for note in archive.notes.get(second, []):
            if _opening(note.text).startswith(key):
                return note
    return None


def _opening(text: str) -> str:
    """The start of a text up to its first link: what a cut post and its note share."""
    return text.split("https://t.co/", 1)[0].rstrip(" \n…")[:100]


def _manifest(source: Source | None) -> Json:
    """manifest.js (``window.__THAR_CONFIG = {...}``), a few kilobytes; {} when absent or unreadable."""
    if source is None:
        return {}
    try:
        with source.open() as stream:
            data = stream.read(MANIFEST_LIMIT)
        return as_dict(orjson.loads(data[data.find(b"{") :]))
    except (orjson.JSONDecodeError, SourceReadError, *DAMAGED_STREAM_ERRORS):
        return {}  # the manifest only adds the export date and a fallback owner


def _sibling_issue(source: Source, issue: ImportIssue) -> ImportIssue:
    issue.reason = f"{source.basename}: {issue.reason}"
    return issue


def _epoch(value: object) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


def _iso_time(value: object) -> str | None:
    try:
        return parse_v2_time(value) if isinstance(value, str) else None
    except ValueError:
        return None
