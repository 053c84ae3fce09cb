"""The synthetic benchmark archive and the shipped demo archive both have the real twarc2 page shape."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from archive.formats import ReadOptions
from archive.formats.twitter_v2 import read_pages
from archive.importing.records import ImportIssue, PostRecord, Unavailable
from archive.importing.sources import Source
from benchmarks.synth import generate

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo" / "metoo_demo.jsonl"
V2_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$")
DEMO_TAGS = ["MeToo", "MenToo", "IHave", "HowIWillChange", "NotAllMen", "BalanceTonPorc", "YoTambién"]


def pages(path: Path) -> list[dict[str, Any]]:
    """Every line of a JSON Lines file, parsed (a line that is not JSON fails the test here)."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def data(path: Path) -> list[dict[str, Any]]:
    return [tweet for page in pages(path) for tweet in page["data"]]


def assert_entities_match_text(tweet: dict[str, Any]) -> None:
    text, entities = tweet["text"], tweet.get("entities", {})
    for tag in entities.get("hashtags", []):
        assert text[tag["start"] : tag["end"]] == "#" + tag["tag"]
    for mention in entities.get("mentions", []):
        assert text[mention["start"] : mention["end"]] == "@" + mention["username"]
    for url in entities.get("urls", []):
        assert text[url["start"] : url["end"]] == url["url"]


def assert_twarc2_page(page: dict[str, Any]) -> None:
    """One X API v2 response page as twarc2 writes it, with every reference resolvable on the page."""
    assert list(page) == [key for key in ("data", "includes", "errors", "meta", "__twarc") if key in page]
    assert set(page["__twarc"]) == {"url", "version", "retrieved_at"}
    tweets, meta = page["data"], page["meta"]
    assert meta["result_count"] == len(tweets) > 0
    assert (meta["newest_id"], meta["oldest_id"]) == (tweets[0]["id"], tweets[-1]["id"])
    ids = [int(tweet["id"]) for tweet in tweets]
    assert ids == sorted(ids, reverse=True), "a page lists posts newest first"
    users = {user["id"]: user for user in page["includes"]["users"]}
    included = {tweet["id"] for tweet in page["includes"].get("tweets", [])}
    missing = {error["resource_id"] for error in page.get("errors", [])}
    media = {item["media_key"] for item in page["includes"].get("media", [])}
    for tweet in tweets + page["includes"].get("tweets", []):
        assert tweet["id"].isdigit() and tweet["author_id"] in users
        assert V2_TIME.match(tweet["created_at"])
        assert all(isinstance(count, int) for count in tweet["public_metrics"].values())
        assert_entities_match_text(tweet)
    for tweet in tweets:
        for ref in tweet.get("referenced_tweets", []):
            assert ref["id"] in included | missing, f"{ref} is neither in includes.tweets nor in errors"
        for key in tweet.get("attachments", {}).get("media_keys", []):
            assert key in media
        if tweet.get("in_reply_to_user_id"):
            assert tweet["in_reply_to_user_id"] in users


def reply_depths(tweets: list[dict[str, Any]]) -> Counter[int]:
    """How many replies sit at each depth below the first post whose parent is not a reply in the list."""
    parent = {t["id"]: r["id"] for t in tweets for r in t.get("referenced_tweets", []) if r["type"] == "replied_to"}

    def depth(tweet_id: str) -> int:
        return 1 + depth(parent[tweet_id]) if tweet_id in parent else 0

    return Counter(depth(tweet_id) for tweet_id in parent)


# ---- the synthetic benchmark archive ----------------------------------------------------------------------


