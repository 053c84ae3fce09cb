"""The X API v1.1 JSON Lines reader: REST and stream tweets, retweets, quotes, notices and bad lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.formats import FORMATS, ReadOptions
from archive.formats.sniff import sniff
from archive.formats.twitter_v1 import read
from archive.importing.records import ImportIssue, ImportItem, PostKind, PostRecord, Tombstone
from archive.importing.sources import Source

ALICE = {"id": 11, "id_str": "11", "screen_name": "alice", "name": "Alice A.", "description": "researcher"}
BOB = {"id": 22, "id_str": "22", "screen_name": "bob", "name": "Bob B."}
CAROL = {"id": 33, "id_str": "33", "screen_name": "carol", "name": "Carol C."}


def tweet(id_str: str, user: dict, **fields: object) -> dict:
    """A minimal v1.1 tweet object; ``id`` deliberately differs from ``id_str`` (as after a float round-trip)."""
    base = {
        "id": int(id_str) + 7,
        "id_str": id_str,
        "created_at": "Wed Apr 11 01:25:19 +0000 2018",
        "user": user,
        "lang": "en",
        "entities": {"hashtags": [], "user_mentions": [], "urls": []},
    }
    return base | fields


def read_lines(tmp_path: Path, *lines: dict | str) -> list[ImportItem]:
    path = tmp_path / "tweets.jsonl"
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")
    return list(read(Source(path), ReadOptions()))


def posts(items: list[ImportItem]) -> dict[str, PostRecord]:
    return {item.native_id: item for item in items if isinstance(item, PostRecord)}


def test_a_rest_tweet_in_extended_mode_keeps_its_full_text_ids_and_author(tmp_path):
    reply = tweet(
        "1001",
        ALICE,
        full_text="@bob Fish &amp; chips &lt;3 #Lunch https://t.co/x",
        display_text_range=[5, 48],
        in_reply_to_status_id_str="1000",
        in_reply_to_user_id_str="22",
        favorite_count=4,
        retweet_count=1,
        entities={
            "hashtags": [{"text": "Lunch", "indices": [27, 33]}],
            "user_mentions": [{"screen_name": "bob", "id_str": "22"}],
            "urls": [{"url": "https://t.co/x", "expanded_url": "https://example.org/menu"}],
        },
    )
    [post] = read_lines(tmp_path, reply)

    assert post.native_id == "1001"  # from id_str, never the numeric id
    assert post.kind is PostKind.COLLECTED
    assert post.text == "@bob Fish & chips <3 #Lunch https://t.co/x"  # the leading mention stays in the text
    assert post.created_at == "2018-04-11T01:25:19Z"
    assert post.created_raw == "Wed Apr 11 01:25:19 +0000 2018"
    assert (post.reply_to, post.reply_to_user, post.root) == ("1000", "22", None)
    assert post.author is not None
    assert (post.author.native_id, post.author.handle, post.author.name) == ("11", "alice", "Alice A.")
    assert post.author.description == "researcher"
    assert (post.hashtags, post.mentions, post.urls) == (["Lunch"], ["bob"], ["https://example.org/menu"])
    assert post.metrics == {"like_count": 4, "retweet_count": 1}
    assert post.retrieved_at is None  # a v1.1 line does not say when it was collected
    assert post.url == "https://twitter.com/alice/status/1001"
    assert (post.line, post.locator, post.raw) == (1, "", reply)


def test_a_streamed_tweet_takes_text_entities_and_media_from_extended_tweet(tmp_path):
    streamed = tweet(
        "2001",
        ALICE,
        text="A long thought about archives that goes on and on… https://t.co/more",
        truncated=True,
        timestamp_ms="1523409919000",
        extended_tweet={
            "full_text": "A long thought about archives that goes on and on, well past 140 characters. #archives",
            "entities": {"hashtags": [{"text": "archives"}], "user_mentions": [], "urls": []},
            "extended_entities": {
                "media": [
                    {
                        "type": "video",
                        "media_url_https": "https://pbs.twimg.com/thumb.jpg",
                        "ext_alt_text": "a reading room",
                        "video_info": {
                            "variants": [
                                {"content_type": "application/x-mpegURL", "url": "https://video/x.m3u8"},
                                {"content_type": "video/mp4", "bitrate": 256000, "url": "https://video/small.mp4"},
                                {"content_type": "video/mp4", "bitrate": 832000, "url": "https://video/large.mp4"},
                            ]
                        },
                    }
                ]
            },
        },
    )
    [post] = read_lines(tmp_path, streamed)

    assert post.text.endswith("well past 140 characters. #archives")
    assert post.truncated is False
    assert post.hashtags == ["archives"]
    assert [(m.kind, m.url, m.alt_text) for m in post.media] == [("video", "https://video/large.mp4", "a reading room")]
    assert post.retrieved_at is None  # timestamp_ms is when the tweet was streamed, not a metrics snapshot


def test_a_streamed_tweet_without_its_extended_part_is_marked_truncated(tmp_path):
    [post] = read_lines(tmp_path, tweet("2002", ALICE, text="Cut here… https://t.co/more", truncated=True))

    assert (post.text, post.truncated) == ("Cut here… https://t.co/more", True)


def test_a_retweet_gets_the_full_text_of_its_original_which_becomes_a_context_post(tmp_path):
    original = tweet(
        "3000",
        BOB,
        text="The original, cut by the stream… https://t.co/o",
        truncated=True,
        extended_tweet={
            "full_text": "The original, cut by the stream but complete here. #tag",
            "entities": {"hashtags": [{"text": "tag"}], "user_mentions": [], "urls": []},
        },
        retweet_count=9,
    )
    retweet = tweet(
        "3001",
        ALICE,
        text="RT @bob: The original, cut by the stream but com…",
        retweeted_status=original,
        entities={"hashtags": [], "user_mentions": [{"screen_name": "bob"}], "urls": []},
    )
    items = read_lines(tmp_path, retweet)
    found = posts(items)

    assert list(found) == ["3001", "3000"]
    rt, orig = found["3001"], found["3000"]
    assert rt.text == "The original, cut by the stream but complete here. #tag"
    assert (rt.is_repost, rt.repost_of, rt.truncated, rt.kind) == (True, "3000", False, PostKind.COLLECTED)
    assert rt.author is not None and rt.author.handle == "alice"  # the retweeter
    assert rt.mentions == ["bob"] and rt.hashtags == ["tag"]
    assert (orig.kind, orig.text, orig.line, orig.locator) == (
        PostKind.CONTEXT,
        rt.text,
        1,
        "retweeted_status",
    )
    assert orig.author is not None and orig.author.handle == "bob"
    assert orig.metrics == {"retweet_count": 9}


def test_a_retweet_prefers_the_originals_full_text_field_over_its_cut_text(tmp_path):
    original = tweet("3100", BOB, full_text="Complete REST text of the original, nothing cut at all.")
    retweet = tweet(
        "3101", ALICE, full_text="RT @bob: Complete REST text of the original, nothing…", retweeted_status=original
    )
    rt = posts(read_lines(tmp_path, retweet))["3101"]

    assert rt.text == "Complete REST text of the original, nothing cut at all."


def test_a_quote_points_to_the_quoted_tweet_which_is_yielded_as_context(tmp_path):
    quoted = tweet("4000", BOB, full_text="Something worth quoting")
    quote = tweet(
        "4001",
        ALICE,
        full_text="I disagree https://t.co/q",
        is_quote_status=True,
        quoted_status_id_str="4000",
        quoted_status=quoted,
    )
    found = posts(read_lines(tmp_path, quote))

    assert found["4001"].quote_of == "4000"
    assert (found["4000"].kind, found["4000"].locator) == (PostKind.CONTEXT, "quoted_status")


def test_a_retweet_of_a_quote_yields_the_quoted_tweet_once_and_only_the_original_quotes(tmp_path):
    quoted = tweet("5000", CAROL, full_text="The quoted tweet")
    original = tweet("5001", BOB, full_text="My comment", quoted_status_id_str="5000", quoted_status=quoted)
    retweet = tweet(
        "5002",
        ALICE,
        full_text="RT @bob: My comment",
        retweeted_status=original,
        quoted_status_id_str="5000",  # v1.1 repeats the original's quote on the retweet
        quoted_status=quoted,
    )
    items = read_lines(tmp_path, retweet)
    ids = [item.native_id for item in items if isinstance(item, PostRecord)]

    assert sorted(ids) == ["5000", "5001", "5002"]
    found = posts(items)
    assert found["5002"].quote_of is None
    assert found["5002"].repost_of == "5001"
    assert found["5001"].quote_of == "5000"


def test_withheld_countries_are_joined_with_commas_else_the_reason_is_named(tmp_path):
    items = read_lines(
        tmp_path,
        tweet("6000", ALICE, full_text="x", withheld_in_countries=["DE", "FR"]),
        tweet("6001", ALICE, full_text="y", withheld_copyright=True),
        tweet("6002", ALICE, full_text="z"),
    )

    assert [post.withheld for post in posts(items).values()] == ["DE,FR", "copyright", None]


def test_stream_notices_become_tombstones_or_are_skipped_and_bad_ones_are_issues(tmp_path):
    items = read_lines(
        tmp_path,
        {"delete": {"status": {"id": 7001, "id_str": "7001", "user_id": 11, "user_id_str": "11"}}},
        {"limit": {"track": 12, "timestamp_ms": "1523409919000"}},
        {"scrub_geo": {"user_id_str": "11", "up_to_status_id_str": "7002"}},
        {"status_withheld": {"id_str": "7003", "withheld_in_countries": ["DE"]}},
        {"limit": 12},
        {"delete": {"status": {"id": 7004}}},
    )

    assert items[0] == Tombstone("twitter", "7001", 1)
    issues = [item for item in items if isinstance(item, ImportIssue)]
    assert [(issue.line, issue.locator) for issue in issues] == [(5, "limit"), (6, "delete")]
    assert "delete.status.id_str" in issues[1].reason
    assert len(items) == 3


def test_bad_lines_are_issues_and_reading_goes_on(tmp_path):
    items = read_lines(
        tmp_path,
        '{"id_str": "8000", "text": "cut off in the mid',
        tweet("8001", ALICE, full_text="no date", created_at="yesterday"),
        {"id": 8002, "text": "no id_str", "user": ALICE},
        {"something": "else"},
        tweet("8003", ALICE, full_text="fine"),
    )

    issues = [item for item in items if isinstance(item, ImportIssue)]
    assert [issue.line for issue in issues] == [1, 2, 3, 4]
    assert "not valid JSON" in issues[0].reason
    assert "expected created_at like" in issues[1].reason and "'yesterday'" in issues[1].reason
    assert "expected a tweet object with an 'id_str'" in issues[2].reason
    assert "this line is JSON with keys [something], not an X API v1.1" in issues[3].reason
    assert list(posts(items)) == ["8003"]


def test_the_registry_names_this_reader_for_v1_1():
    assert FORMATS["v1.1"].reader() is read


# --- real files ---------------------------------------------------------------------------------


@pytest.mark.acceptance
def test_waynegraham_retweets_get_the_full_text_of_their_originals(realdata):
    source = Source(realdata / "twitter_v1_1" / "search_extended_waynegraham.jsonl")
    assert sniff(source).format == "v1.1"
    items = list(read(source, ReadOptions()))

    assert not [item for item in items if isinstance(item, ImportIssue)]
    collected = [item for item in items if isinstance(item, PostRecord) and item.kind is PostKind.COLLECTED]
    assert len(collected) == 4
    retweets = [post for post in collected if post.is_repost]
    assert [post.line for post in retweets] == [2, 3]
    for post in retweets:
        assert post.repost_of == "981232181216514048"
        assert post.text == post.raw["retweeted_status"]["full_text"]
        assert post.raw["full_text"].endswith("…") and not post.text.endswith("…")
        assert not post.truncated
    assert all(post.author is not None and post.author.handle for post in collected)


@pytest.mark.acceptance
def test_the_tweetsets_stream_uses_extended_tweets_and_reports_its_broken_line(realdata):
    items = list(read(Source(realdata / "twitter_v1_1" / "stream_anonymized_tweetsets.jsonl"), ReadOptions()))

    issues = [item for item in items if isinstance(item, ImportIssue)]
    assert [issue.line for issue in issues] == [7]
    found = [item for item in items if isinstance(item, PostRecord)]
    collected = [post for post in found if post.kind is PostKind.COLLECTED]
    assert [post.line for post in collected] == [1, 2, 3, 4, 5, 6]
    for post in collected:
        if "extended_tweet" in post.raw:
            assert post.text == post.raw["extended_tweet"]["full_text"]
        assert not post.truncated
    rt_of_quote = [post for post in found if post.line == 4]
    assert [(p.native_id, p.kind, p.locator) for p in rt_of_quote] == [
        ("1111111111111111101", PostKind.COLLECTED, ""),
        ("1111111111111111106", PostKind.CONTEXT, "retweeted_status"),
        ("1111111111111111102", PostKind.CONTEXT, "quoted_status"),
    ]
    assert rt_of_quote[1].quote_of == "1111111111111111102"
    assert [(p.kind, p.url) for p in collected[4].media] == [
        ("video", "https://video.twimg.com/ext_tw_video/1111111111111111002/pu/vid/480x480/XjgALLZHWv2W6eoy.mp4?tag=10")
    ]
