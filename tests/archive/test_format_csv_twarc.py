"""twarc CSV import: twarc-csv 0.7, the older twarc-csv column set, and twarc 1 json2csv."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from archive.errors import UnknownFormatError
from archive.formats import ReadOptions
from archive.formats.csv_twarc import read
from archive.importing.records import ImportIssue, MediaRecord, PostKind, PostRecord
from archive.importing.sources import Source

# The start of twarc-csv 0.7's default column order (DocNow/twarc-csv dataframe_converter.py), with the
# later columns these tests use.
TWARC_CSV_COLUMNS = [
    "id",
    "conversation_id",
    "referenced_tweets.replied_to.id",
    "referenced_tweets.retweeted.id",
    "referenced_tweets.quoted.id",
    "author_id",
    "in_reply_to_user_id",
    "in_reply_to_username",
    "retweeted_user_id",
    "retweeted_username",
    "quoted_user_id",
    "quoted_username",
    "created_at",
    "text",
    "lang",
    "public_metrics.reply_count",
    "public_metrics.retweet_count",
    "public_metrics.like_count",
    "edit_history_tweet_ids",
    "withheld.country_codes",
    "entities.hashtags",
    "entities.mentions",
    "entities.urls",
    "attachments.media",
    "author.id",
    "author.username",
    "author.name",
    "__twarc.retrieved_at",
    "__twarc.version",
]
ORIGINAL = {
    "id": "1460000000000000001",
    "conversation_id": "1460000000000000001",
    "author_id": "111",
    "created_at": "2021-11-14T10:00:00.000Z",
    # twarc-csv writes newlines as a literal \n so that each row stays on one line.
    "text": "Vote! #brexit @bob &amp; more\\nsecond line https://t.co/x",
    "lang": "en",
    "public_metrics.reply_count": "1",
    "public_metrics.retweet_count": "2",
    "public_metrics.like_count": "5",
    "edit_history_tweet_ids": '["1460000000000000001"]',
    "withheld.country_codes": '["DE", "FR"]',
    "entities.hashtags": '["#brexit"]',
    "entities.mentions": '["@bob"]',
    "entities.urls": '["https://example.org/x"]',
    "attachments.media": '[{"media_key": "3_1", "type": "photo", "url": "https://pbs.twimg.com/media/x.jpg", '
    '"alt_text": "a cat"}]',
    "author.id": "111",
    "author.username": "alice",
    "author.name": "Alice A.",
    "__twarc.retrieved_at": "2021-11-15T08:00:00+00:00",
    "__twarc.version": "2.8.2",
}
MERGED_RETWEET = {
    "id": "1460000000000000002",
    "conversation_id": "1460000000000000002",
    "author_id": "333",
    "referenced_tweets.retweeted.id": "1460000000000000099",
    "retweeted_user_id": "222",
    "retweeted_username": "bob",
    "created_at": "2021-11-14T11:00:00.000Z",
    "text": "The original's whole text, longer than the 140 characters an API retweet keeps, and no RT prefix.",
    "public_metrics.retweet_count": "40",
    "public_metrics.like_count": "100",
    "entities.hashtags": '["#Brexit"]',
    "author.id": "333",
    "author.username": "carol",
}
REPLY = {
    "id": "1460000000000000003",
    "conversation_id": "1460000000000000001",
    "author_id": "222",
    "referenced_tweets.replied_to.id": "1460000000000000001",
    "in_reply_to_user_id": "111",
    "created_at": "2021-11-14T12:00:00.000Z",
    "text": "@alice agreed",
    "edit_history_tweet_ids": '["1460000000000000003", "1460000000000000004"]',
}


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]], delimiter: str = ",") -> Source:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, columns, restval="", delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return Source(path)


def read_all(source: Source) -> tuple[list[PostRecord], list[ImportIssue]]:
    items = list(read(source, ReadOptions()))
    return [i for i in items if isinstance(i, PostRecord)], [i for i in items if isinstance(i, ImportIssue)]


def test_a_twarc_csv_row_becomes_a_post(tmp_path):
    [post], issues = read_all(write_csv(tmp_path / "t.csv", TWARC_CSV_COLUMNS, [ORIGINAL]))
    assert issues == []
    assert (post.native_id, post.root, post.kind) == ("1460000000000000001", "1460000000000000001", PostKind.COLLECTED)
    assert post.text == "Vote! #brexit @bob & more\nsecond line https://t.co/x"
    assert (post.created_at, post.created_raw) == ("2021-11-14T10:00:00Z", "2021-11-14T10:00:00.000Z")
    assert (post.hashtags, post.mentions, post.urls) == (["brexit"], ["bob"], ["https://example.org/x"])
    assert post.metrics == {"reply_count": 1, "retweet_count": 2, "like_count": 5}
    assert post.retrieved_at == "2021-11-15T08:00:00Z"
    assert post.withheld == "DE,FR"
    assert post.edit_group is None  # one version only: never edited
    assert post.media == [MediaRecord("photo", "https://pbs.twimg.com/media/x.jpg", "a cat", "3_1")]
    assert post.author is not None
    assert (post.author.native_id, post.author.handle, post.author.name) == ("111", "alice", "Alice A.")
    assert post.raw == {column: ORIGINAL.get(column, "") for column in TWARC_CSV_COLUMNS}
    assert post.line == 2


def test_columns_are_found_by_name_whatever_their_order(tmp_path):
    in_order = read_all(write_csv(tmp_path / "a.csv", TWARC_CSV_COLUMNS, [ORIGINAL, REPLY]))
    shuffled = read_all(write_csv(tmp_path / "b.csv", TWARC_CSV_COLUMNS[::-1], [ORIGINAL, REPLY]))
    for post in in_order[0] + shuffled[0]:
        post.raw = None
    assert in_order == shuffled


def test_a_reply_links_to_its_parent_and_an_edited_tweet_to_its_first_version(tmp_path):
    [_, reply], _ = read_all(write_csv(tmp_path / "t.csv", TWARC_CSV_COLUMNS, [ORIGINAL, REPLY]))
    assert (reply.reply_to, reply.reply_to_user, reply.root) == ("1460000000000000001", "111", "1460000000000000001")
    assert reply.edit_group == "1460000000000000003"


def test_a_merged_retweet_is_a_repost_holding_the_originals_full_text(tmp_path):
    [retweet, original], issues = read_all(write_csv(tmp_path / "t.csv", TWARC_CSV_COLUMNS, [MERGED_RETWEET]))
    assert issues == []
    assert (retweet.is_repost, retweet.repost_of, retweet.truncated) == (True, "1460000000000000099", False)
    assert retweet.text == MERGED_RETWEET["text"]
    assert retweet.author is not None and retweet.author.handle == "carol"  # the author stays the retweeter
    # --merge-retweets also put the original's counts on the row: they belong to the original.
    assert retweet.metrics is None
    assert (original.native_id, original.kind, original.text) == (
        "1460000000000000099",
        PostKind.CONTEXT,
        MERGED_RETWEET["text"],
    )
    assert original.author is not None and (original.author.native_id, original.author.handle) == ("222", "bob")
    assert original.metrics == {"retweet_count": 40, "like_count": 100}
    assert original.hashtags == ["Brexit"]
    assert original.created_at == "2021-11-14T21:41:40Z"  # from the snowflake id


def test_an_unmerged_retweet_keeps_its_cut_text_and_says_so(tmp_path):
    row = dict(MERGED_RETWEET, text="RT @bob: The original's whole text, longer than the 140 characters an…")
    [retweet], _ = read_all(write_csv(tmp_path / "t.csv", TWARC_CSV_COLUMNS, [row]))
    assert (retweet.is_repost, retweet.truncated) == (True, True)


def test_json_encoded_text_cells_are_decoded(tmp_path):
    # Older twarc-csv and --json-encode-text write the text as a JSON string.
    row = dict(ORIGINAL, text='"can\\u2019t wait \\n@bob \\"quoted\\""')
    [post], _ = read_all(write_csv(tmp_path / "t.csv", TWARC_CSV_COLUMNS, [row]))
    assert post.text == 'can’t wait \n@bob "quoted"'


def test_ids_rounded_by_excel_are_refused(tmp_path):
    rounded_id = dict(ORIGINAL, id="1.46E+18")
    rounded_parent = dict(REPLY, **{"referenced_tweets.replied_to.id": "1.46E+18"})
    posts, issues = read_all(write_csv(tmp_path / "t.csv", TWARC_CSV_COLUMNS, [rounded_id, rounded_parent]))
    assert [(p.native_id, p.reply_to) for p in posts] == [("1460000000000000003", None)]
    assert [(i.line, "Excel" in i.reason) for i in issues] == [(2, True), (3, True)]
    assert "'referenced_tweets.replied_to.id'" in issues[1].reason


def test_a_twarc_users_csv_is_not_taken_for_tweets(tmp_path):
    source = write_csv(tmp_path / "users.csv", ["id", "created_at", "username", "name"], [{"id": "1"}])
    with pytest.raises(UnknownFormatError, match="no 'id' and 'text'"):
        list(read(source, ReadOptions()))


def test_a_plain_csv_sharing_twarcs_column_names_is_read_as_a_generic_csv(tmp_path):
    # The sniffer may send a researcher's own CSV here for its id/text/conversation_id columns.
    columns = ["id", "conversation_id", "text", "referenced_tweet_ids", "reference_types"]
    row = {
        "id": "3",
        "conversation_id": "1",
        "text": "a reply",
        "referenced_tweet_ids": "2",
        "reference_types": "replied_to",
    }
    [post], issues = read_all(write_csv(tmp_path / "own.csv", columns, [row], delimiter=";"))
    assert issues == []
    assert (post.native_id, post.root, post.reply_to) == ("3", "1", "2")


# --- twarc 1 json2csv ---------------------------------------------------------------------------

JSON2CSV_COLUMNS = [
    "id",
    "tweet_url",
    "created_at",
    "parsed_created_at",
    "user_screen_name",
    "text",
    "tweet_type",
    "coordinates",
    "hashtags",
    "media",
    "urls",
    "favorite_count",
    "in_reply_to_screen_name",
    "in_reply_to_status_id",
    "in_reply_to_user_id",
    "lang",
    "place",
    "possibly_sensitive",
    "retweet_count",
    "retweet_or_quote_id",
    "retweet_or_quote_screen_name",
    "retweet_or_quote_user_id",
    "source",
    "user_id",
    "user_created_at",
    "user_default_profile_image",
    "user_description",
    "user_favourites_count",
    "user_followers_count",
    "user_friends_count",
    "user_listed_count",
    "user_location",
    "user_name",
    "user_statuses_count",
    "user_time_zone",
    "user_urls",
    "user_verified",
]
V1_ORIGINAL = {
    "id": "984171012442554368",
    "tweet_url": "https://twitter.com/waynegraham/status/984171012442554368",
    "created_at": "Wed Apr 11 20:01:12 +0000 2018",
    "parsed_created_at": "2018-04-11 20:01:12+00:00",
    "user_screen_name": "waynegraham",
    "text": "Workshop &amp; code #dh #DigitalHumanities",
    "tweet_type": "original",
    "hashtags": "dh DigitalHumanities",
    "urls": "https://example.org/workshop",
    "media": "https://pbs.twimg.com/media/DaeX.jpg https://pbs.twimg.com/ext_tw_video_thumb/98/pu/img/v.jpg",
    "favorite_count": "3",
    "retweet_count": "1",
    "lang": "en",
    "user_id": "21069146",
    "user_name": "Wayne Graham",
}
V1_RETWEET = {
    "id": "984171012442554999",
    "created_at": "Wed Apr 11 21:00:00 +0000 2018",
    "user_screen_name": "someone",
    "text": "The full text of the retweeted tweet",
    "tweet_type": "retweet",
    "retweet_or_quote_id": "984000000000000000",
    "retweet_or_quote_screen_name": "orig",
    "retweet_or_quote_user_id": "456",
    "favorite_count": "50",
    "retweet_count": "7",
    "user_id": "789",
}
V1_QUOTING_REPLY = {
    "id": "984171012442555000",
    "created_at": "Wed Apr 11 22:00:00 +0000 2018",
    "text": "@waynegraham see this",
    "tweet_type": "reply",
    "in_reply_to_status_id": "984171012442554368",
    "in_reply_to_user_id": "21069146",
    "retweet_or_quote_id": "984000000000000001",
    "user_id": "789",
}


def test_twarc1_json2csv_rows_become_posts(tmp_path):
    source = write_csv(tmp_path / "j.csv", JSON2CSV_COLUMNS, [V1_ORIGINAL, V1_RETWEET, V1_QUOTING_REPLY])
    [original, retweet, retweeted, reply], issues = read_all(source)
    assert issues == []
    assert (original.created_at, original.text) == ("2018-04-11T20:01:12Z", "Workshop & code #dh #DigitalHumanities")
    assert (original.hashtags, original.urls, original.url) == (
        ["dh", "DigitalHumanities"],
        ["https://example.org/workshop"],
        V1_ORIGINAL["tweet_url"],
    )
    assert [m.kind for m in original.media] == ["photo", "video"]
    assert original.metrics == {"like_count": 3, "retweet_count": 1}
    assert original.author is not None
    assert (original.author.native_id, original.author.handle, original.author.name) == (
        "21069146",
        "waynegraham",
        "Wayne Graham",
    )
    assert (retweet.is_repost, retweet.repost_of, retweet.text) == (True, "984000000000000000", V1_RETWEET["text"])
    assert (retweeted.native_id, retweeted.kind, retweeted.metrics) == (
        "984000000000000000",
        PostKind.CONTEXT,
        {"like_count": 50, "retweet_count": 7},
    )
    # json2csv has one column for the retweeted or quoted id; in a reply it is the quoted tweet.
    assert (reply.reply_to, reply.reply_to_user, reply.quote_of, reply.is_repost) == (
        "984171012442554368",
        "21069146",
        "984000000000000001",
        False,
    )


# --- Acceptance: real twarc-csv output of 2021 ------------------------------------------------------


@pytest.mark.acceptance
def test_the_older_twarc_csv_sample_matches_the_flattened_tweets_it_was_made_from(realdata):
    source = Source(realdata / "csv_generic_and_twarc_csv" / "twarc-csv_v0_small_sample.csv")
    posts, issues = read_all(source)
    assert issues == []
    flat_file = realdata / "twitter_v2_flattened" / "small_sample_flat.jsonl"
    flat = [json.loads(line) for line in flat_file.read_text(encoding="utf-8").splitlines() if line]
    collected = [p for p in posts if p.kind is PostKind.COLLECTED]
    assert len(collected) == 3
    assert [(p.native_id, p.text) for p in collected] == [(t["id"], t["text"]) for t in flat]
    for post, tweet in zip(collected, flat, strict=True):
        assert post.author is not None and post.author.handle == tweet["author"]["username"]
        assert post.created_at == tweet["created_at"].replace(".000Z", "Z")
        assert post.mentions == [m["username"] for m in tweet.get("entities", {}).get("mentions", [])]
        assert post.hashtags == [h["tag"] for h in tweet.get("entities", {}).get("hashtags", [])]
    # The quoted tweet was written as its own row (with a 'type' column): context, linked by quote_of.
    [quoted] = [p for p in posts if p.kind is PostKind.CONTEXT]
    quote = flat[2]["referenced_tweets"][0]
    assert (quoted.native_id, quoted.text) == (quote["id"], quote["text"])
    assert collected[2].quote_of == quote["id"]
    assert collected[0].author is not None and collected[0].author.description == flat[0]["author"]["description"]
