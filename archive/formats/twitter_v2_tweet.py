"""One X API v2 tweet object to a PostRecord, resolved against the users, tweets and media it refers to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from archive.formats.common import json_excerpt, json_text, parse_v2_time, snowflake_time, unescape_x
from archive.importing.records import AuthorRecord, ImportIssue, MediaRecord, PostKind, PostRecord, Unavailable

PLATFORM = "twitter"
V2_TIME_EXAMPLE = "2021-09-22T16:37:29.000Z"

JsonDict = dict[str, object]


@dataclass(slots=True)
class Lookup:
    """What a tweet's ids point to: users by id, tweets by id, media by media_key.

    twarc2 pages hold these in ``includes``; ``twarc2 flatten`` copies them into each tweet. Both
    paths fill the same lookup so that one function turns either into identical records.
    """

    users: dict[str, JsonDict] = field(default_factory=dict)
    tweets: dict[str, JsonDict] = field(default_factory=dict)
    media: dict[str, JsonDict] = field(default_factory=dict)

    @classmethod
    def from_includes(cls, includes: JsonDict, data: Iterable[object] = ()) -> Lookup:
        """The lookup of a response page: its ``includes`` plus its ``data`` tweets."""
        lookup = cls()
        lookup.users = _by_key(dicts(includes.get("users")), "id")
        # An original may sit in ``data`` rather than ``includes``; knowing both costs nothing.
        lookup.tweets = _by_key([*dicts(list(data)), *dicts(includes.get("tweets"))], "id")
        lookup.media = _by_key(dicts(includes.get("media")), "media_key")
        return lookup

    @classmethod
    def from_flat(cls, tweet: JsonDict) -> Lookup:
        """The lookup of a flattened tweet: its inline ``author``, referenced tweets and media."""
        lookup = cls()
        # A referenced tweet without text is an include twarc could not find (deleted, withheld).
        references = [ref for ref in dicts(tweet.get("referenced_tweets")) if "text" in ref]
        lookup.tweets = _by_key(references, "id")
        for item in [tweet, *references]:
            lookup.users.update(_by_key([as_dict(item.get("author"))], "id"))
            lookup.media.update(_by_key(dicts(as_dict(item.get("attachments")).get("media")), "media_key"))
        return lookup


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a tweet object was found and how the collection holds it."""

    line: int
    locator: str = ""
    kind: PostKind = PostKind.COLLECTED
    retrieved_at: str | None = None

    def issue(self, reason: str, obj: object) -> ImportIssue:
        return ImportIssue(self.line, reason, self.locator, json_excerpt(obj))


def tweet_record(tweet: object, lookup: Lookup, origin: Origin) -> PostRecord | ImportIssue:
    """The PostRecord of one v2 tweet object, or the issue that stops it from being one."""
    if not isinstance(tweet, dict):
        return origin.issue(f"expected a tweet object with an 'id', found {type(tweet).__name__}", tweet)
    post_id = native_id(tweet.get("id"))
    if post_id is None or not isinstance(tweet.get("text"), str):
        # Every v2 tweet has its default fields id and text: without them the object is not a tweet, and
        # reading it anyway would store a post with no text (another platform's record, a forced format).
        return origin.issue("expected a tweet object with an 'id' and a 'text'", tweet)
    created_raw = text_of(tweet.get("created_at"))
    try:
        # Without created_at (not asked for in tweet.fields) the snowflake id still dates the tweet.
        created_at = parse_v2_time(created_raw) if created_raw else snowflake_time(post_id)
    except ValueError:
        reason = f"tweet {post_id}: expected created_at like {V2_TIME_EXAMPLE}, found {created_raw!r}"
        return origin.issue(reason, tweet)
    references = _references(tweet)
    repost_of = references.get("retweeted")
    original = lookup.tweets.get(repost_of) if repost_of else None
    # The v2 text of a retweet is "RT @user: …" cut near 140 characters; the original has it whole.
    parts = [tweet, original] if original is not None else [tweet]
    author = _author(tweet, lookup)
    return PostRecord(
        platform=PLATFORM,
        native_id=post_id,
        kind=origin.kind,
        created_at=created_at,
        created_raw=created_raw,
        text=full_text(parts[-1]),
        truncated=repost_of is not None and original is None,
        lang=text_of(tweet.get("lang")),
        author=author,
        reply_to=references.get("replied_to"),
        reply_to_user=native_id(tweet.get("in_reply_to_user_id")),
        root=native_id(tweet.get("conversation_id")),
        quote_of=references.get("quoted"),
        repost_of=repost_of,
        is_repost=repost_of is not None,
        url=_status_url(post_id, author),
        withheld=_withheld(tweet),
        edit_group=_edit_group(tweet),
        metrics=_metrics(tweet),
        retrieved_at=origin.retrieved_at,
        hashtags=_entity_values(parts, "hashtags", "tag"),
        mentions=_entity_values(parts, "mentions", "username"),
        urls=_entity_values(parts, "urls", "expanded_url", "url"),
        media=_media(parts, lookup),
        raw=tweet,
        line=origin.line,
        locator=origin.locator,
    )


