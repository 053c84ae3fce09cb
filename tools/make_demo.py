"""Write resources/demo/metoo_demo.jsonl, a fictional twarc2 archive, from the data in resources/demo/source."""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from demo_notation import Draft, parse
from twarc_pages import Pages, write_pages

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
OUT = DEMO / "metoo_demo.jsonl"
SOURCE = DEMO / "source"
SEED = 20171015
TWITTER_EPOCH_MS = 1288834974657
RT_CUT = 139
FICTIONAL = " · fictional account (Threadcoder demo)"
LINK = re.compile(r"\{link:([^}]+)\}")
HASHTAG = re.compile(r"#(\w+)")
MENTION = re.compile(r"(?<!\w)@(\w+)")
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
SOURCES = ["Twitter for iPhone", "Twitter for Android", "Twitter Web Client", "TweetDeck"]
Link = tuple[str, str, str]  # t.co link, expanded URL, display URL


@dataclass
class DemoSource:
    """The hand-written demo: accounts, who retweets what, media descriptions and the conversations."""

    accounts: list[dict[str, str]]  # accounts that post, then the crowd that only retweets
    crowd: list[str]
    media: dict[str, dict[str, str]]
    retweets: dict[str, dict[str, Any]]
    drafts: list[Draft]


def read_source(folder: Path = SOURCE) -> DemoSource:
    """Read users.json, media.json, retweets.json and conversations.txt from ``folder``."""
    users = json.loads((folder / "users.json").read_text(encoding="utf-8"))
    conversations = folder / "conversations.txt"
    return DemoSource(
        accounts=users["accounts"] + users["crowd"],
        crowd=[row["handle"] for row in users["crowd"]],
        media=json.loads((folder / "media.json").read_text(encoding="utf-8")),
        retweets=json.loads((folder / "retweets.json").read_text(encoding="utf-8")),
        drafts=parse(conversations.read_text(encoding="utf-8"), conversations.name),
    )


