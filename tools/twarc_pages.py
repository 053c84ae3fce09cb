"""Lay out finished demo posts as the response pages of a twarc2 hashtag search and its conversations."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from demo_notation import Draft

PAGE_SIZE = 100
RETRIEVED = datetime(2022, 3, 8, 14, 2, 11, tzinfo=UTC)
TWARC_VERSION = "2.10.4"
SEARCH_URL = "https://api.twitter.com/2/tweets/search/all?"
SEARCH_START, SEARCH_END = "2017-10-13T00:00:00Z", "2017-11-01T00:00:00Z"
SEARCH_TAGS = [
    "MeToo",
    "MenToo",
    "IHave",
    "HowIWillChange",
    "NotAllMen",
    "BalanceTonPorc",
    "MoiAussi",
    "YoTambién",
    "QuellaVoltaChe",
]
FIELDS = {
    "expansions": "author_id,in_reply_to_user_id,referenced_tweets.id,referenced_tweets.id.author_id,"
    "entities.mentions.username,attachments.media_keys",
    "tweet.fields": "attachments,author_id,conversation_id,created_at,entities,id,in_reply_to_user_id,lang,"
    "public_metrics,possibly_sensitive,referenced_tweets,reply_settings,source,text",
    "user.fields": "created_at,description,id,location,name,profile_image_url,protected,public_metrics,url,"
    "username,verified",
    "media.fields": "alt_text,duration_ms,height,media_key,preview_image_url,type,url,width",
}


class Pages:
    """The pages of one collection: search results, newest first, then each conversation's replies."""

    def __init__(self, drafts: list[Draft], users: Iterable[dict[str, Any]], media: dict[str, dict[str, Any]]):
        self.drafts = drafts
        self.media = media
        self.by_id = {draft.tweet["id"]: draft for draft in drafts}
        self.by_user_id = {user["id"]: user for user in users}

    def all(self) -> list[dict[str, Any]]:
        live = [draft for draft in self.drafts if not draft.deleted]
        for draft in live:
            if not draft.parent and not matches_search(draft):
                raise ValueError(f"{draft.where}: no search for {SEARCH_TAGS} would have collected this post")
        found = sorted((d for d in live if matches_search(d)), key=_id, reverse=True)
        return self.search(found) + self.conversations(found, live)

    def search(self, found: list[Draft]) -> list[dict[str, Any]]:
        """``twarc2 search --archive`` over the hashtags, PAGE_SIZE posts a page."""
        query = " OR ".join("#" + tag for tag in SEARCH_TAGS)
        url = SEARCH_URL + urlencode(
            {**FIELDS, "start_time": SEARCH_START, "end_time": SEARCH_END, "query": query, "max_results": 100}
        )
        result = []
        for number, first in enumerate(range(0, len(found), PAGE_SIZE)):
            token = f"b26v89c19zqg8o3fpc{number:02d}x8mg3demo" if first + PAGE_SIZE < len(found) else None
            chunk = found[first : first + PAGE_SIZE]
            result.append(self.page(chunk, url, token, RETRIEVED + timedelta(seconds=4 * number)))
        return result

    def conversations(self, found: list[Draft], live: list[Draft]) -> list[dict[str, Any]]:
        """``twarc2 conversations`` for the threads the search found: one page each, if it has replies."""
        later = RETRIEVED + timedelta(minutes=3)
        roots = [d for d in found if not d.parent and not d.retweet_of]
        result = []
        for number, root in enumerate(roots):
            replies = sorted((d for d in live if d.parent and d.root is root), key=_id, reverse=True)
            if replies:
                url = SEARCH_URL + urlencode(
                    {**FIELDS, "query": f"conversation_id:{root.tweet['id']}", "max_results": 100}
                )
                result.append(self.page(replies, url, None, later + timedelta(seconds=3 * number)))
        return result

    def page(self, chunk: list[Draft], url: str, token: str | None, when: datetime) -> dict[str, Any]:
        """One response page with its includes; a reference to a deleted post becomes an error entry."""
        users: dict[str, dict[str, Any]] = {}
        tweets: dict[str, dict[str, Any]] = {}
        media: dict[str, dict[str, Any]] = {}
        errors: list[dict[str, str]] = []
        for draft in chunk:
            self._add_users(users, draft.tweet)
            for key in draft.tweet.get("attachments", {}).get("media_keys", []):
                media[key] = self.media[key]
            for ref in draft.tweet.get("referenced_tweets", []):
                target = self.by_id[ref["id"]]
                if not target.deleted:
                    tweets.setdefault(ref["id"], target.tweet)
                    self._add_users(users, target.tweet)
                elif all(error["resource_id"] != ref["id"] for error in errors):
                    errors.append(_not_found(ref["id"]))
        includes: dict[str, Any] = {"users": list(users.values())}
        if tweets:
            includes["tweets"] = list(tweets.values())
        if media:
            includes["media"] = list(media.values())
        page: dict[str, Any] = {"data": [d.tweet for d in chunk], "includes": includes}
        if errors:
            page["errors"] = errors
        meta: dict[str, Any] = {
            "newest_id": chunk[0].tweet["id"],
            "oldest_id": chunk[-1].tweet["id"],
            "result_count": len(chunk),
        }
        if token:
            meta["next_token"] = token
        page["meta"] = meta
        page["__twarc"] = {"url": url, "version": TWARC_VERSION, "retrieved_at": when.isoformat()}
        return page

    def _add_users(self, users: dict[str, dict[str, Any]], tweet: dict[str, Any]) -> None:
        mentioned = (m["id"] for m in tweet.get("entities", {}).get("mentions", []))
        for user_id in [tweet["author_id"], *mentioned]:
            users.setdefault(user_id, self.by_user_id[user_id])


def matches_search(draft: Draft) -> bool:
    """Whether the hashtag search finds the post (a retweet is found by its original's hashtags)."""
    source = draft.retweet_of or draft
    wanted = {tag.casefold() for tag in SEARCH_TAGS}
    tags = source.tweet.get("entities", {}).get("hashtags", [])
    return any(item["tag"].casefold() in wanted for item in tags)


def write_pages(out: Path, pages: list[dict[str, Any]]) -> int:
    """Write one page a line as twarc does; returns the number of posts written."""
    with open(out, "w", encoding="utf-8", newline="\n") as handle:
        for page in pages:
            # json.dumps with its defaults (ASCII escapes, ", " and ": ") is exactly how twarc writes lines.
            handle.write(json.dumps(page) + "\n")
    return sum(len(page["data"]) for page in pages)


def _id(draft: Draft) -> int:
    return int(draft.tweet["id"])


def _not_found(tweet_id: str) -> dict[str, str]:
    return {
        "value": tweet_id,
        "detail": f"Could not find tweet with referenced_tweets.id: [{tweet_id}].",
        "title": "Not Found Error",
        "resource_type": "tweet",
        "parameter": "referenced_tweets.id",
        "resource_id": tweet_id,
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    }