def error_item(error: JsonDict, origin: Origin) -> Unavailable | ImportIssue:
    """An ``errors[]`` entry of a response page.

    One that names a tweet or user the API could not return (deleted, suspended, protected) is a fact
    about the collection, kept as Unavailable; any other (a stream disconnect, say) is an import issue.
    """
    title = text_of(error.get("title")) or "error"
    detail = text_of(error.get("detail")) or text_of(error.get("message")) or "no detail given"
    resource = native_id(error.get("resource_id")) or native_id(error.get("value"))
    if resource:
        kind = text_of(error.get("resource_type")) or "resource"
        raw = json_text(error) or ""
        return Unavailable(PLATFORM, kind, resource, f"{title}: {detail}", origin.line, origin.locator, raw)
    return origin.issue(f"the X API reported an error ({title}: {detail})", error)


def full_text(tweet: JsonDict) -> str:
    """The whole text: ``note_tweet.text`` for long posts (when collected), else ``text``; unescaped."""
    note = text_of(as_dict(tweet.get("note_tweet")).get("text"))
    return unescape_x(note or text_of(tweet.get("text")) or "")


def retrieved_at(obj: JsonDict) -> str | None:
    """When twarc fetched this page or tweet (``__twarc.retrieved_at``), in the store's UTC form."""
    value = text_of(as_dict(obj.get("__twarc")).get("retrieved_at"))
    try:
        return parse_v2_time(value) if value else None
    except ValueError:
        return None


def _references(tweet: JsonDict) -> dict[str, str]:
    """Referenced ids by type (``replied_to``, ``quoted``, ``retweeted``); the first of each type wins."""
    found: dict[str, str] = {}
    for ref in dicts(tweet.get("referenced_tweets")):
        kind, ref_id = text_of(ref.get("type")), native_id(ref.get("id"))
        if kind and ref_id:
            found.setdefault(kind, ref_id)
    return found


def _author(tweet: JsonDict, lookup: Lookup) -> AuthorRecord | None:
    author_id = native_id(tweet.get("author_id"))
    if author_id is None:
        return None
    # Suspended or deleted users are missing from includes (flatten leaves ``{}``): the id is still known.
    user = lookup.users.get(author_id)
    if user is None:
        return AuthorRecord(PLATFORM, author_id)
    return AuthorRecord(
        PLATFORM,
        author_id,
        handle=text_of(user.get("username")),
        name=text_of(user.get("name")),
        description=text_of(user.get("description")),
        raw=user,
    )


def _status_url(post_id: str, author: AuthorRecord | None) -> str:
    if author is not None and author.handle:
        return f"https://twitter.com/{author.handle}/status/{post_id}"
    return f"https://twitter.com/i/web/status/{post_id}"