class Builder:
    """Turns drafts into X API v2 tweet objects with consistent ids, entities and counts.

    Everything random comes from one generator seeded with SEED, drawn in a fixed order (accounts, retweets,
    then posts by time), so the same source always gives the same bytes.
    """

    def __init__(self, source: DemoSource) -> None:
        self.rng = random.Random(SEED)
        self.source = source
        self.users = {row["handle"]: self._user(number, row) for number, row in enumerate(source.accounts)}
        self.drafts: list[Draft] = []
        self.keys: dict[str, Draft] = {}
        self.used_ids: set[int] = set()
        self.media: dict[str, dict[str, Any]] = {}

    def _user(self, number: int, row: dict[str, str]) -> dict[str, Any]:
        handle = row["handle"]
        if not re.fullmatch(r"\w{1,15}", handle):
            raise ValueError(f"users.json: not a possible handle: {handle}")
        followers = int(self.rng.lognormvariate(5.0, 1.1))
        user: dict[str, Any] = {
            "id": str(1_840_000_000 + number * 7_919_191 + self.rng.randrange(7_000_000)),
            "username": handle,
            "name": row["name"],
            "created_at": _iso(
                datetime(2009, 3, 1, tzinfo=UTC)
                + timedelta(days=self.rng.randrange(2_900), seconds=self.rng.randrange(86_400))
            ),
            # The suffix keeps every profile visibly fictional on screen, whatever the data file says.
            "description": row["description"] + FICTIONAL,
            "protected": False,
            "verified": False,
            "url": "",
            "profile_image_url": f"https://example.org/demo-avatars/{handle}.png",
            "public_metrics": {
                "followers_count": followers,
                "following_count": int(self.rng.lognormvariate(5.5, 0.8)),
                "tweet_count": int(self.rng.lognormvariate(7.5, 1.0)),
                "listed_count": followers // 100,
            },
        }
        if row.get("location"):
            user["location"] = row["location"]
        return user

    def add(self, drafts: list[Draft]) -> None:
        for draft in drafts:
            if draft.handle not in self.users:
                raise ValueError(f"{draft.where}: @{draft.handle} is not in users.json")
            if draft.parent and draft.parent.when >= draft.when:
                raise ValueError(f"{draft.where}: a reply must come after its parent")
            if draft.key:
                if draft.key in self.keys:
                    raise ValueError(f"{draft.where}: key={draft.key} is already used")
                self.keys[draft.key] = draft
            self.drafts.append(draft)

    def add_retweets(self) -> None:
        """The named retweets of each post in retweets.json, then as many from a random part of the crowd."""
        for key, spec in self.source.retweets.items():
            if key not in self.keys:
                raise ValueError(f"retweets.json: no post has key={key}")
            original = self.keys[key]
            named: list[str] = spec["by"]
            others = [h for h in self.source.crowd if h != original.handle and h not in named]
            for handle in named + self.rng.sample(others, spec["crowd"]):
                when = original.when + timedelta(minutes=5 + int(self.rng.expovariate(1 / 600)))
                self.drafts.append(Draft(handle, when, "", None, retweet_of=original, where=f"retweets.json: {key}"))

    def snowflake(self, when: datetime) -> str:
        """An id as X makes them: milliseconds since the X epoch, then worker and sequence bits."""
        while True:
            ms = int(when.timestamp() * 1000) + self.rng.randrange(60_000)
            value = ((ms - TWITTER_EPOCH_MS) << 22) | (self.rng.randrange(1 << 10) << 12) | self.rng.randrange(64)
            if value not in self.used_ids:
                self.used_ids.add(value)
                return str(value)

    def build(self) -> None:
        """Give every draft its id and counts, then its tweet object (originals before what cites them)."""
        for draft in sorted(self.drafts, key=lambda d: d.when):
            draft.tweet["id"] = self.snowflake(draft.when)
            draft.when = _time_of(int(draft.tweet["id"]))
        for draft in self.drafts:
            if draft.parent:
                draft.parent.replies += 1
            if draft.retweet_of:
                draft.retweet_of.retweets += 1
            if draft.quote:
                self.keys[draft.quote].quotes += 1
        for draft in sorted(self.drafts, key=lambda d: d.when):
            if draft.retweet_of:
                self._retweet(draft)
            else:
                self._post(draft)

    def _post(self, draft: Draft) -> None:
        # X counts a link as 23 characters and leaves out reply names, quote links and media links.
        if len(LINK.sub("x" * 23, draft.body)) > 280:
            raise ValueError(f"{draft.where}: too long for a post")
        text, links = self._text(draft)
        tweet = draft.tweet
        tweet.update(
            text=text,
            author_id=self.users[draft.handle]["id"],
            conversation_id=draft.root.tweet["id"],
            created_at=_iso(draft.when),
            lang=draft.lang,
        )
        entities = self._entities(text, links)
        if entities:
            tweet["entities"] = entities
        references = []
        if draft.parent:
            references.append({"type": "replied_to", "id": draft.parent.tweet["id"]})
            tweet["in_reply_to_user_id"] = self.users[draft.parent.handle]["id"]
        if draft.quote:
            references.append({"type": "quoted", "id": self.keys[draft.quote].tweet["id"]})
        if references:
            tweet["referenced_tweets"] = references
        if draft.media:
            tweet["attachments"] = {"media_keys": [self._media(draft)]}
        likes = 2 * draft.retweets + 3 * draft.replies + self.rng.randrange(2, 12 if draft.parent else 40)
        tweet["public_metrics"] = {
            "retweet_count": draft.retweets + self.rng.randrange(0, 3 if draft.retweets else 1),
            "reply_count": draft.replies,
            "like_count": likes,
            "quote_count": draft.quotes,
        }
        self._finish_tweet(tweet)

    def _text(self, draft: Draft) -> tuple[str, list[Link]]:
        """The post's text as the API gives it: reply names, escaped body, t.co links for links and media."""
        text = ""
        if draft.parent and draft.parent.handle != draft.handle:
            named = [draft.parent.handle]
            grand = draft.parent.parent
            if grand and grand.handle not in (draft.handle, draft.parent.handle):
                named.append(grand.handle)
            text = " ".join("@" + handle for handle in named) + " "
        links: list[Link] = []
        body = _escape(draft.body)
        for target in LINK.findall(body):
            short = self._short()
            body = body.replace("{link:" + target + "}", short, 1)
            links.append((short, "https://" + target, target if len(target) <= 26 else target[:25] + "…"))
        text += body
        if draft.quote:
            quoted = self.keys[draft.quote]
            path = f"twitter.com/{quoted.handle}/status/{quoted.tweet['id']}"
            links.append((self._short(), "https://" + path, path[:26] + "…"))
            text += " " + links[-1][0]
        if draft.media:
            short = self._short()
            links.append(
                (
                    short,
                    f"https://twitter.com/{draft.handle}/status/{draft.tweet['id']}/photo/1",
                    "pic.twitter.com/" + short[13:],
                )
            )
            text += " " + short
        return text, links

    def _retweet(self, draft: Draft) -> None:
        original = draft.retweet_of
        assert original is not None
        prefix = f"RT @{original.handle}: "
        full = prefix + original.tweet["text"]
        # The API cuts a retweet's text at 140 characters with "…"; the full text is in includes.tweets.
        text = full if len(full) <= RT_CUT + 1 else full[:RT_CUT] + "…"
        entities: dict[str, list[dict[str, Any]]] = {
            "mentions": [
                {
                    "start": 3,
                    "end": 4 + len(original.handle),
                    "username": original.handle,
                    "id": self.users[original.handle]["id"],
                }
            ]
        }
        for kind, items in original.tweet.get("entities", {}).items():
            shifted = [
                {**item, "start": item["start"] + len(prefix), "end": item["end"] + len(prefix)} for item in items
            ]
            kept = [item for item in shifted if item["end"] <= (len(text) if text is full else RT_CUT)]
            if kept:
                entities[kind] = entities.get(kind, []) + kept
        tweet = draft.tweet
        tweet.update(
            text=text,
            author_id=self.users[draft.handle]["id"],
            conversation_id=tweet["id"],
            created_at=_iso(draft.when),
            lang=original.lang,
            entities=entities,
            referenced_tweets=[{"type": "retweeted", "id": original.tweet["id"]}],
        )
        if "attachments" in original.tweet:
            tweet["attachments"] = original.tweet["attachments"]
        tweet["public_metrics"] = {
            "retweet_count": original.tweet["public_metrics"]["retweet_count"],
            "reply_count": 0,
            "like_count": 0,
            "quote_count": 0,
        }
        self._finish_tweet(tweet)

    def _finish_tweet(self, tweet: dict[str, Any]) -> None:
        tweet.update(
            possibly_sensitive=False, reply_settings="everyone", source=SOURCES[self.rng.randrange(len(SOURCES))]
        )

    def _entities(self, text: str, links: list[Link]) -> dict[str, list[dict[str, Any]]]:
        entities: dict[str, list[dict[str, Any]]] = {}
        tags = [{"start": m.start(), "end": m.end(), "tag": m[1]} for m in HASHTAG.finditer(text)]
        mentions = [
            {"start": m.start(), "end": m.end(), "username": m[1], "id": self.users[m[1]]["id"]}
            for m in MENTION.finditer(text)
        ]
        urls = [
            {
                "start": text.index(short),
                "end": text.index(short) + len(short),
                "url": short,
                "expanded_url": expanded,
                "display_url": display,
            }
            for short, expanded, display in links
        ]
        for name, found in (("hashtags", tags), ("mentions", mentions), ("urls", urls)):
            if found:
                entities[name] = found
        return entities

    def _media(self, draft: Draft) -> str:
        if draft.media not in self.source.media:
            raise ValueError(f"{draft.where}: media={draft.media} is not in media.json")
        described = self.source.media[draft.media]
        kind = described["type"]
        media_id = str(int(draft.tweet["id"]) - (1_500 << 22))
        key = ("16_" if kind == "animated_gif" else "3_") + media_id
        item: dict[str, Any] = {
            "media_key": key,
            "type": kind,
            "width": 1200,
            "height": 900,
            "alt_text": described["alt_text"],
        }
        image = f"https://example.org/demo-media/{media_id}.jpg"
        item["preview_image_url" if kind == "animated_gif" else "url"] = image
        self.media[key] = item
        return key

    def _short(self) -> str:
        return "https://t.co/" + "".join(self.rng.choice(ALNUM) for _ in range(10))


def _escape(text: str) -> str:
    """X API v2 escapes these three characters in post text, and entity offsets count the escaped text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _time_of(snowflake: int) -> datetime:
    return datetime.fromtimestamp(((snowflake >> 22) + TWITTER_EPOCH_MS) // 1000, UTC)


def make(out: Path, source: Path = SOURCE) -> int:
    """Build the demo archive at ``out``; return the number of posts written in search and thread pages."""
    builder = Builder(read_source(source))
    builder.add(builder.source.drafts)
    builder.add_retweets()
    builder.build()
    return write_pages(out, Pages(builder.drafts, builder.users.values(), builder.media).all())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", type=Path, default=OUT, help=f"where to write (default: {OUT})")
    parser.add_argument("--source", type=Path, default=SOURCE, help="folder of the demo's data files")
    args = parser.parse_args()
    count = make(args.out, args.source)
    print(f"wrote {count} posts to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