def test_the_same_seed_gives_the_same_bytes_in_process_and_from_the_command_line(tmp_path):
    generate(tmp_path / "a.jsonl", 1_500, seed=11)
    generate(tmp_path / "b.jsonl", 1_500, seed=11)
    # The script runs in a new interpreter with its own hash seed: set or dict order must not leak in.
    subprocess.run(
        [sys.executable, "-m", "benchmarks.synth", str(tmp_path / "c.jsonl"), "1500", "--seed", "11"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    first = (tmp_path / "a.jsonl").read_bytes()
    assert first == (tmp_path / "b.jsonl").read_bytes() == (tmp_path / "c.jsonl").read_bytes()
    generate(tmp_path / "d.jsonl", 1_500, seed=12)
    assert (tmp_path / "d.jsonl").read_bytes() != first


def test_n_posts_are_spread_over_pages_of_one_hundred(tmp_path):
    path = tmp_path / "synth.jsonl"
    assert generate(path, 250, seed=1) == 3
    assert [len(page["data"]) for page in pages(path)] == [100, 100, 50]
    assert len({tweet["id"] for tweet in data(path)}) == 250
    assert "next_token" in pages(path)[0]["meta"] and "next_token" not in pages(path)[-1]["meta"]


def test_every_synthetic_line_is_a_twarc2_page_whose_references_resolve(tmp_path):
    path = tmp_path / "synth.jsonl"
    generate(path, 3_000, seed=3)
    for page in pages(path):
        assert_twarc2_page(page)


def test_synthetic_posts_have_threads_retweets_quotes_and_realistic_texts(tmp_path):
    path = tmp_path / "synth.jsonl"
    generate(path, 5_000, seed=4)
    tweets = data(path)
    kinds = Counter(ref["type"] for tweet in tweets for ref in tweet.get("referenced_tweets", []))
    assert kinds["retweeted"] > 1_000 and kinds["replied_to"] > 500 and kinds["quoted"] > 50
    assert max(reply_depths(tweets)) >= 6
    originals = [t["text"] for t in tweets if "referenced_tweets" not in t]
    assert 150 < sum(map(len, originals)) / len(originals) <= 280
    assert all(len(text) <= 280 for text in originals)
    retweets = [t["text"] for t in tweets if t["text"].startswith("RT @")]
    assert any(text.endswith("…") and len(text) == 140 for text in retweets)
    tags = {tag["tag"] for t in tweets for tag in t.get("entities", {}).get("hashtags", [])}
    assert {"MeToo", "IHave", "HowIWillChange", "MenToo", "BalanceTonPorc", "YoTambién"} <= tags
    langs = Counter(t["lang"] for t in tweets)
    assert langs.most_common(1)[0][0] == "en" and len(langs) >= 4
    times = [t["created_at"] for t in tweets]
    assert min(times) >= "2017-10-01" and max(times) < "2019-01-01" and min(times) < "2017-11-01"


def test_replies_point_at_older_posts_of_the_same_conversation(tmp_path):
    path = tmp_path / "synth.jsonl"
    generate(path, 3_000, seed=5)
    known = {t["id"]: t for page in pages(path) for t in page["data"] + page["includes"].get("tweets", [])}
    replies = [t for t in known.values() if t.get("in_reply_to_user_id")]
    checked = 0
    for reply in replies:
        parent_id = reply["referenced_tweets"][0]["id"]
        if parent_id in known:
            parent = known[parent_id]
            assert int(parent["id"]) < int(reply["id"]) and parent["created_at"] <= reply["created_at"]
            assert parent["conversation_id"] == reply["conversation_id"]
            assert reply["in_reply_to_user_id"] == parent["author_id"]
            checked += 1
    assert checked > 0.9 * len(replies)


# ---- the demo archive ---------------------------------------------------------------------------------------


def test_the_demo_is_twarc2_pages_with_between_200_and_500_posts():
    for page in pages(DEMO):
        assert_twarc2_page(page)
    assert 200 <= len({tweet["id"] for tweet in data(DEMO)}) <= 500


def test_the_demo_covers_each_hashtag_languages_media_and_deep_threads():
    tweets = data(DEMO)
    tags = Counter(tag["tag"] for t in tweets for tag in t.get("entities", {}).get("hashtags", []))
    assert all(tags[tag] for tag in DEMO_TAGS), tags
    assert {"fr", "es"} <= {t["lang"] for t in tweets}
    assert any("attachments" in t for t in tweets)
    assert max(reply_depths(tweets)) >= 4
    assert sum(count for depth, count in reply_depths(tweets).items() if depth >= 4) >= 5


def test_the_demo_accounts_say_they_are_fictional():
    users = {user["id"]: user for page in pages(DEMO) for user in page["includes"]["users"]}
    assert all("fictional account" in user["description"] for user in users.values())


def test_the_demo_imports_with_full_retweet_texts_and_one_deleted_post():
    items = list(read_pages(Source(DEMO), ReadOptions()))
    assert not [item for item in items if isinstance(item, ImportIssue)]
    [deleted] = [item for item in items if isinstance(item, Unavailable)]  # the deleted post is no import error
    assert "Not Found Error" in deleted.reason and deleted.is_post
    posts = [item for item in items if isinstance(item, PostRecord)]
    reposts = [post for post in posts if post.is_repost]
    assert reposts and not any(post.truncated or post.text.endswith("…") for post in reposts)