def _withheld(tweet: JsonDict) -> str | None:
    withheld = tweet.get("withheld")
    if not isinstance(withheld, dict):
        return None
    codes = [code for code in as_list(withheld.get("country_codes")) if isinstance(code, str)]
    if codes:
        return ",".join(codes)
    scope = text_of(withheld.get("scope"))
    if scope:
        return scope
    return "copyright" if withheld.get("copyright") is True else None


def _edit_group(tweet: JsonDict) -> str | None:
    """The first id of the edit history, when the tweet has been edited (more than one version)."""
    ids = [i for i in map(native_id, as_list(tweet.get("edit_history_tweet_ids"))) if i]
    return ids[0] if len(ids) > 1 else None


def _metrics(tweet: JsonDict) -> dict[str, int] | None:
    counts = as_dict(tweet.get("public_metrics"))
    metrics = {k: v for k, v in counts.items() if isinstance(v, int) and not isinstance(v, bool)}
    return metrics or None


def _entity_values(parts: list[JsonDict], kind: str, *keys: str) -> list[str]:
    """Entity values of a tweet and (for a retweet) its original, each once, in order of appearance.

    A retweet's own entities stop where its cut text stops, but they name the retweeted account;
    the original's entities cover the full text. Long posts keep theirs in ``note_tweet.entities``.
    """
    values: list[str] = []
    for part in parts:
        groups = [part.get("entities")]
        note = part.get("note_tweet")
        if note:  # rare: only long posts collected with note_tweet
            groups.append(as_dict(note).get("entities"))
        for entities in groups:
            found = entities.get(kind) if isinstance(entities, dict) else None
            if not found:
                continue
            for entity in dicts(found):
                for key in keys:
                    value = entity.get(key)
                    if isinstance(value, str) and value:
                        values.append(value)
                        break
    return list(dict.fromkeys(values)) if len(values) > 1 else values


def _media(parts: list[JsonDict], lookup: Lookup) -> list[MediaRecord]:
    """Attached media by ``attachments.media_keys`` (a retweet shows its original's media)."""
    keys = [k for part in parts for k in as_list(as_dict(part.get("attachments")).get("media_keys"))]
    return [_media_record(key, lookup.media.get(key)) for key in dict.fromkeys(k for k in keys if isinstance(k, str))]


def _media_record(key: str, media: JsonDict | None) -> MediaRecord:
    if media is None:  # the key is known but includes lacked the object
        return MediaRecord(kind="unknown", media_key=key)
    return MediaRecord(
        kind=text_of(media.get("type")) or "unknown",
        url=_media_url(media),
        alt_text=text_of(media.get("alt_text")),
        media_key=key,
    )


def _media_url(media: JsonDict) -> str | None:
    """Photos have ``url``; videos and GIFs their best mp4 variant, else the preview image."""
    url = text_of(media.get("url"))
    if url:
        return url
    mp4 = [v for v in dicts(media.get("variants")) if v.get("content_type") == "video/mp4" and text_of(v.get("url"))]
    if mp4:
        return text_of(max(mp4, key=_bit_rate).get("url"))
    return text_of(media.get("preview_image_url"))


def _bit_rate(variant: JsonDict) -> int:
    rate = variant.get("bit_rate")
    return rate if isinstance(rate, int) else 0


def _by_key(items: list[JsonDict], key: str) -> dict[str, JsonDict]:
    """Objects by their id (or media_key); the first copy of a duplicate wins."""
    found: dict[str, JsonDict] = {}
    for item in items:
        value = native_id(item.get(key))
        if value is not None:
            found.setdefault(value, item)
    return found


def as_dict(value: object) -> JsonDict:
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def dicts(value: object) -> list[JsonDict]:
    """The objects of a JSON list; anything else in it (or a non-list) is ignored."""
    return [item for item in as_list(value) if isinstance(item, dict)]


def text_of(value: object) -> str | None:
    return value if isinstance(value, str) else None


def native_id(value: object) -> str | None:
    """An id as text: v2 ids are strings, but some tools write them as numbers."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None
