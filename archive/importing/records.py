"""Normalised records that every importer yields and the store writes: posts, authors, media, issues."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class PostKind(StrEnum):
    """How a post came into the project; the store keeps the strongest kind seen for an id."""

    PLACEHOLDER = "placeholder"  # referenced (parent, quote, repost, root) but never seen
    CONTEXT = "context"  # seen only as context of collected posts (twarc2 includes, RT originals)
    COLLECTED = "collected"  # a post the researcher's collection actually holds

    @property
    def rank(self) -> int:
        return _KIND_RANK[self]


_KIND_RANK = {PostKind.PLACEHOLDER: 0, PostKind.CONTEXT: 1, PostKind.COLLECTED: 2}


def post_key(platform: str, native_id: str) -> str:
    """The store's primary key for a post: ``platform:native_id`` (ids are always text)."""
    return f"{platform}:{native_id}"


@dataclass(slots=True)
class AuthorRecord:
    """An account as the archive describes it at collection time."""

    platform: str
    native_id: str
    handle: str | None = None
    name: str | None = None
    description: str | None = None
    raw: dict[str, object] | None = None

    @property
    def key(self) -> str:
        return post_key(self.platform, self.native_id)


@dataclass(slots=True)
class MediaRecord:
    """One attached photo, video or GIF."""

    kind: str
    url: str | None = None
    alt_text: str | None = None
    media_key: str | None = None


@dataclass(slots=True)
class PostRecord:
    """One post, normalised across formats.

    Ids of other posts (``reply_to``, ``root``, ``quote_of``, ``repost_of``, ``edit_group``) are
    *native* ids on the same platform; the store turns them into keys and makes placeholders for
    the ones it has not seen.
    """

    platform: str
    native_id: str
    kind: PostKind = PostKind.COLLECTED
    created_at: str | None = None  # UTC, ISO-8601 "YYYY-MM-DDTHH:MM:SSZ"
    created_raw: str | None = None  # the archive's own timestamp string
    text: str = ""
    text_format: str = "plain"
    truncated: bool = False  # the archive only holds a cut text
    lang: str | None = None
    author: AuthorRecord | None = None
    reply_to: str | None = None
    reply_to_user: str | None = None
    root: str | None = None  # conversation root as the archive states it; None = derive from replies
    quote_of: str | None = None
    repost_of: str | None = None
    is_repost: bool = False  # also True for archive retweets whose original id is unknown
    url: str | None = None
    visibility: str | None = None
    deleted: bool = False
    withheld: str | None = None  # country codes or scope, as the archive states them
    edit_group: str | None = None  # first id of the edit history
    metrics: dict[str, int] | None = None
    retrieved_at: str | None = None  # when metrics were collected (UTC ISO-8601)
    hashtags: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    media: list[MediaRecord] = field(default_factory=list)
    raw: object = None  # the original object, kept (compressed) by the store
    line: int = 0  # 1-based line of the source file the record came from
    locator: str = ""  # JSON path inside that line, e.g. "includes.tweets[3]"

    @property
    def key(self) -> str:
        return post_key(self.platform, self.native_id)


# The locator of the issue that ends a file read only in part (cut off, damaged, over a limit).
DAMAGE_LOCATOR = "(rest of file)"


@dataclass(slots=True)
class ImportIssue:
    """Something in the input that could not be imported; recorded, never fatal."""

    line: int
    reason: str
    locator: str = ""
    excerpt: str = ""


@dataclass(slots=True)
class Tombstone:
    """A notice that a post was deleted (v1.1 stream ``delete``, X archive deleted-tweets)."""

    platform: str
    native_id: str
    line: int = 0


@dataclass(slots=True)
class Unavailable:
    """A post or account the platform said it could not return at collection time (deleted, suspended).

    Not damage: the collection itself records the gap (a twarc2 page's ``errors``), so it is counted and
    listed apart from import errors.
    """

    platform: str
    resource_type: str  # as the platform names it: "tweet", "user"
    resource_id: str  # an id, or a handle when the post named the account by it
    reason: str  # the platform's own words
    line: int = 0
    locator: str = ""
    raw: str = ""  # the entry as JSON

    @property
    def is_post(self) -> bool:
        return self.resource_type in POST_RESOURCES


# How platforms name a post among the resources they could not return.
POST_RESOURCES = frozenset({"tweet", "post", "status"})

ImportItem = PostRecord | ImportIssue | Tombstone | Unavailable
