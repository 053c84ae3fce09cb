"""X API v2 readers: twarc2 pages and stream lines, twarc2 flatten output and bare v2 tweets."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from archive.formats import FORMATS, ReadOptions
from archive.formats.twitter_v2 import read_bare, read_flat, read_pages
from archive.importing.records import ImportIssue, ImportItem, PostKind, PostRecord, Unavailable
from archive.importing.sources import Source

TWARC = {
    "url": "https://api.twitter.com/2/tweets/search/recent?query=%23tea",
    "version": "2.14.0",
    "retrieved_at": "2022-03-01T10:00:00+00:00",
}
ALICE = {"id": "11", "username": "alice", "name": "Alice A.", "description": "tea drinker"}
BOB = {"id": "22", "username": "bob", "name": "Bob B.", "description": ""}


def tweet(tweet_id: str, text: str, author: dict = ALICE, **fields: object) -> dict:
    """A v2 tweet as twarc2 asks for it; ``fields`` add or replace keys."""
    return {
        "id": tweet_id,
        "text": text,
        "author_id": author["id"],
        "created_at": "2022-03-01T09:00:00.000Z",
        "conversation_id": tweet_id,
        "lang": "en",
        "public_metrics": {"retweet_count": 1, "reply_count": 2, "like_count": 3, "quote_count": 0},
        **fields,
    }


def page(data: list | dict, users: list, tweets: list = (), **extra: object) -> dict:
    return {"data": data, "includes": {"users": users, "tweets": list(tweets)}, **extra, "__twarc": TWARC}


def write(tmp_path: Path, *lines: dict | str) -> Source:
    """A JSON Lines file of the given objects (strings are written as they are, e.g. a cut-off line)."""
    path = tmp_path / "tweets.jsonl"
    text = "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines)
    path.write_text(text + "\n", encoding="utf-8")
    return Source(path)


def read(reader, source: Source) -> list[ImportItem]:
    return list(reader(source, ReadOptions()))


def posts(items: list[ImportItem], kind: PostKind | None = None) -> list[PostRecord]:
    return [i for i in items if isinstance(i, PostRecord) and (kind is None or i.kind == kind)]


def issues(items: list[ImportItem]) -> list[ImportIssue]:
    return [i for i in items if isinstance(i, ImportIssue)]


def comparable(post: PostRecord) -> dict:
    """A record without what may differ between two ways of saving the same tweet: raw and position."""
    fields = asdict(post)
    for key in ("raw", "line", "locator"):
        del fields[key]
    if fields["author"]:
        del fields["author"]["raw"]
    return fields


# --- twarc2 response pages ---------------------------------------------------------------------


def test_a_page_yields_its_data_as_collected_posts_and_its_includes_as_context(tmp_path):
    root = tweet("100", "Is tea better than coffee?")
    reply = tweet(
        "101",
        "@alice Tea, always #tea",
        author=BOB,
        conversation_id="100",
        in_reply_to_user_id="11",
        referenced_tweets=[{"type": "replied_to", "id": "100"}],
        entities={"mentions": [{"username": "alice", "id": "11"}], "hashtags": [{"tag": "tea"}]},
    )
    items = read(read_pages, write(tmp_path, page([reply], users=[ALICE, BOB], tweets=[root])))

    [collected] = posts(items, PostKind.COLLECTED)
    assert (collected.native_id, collected.line, collected.locator) == ("101", 1, "data[0]")
    assert collected.platform == "twitter"
    assert collected.text == "@alice Tea, always #tea"
    assert (collected.reply_to, collected.reply_to_user, collected.root) == ("100", "11", "100")
    assert collected.author is not None
    assert (collected.author.native_id, collected.author.handle, collected.author.name) == ("22", "bob", "Bob B.")
    assert collected.author.raw == BOB
    assert (collected.created_at, collected.created_raw) == ("2022-03-01T09:00:00Z", "2022-03-01T09:00:00.000Z")
    assert collected.retrieved_at == "2022-03-01T10:00:00Z"
    assert collected.metrics == {"retweet_count": 1, "reply_count": 2, "like_count": 3, "quote_count": 0}
    assert (collected.hashtags, collected.mentions) == (["tea"], ["alice"])
    assert collected.url == "https://twitter.com/bob/status/101"
    assert collected.raw == reply

    [context] = posts(items, PostKind.CONTEXT)
    assert (context.native_id, context.locator, context.text) == ("100", "includes.tweets[0]", root["text"])
    assert context.author is not None and context.author.handle == "alice"
    assert issues(items) == []


def test_a_tweet_in_both_data_and_includes_is_yielded_once_as_collected(tmp_path):
    quoted = tweet("100", "Tea is a hug in a cup")
    quote = tweet("101", "So true", author=BOB, referenced_tweets=[{"type": "quoted", "id": "100"}])
    line = page([quote, quoted], users=[ALICE, BOB], tweets=[quoted, quoted])

    items = read(read_pages, write(tmp_path, line))

    assert [(p.native_id, p.kind) for p in posts(items)] == [("101", PostKind.COLLECTED), ("100", PostKind.COLLECTED)]
    assert posts(items)[0].quote_of == "100"


def test_a_retweet_takes_the_full_text_entities_and_media_of_its_original(tmp_path):
    original = tweet(
        "100",
        "A long thought about tea &amp; biscuits that goes on well past the point where a retweet cuts "
        "it, because the API only keeps about 140 characters of it #tea #biscuits",
        entities={"hashtags": [{"tag": "tea"}, {"tag": "biscuits"}]},
        attachments={"media_keys": ["3_500"]},
    )
    retweet = tweet(
        "101",
        "RT @alice: A long thought about tea &amp; biscuits that goes on well past the point where a retweet cuts…",
        author=BOB,
        referenced_tweets=[{"type": "retweeted", "id": "100"}],
        entities={"mentions": [{"username": "alice", "id": "11"}]},
    )
    photo = {"media_key": "3_500", "type": "photo", "url": "https://pbs.twimg.com/media/tea.jpg", "alt_text": "A cup"}
    line = page([retweet], users=[ALICE, BOB], tweets=[original])
    line["includes"]["media"] = [photo]

    [post] = posts(read(read_pages, write(tmp_path, line)), PostKind.COLLECTED)

    assert post.text.startswith("A long thought about tea & biscuits")
    assert post.text.endswith("#tea #biscuits")
    assert (post.is_repost, post.repost_of, post.truncated) == (True, "100", False)
    assert post.author is not None and post.author.handle == "bob"  # the retweeter, not the original's author
    assert post.hashtags == ["tea", "biscuits"]
    assert post.mentions == ["alice"]
    [media] = post.media
    assert (media.kind, media.url, media.alt_text, media.media_key) == ("photo", photo["url"], "A cup", "3_500")


def test_a_retweet_whose_original_is_missing_keeps_its_cut_text_and_is_marked_truncated(tmp_path):
    retweet = tweet(
        "101",
        "RT @alice: A long thought about tea that the API cut short…",
        author=BOB,
        referenced_tweets=[{"type": "retweeted", "id": "100"}],
    )
    [post] = posts(read(read_pages, write(tmp_path, page([retweet], users=[BOB]))))

    assert post.text == "RT @alice: A long thought about tea that the API cut short…"
    assert (post.is_repost, post.repost_of, post.truncated) == (True, "100", True)


def test_errors_entries_are_kept_as_unavailable_and_the_rest_of_the_page_is_read(tmp_path):
    """Deleted posts and suspended accounts are facts about the collection, not damage: not issues."""
    reply = tweet("101", "@ghost agreed", referenced_tweets=[{"type": "replied_to", "id": "999"}])
    errors = [
        {
            "value": "999",
            "detail": "Could not find tweet with referenced_tweets.id: [999].",
            "title": "Not Found Error",
            "resource_type": "tweet",
            "parameter": "referenced_tweets.id",
            "resource_id": "999",
            "type": "https://api.twitter.com/2/problems/resource-not-found",
        },
        {
            "title": "Forbidden",
            "detail": "User has been suspended: [ghost].",
            "resource_id": "ghost",
            "resource_type": "user",
        },
        {"title": "operational-disconnect", "detail": "This stream has been disconnected."},
    ]
    items = read(read_pages, write(tmp_path, page([reply], users=[ALICE], errors=errors)))

    assert [p.native_id for p in posts(items)] == ["101"]
    not_found, suspended = [i for i in items if isinstance(i, Unavailable)]
    assert (not_found.line, not_found.locator) == (1, "errors[0]")
    assert (not_found.resource_type, not_found.resource_id, not_found.is_post) == ("tweet", "999", True)
    assert not_found.reason == "Not Found Error: Could not find tweet with referenced_tweets.id: [999]."
    assert json.loads(not_found.raw) == errors[0]
    assert (suspended.resource_type, suspended.resource_id, suspended.is_post) == ("user", "ghost", False)
    assert "suspended" in suspended.reason and suspended.locator == "errors[1]"
    [disconnect] = issues(items)  # an error that names nothing the API could not return stays an issue
    assert disconnect.locator == "errors[2]" and "operational-disconnect" in disconnect.reason


def test_a_cut_off_stream_line_is_reported_and_the_lines_around_it_are_read(tmp_path):
    # `twarc2 filter` writes one tweet per line as a single `data` object with its matching rules.
    def stream_line(tweet_id: str) -> dict:
        return {
            "data": tweet(tweet_id, f"tea news {tweet_id}"),
            "includes": {"users": [ALICE]},
            "matching_rules": [{"id": "1", "tag": "tea"}],
            "__twarc": TWARC,
        }

    source = write(tmp_path, stream_line("1"), '{"data": {"author_id": "11", "id": "2", "te', stream_line("3"))
    items = read(read_pages, source)

    assert [(p.native_id, p.line, p.locator) for p in posts(items)] == [("1", 1, "data"), ("3", 3, "data")]
    [cut] = issues(items)
    assert cut.line == 2
    assert "cut off" in cut.reason
    assert cut.excerpt.startswith('{"data": {"author_id"')


def test_only_amp_lt_and_gt_are_unescaped(tmp_path):
    line = page([tweet("1", "Fish &amp; chips &lt;3 &gt;_&lt; said &quot;Bob&quot;")], users=[ALICE])
    [post] = posts(read(read_pages, write(tmp_path, line)))

    # X escapes exactly these three; a literal "&quot;" was typed by the user and stays.
    assert post.text == "Fish & chips <3 >_< said &quot;Bob&quot;"


def test_an_edited_tweet_and_its_earlier_version_share_the_first_id_as_edit_group(tmp_path):
    first = tweet("201", "tea is gud", edit_history_tweet_ids=["201", "202"])
    latest = tweet("202", "tea is good", edit_history_tweet_ids=["201", "202"])
    never_edited = tweet("300", "coffee", edit_history_tweet_ids=["300"])
    line = page([latest, never_edited], users=[ALICE], tweets=[first])

    edit_groups = {p.native_id: p.edit_group for p in posts(read(read_pages, write(tmp_path, line)))}

    assert edit_groups == {"202": "201", "201": "201", "300": None}


def test_a_long_post_uses_its_note_tweet_text_and_entities(tmp_path):
    long_post = tweet(
        "1",
        "The start of a very long post about tea…",
        note_tweet={
            "text": "The start of a very long post about tea &amp; how it ends #tea",
            "entities": {"hashtags": [{"tag": "tea"}]},
        },
    )
    [post] = posts(read(read_pages, write(tmp_path, page([long_post], users=[ALICE]))))

    assert post.text == "The start of a very long post about tea & how it ends #tea"
    assert post.hashtags == ["tea"]
    assert post.truncated is False


@pytest.mark.parametrize(
    ("withheld", "expected"),
    [
        ({"copyright": False, "country_codes": ["DE", "FR"]}, "DE,FR"),
        ({"copyright": False, "country_codes": ["IN"], "scope": "user"}, "IN"),
        ({"scope": "tweet"}, "tweet"),
        ({"copyright": True}, "copyright"),
    ],
)
def test_withheld_tweets_name_the_countries_or_else_the_scope(tmp_path, withheld, expected):
    line = page([tweet("1", "withheld tea", withheld=withheld)], users=[ALICE])
    [post] = posts(read(read_pages, write(tmp_path, line)))

    assert post.withheld == expected


def test_a_suspended_author_is_still_known_by_id(tmp_path):
    [post] = posts(read(read_pages, write(tmp_path, page([tweet("1", "hi", author={"id": "99"})], users=[]))))

    assert post.author is not None
    assert (post.author.native_id, post.author.handle) == ("99", None)
    assert post.url == "https://twitter.com/i/web/status/1"


def test_bad_records_become_issues_naming_what_was_expected(tmp_path):
    data = [{"text": "no id"}, tweet("2", "bad date", created_at="yesterday"), "not an object", tweet("4", "fine")]
    items = read(read_pages, write(tmp_path, page(data, users=[ALICE]), {"something": "else"}, "[1, 2]"))

    assert [p.native_id for p in posts(items)] == ["4"]
    no_id, bad_date, not_object, not_page, not_dict = issues(items)
    assert (no_id.locator, no_id.reason) == ("data[0]", "expected a tweet object with an 'id' and a 'text'")
    assert bad_date.locator == "data[1]"
    assert "created_at" in bad_date.reason and "'yesterday'" in bad_date.reason
    assert not_object.locator == "data[2]" and "found str" in not_object.reason
    assert not_page.line == 2 and "JSON with keys [something], not an X API v2 response page" in not_page.reason
    assert not_dict.line == 3 and "expected a JSON object" in not_dict.reason


def test_an_empty_result_page_yields_nothing(tmp_path):
    assert read(read_pages, write(tmp_path, {"meta": {"result_count": 0}, "__twarc": TWARC})) == []


# --- twarc2 flatten output and bare tweets ------------------------------------------------------


def flattened(page_line: dict) -> list[dict]:
    """What ``twarc2 flatten`` makes of a page: each tweet with its includes copied inside it."""
    users = {u["id"]: u for u in page_line["includes"]["users"]}
    tweets = {t["id"]: t for t in page_line["includes"]["tweets"]}
    lines = []
    for data_tweet in page_line["data"]:
        flat = {**data_tweet, "author": users.get(data_tweet["author_id"], {}), "__twarc": page_line["__twarc"]}
        if "referenced_tweets" in data_tweet:
            flat["referenced_tweets"] = [
                {
                    **ref,
                    **tweets.get(ref["id"], {}),
                    "author": users.get(tweets.get(ref["id"], {}).get("author_id"), {}),
                }
                for ref in data_tweet["referenced_tweets"]
            ]
        lines.append(flat)
    return lines


def test_a_flattened_tweet_carries_its_author_and_referenced_tweets_inline(tmp_path):
    original = tweet("100", "Tea &amp; toast, the whole uncut text")
    retweet = tweet(
        "101", "RT @alice: Tea &amp; toast, the…", author=BOB, referenced_tweets=[{"type": "retweeted", "id": "100"}]
    )
    [line] = flattened(page([retweet], users=[ALICE, BOB], tweets=[original]))

    items = read(read_flat, write(tmp_path, line))

    [post] = posts(items, PostKind.COLLECTED)
    assert (post.text, post.repost_of, post.truncated) == ("Tea & toast, the whole uncut text", "100", False)
    assert post.author is not None and post.author.handle == "bob"
    assert post.retrieved_at == "2022-03-01T10:00:00Z"
    [context] = posts(items, PostKind.CONTEXT)
    assert (context.native_id, context.locator, context.line) == ("100", "referenced_tweets[0]", 1)
    assert context.author is not None and context.author.handle == "alice"


def test_flatten_leaves_a_missing_referenced_tweet_as_type_and_id_only(tmp_path):
    reply = tweet("101", "@ghost yes", referenced_tweets=[{"type": "replied_to", "id": "999"}])
    [line] = flattened(page([reply], users=[ALICE]))

    items = read(read_flat, write(tmp_path, line))

    assert [(p.native_id, p.reply_to) for p in posts(items)] == [("101", "999")]


def test_the_same_tweets_give_the_same_records_from_a_page_and_from_flatten(tmp_path):
    root = tweet("100", "Tea?", attachments={"media_keys": ["3_7"]})
    reply = tweet(
        "101",
        "@alice yes &amp; no",
        author=BOB,
        in_reply_to_user_id="11",
        conversation_id="100",
        referenced_tweets=[{"type": "replied_to", "id": "100"}, {"type": "quoted", "id": "100"}],
    )
    retweet = tweet("102", "RT @alice: Tea?", author=BOB, referenced_tweets=[{"type": "retweeted", "id": "100"}])
    page_line = page([reply, retweet], users=[ALICE, BOB], tweets=[root])

    (tmp_path / "page").mkdir()
    (tmp_path / "flat").mkdir()
    from_page = posts(read(read_pages, write(tmp_path / "page", page_line)), PostKind.COLLECTED)
    from_flat = posts(read(read_flat, write(tmp_path / "flat", *flattened(page_line))), PostKind.COLLECTED)

    assert [comparable(p) for p in from_page] == [comparable(p) for p in from_flat]
    assert from_page[1].text == "Tea?" and from_page[1].media[0].media_key == "3_7"


def test_a_page_given_to_the_flat_reader_is_read_as_a_page(tmp_path):
    """Detection looks at the first lines only; every later line is read as the shape it has."""
    items = read(read_flat, write(tmp_path, page([tweet("1", "hi")], users=[ALICE])))

    [post] = items
    assert isinstance(post, PostRecord)
    assert (post.native_id, post.text, post.author and post.author.handle) == ("1", "hi", "alice")


def test_bare_tweets_need_no_includes_and_are_dated_by_their_id_when_created_at_is_missing(tmp_path):
    minimal = {"id": "1465832308913717252", "text": "Stay Woke!", "author_id": "1448547623581978624"}

    [post] = posts(read(read_bare, write(tmp_path, minimal)))

    assert post.created_at == "2021-11-30T23:57:10Z"  # from the snowflake id
    assert post.created_raw is None
    assert (post.lang, post.retrieved_at, post.metrics, post.root) == (None, None, None, None)
    assert post.author is not None
    assert (post.author.native_id, post.author.handle) == ("1448547623581978624", None)


def test_the_three_readers_are_registered_by_format_name():
    assert FORMATS["twarc2"].reader() is read_pages
    assert FORMATS["twarc2-flat"].reader() is read_flat
    assert FORMATS["v2-tweets"].reader() is read_bare


# --- the real samples ---------------------------------------------------------------------------

REAL_FILES = [
    # reader, file, collected posts, context posts, issues, unavailable (deleted or suspended when collected)
    (read_pages, "twitter_v2_twarc2/brexit.jsonl", 100, 55, 0, 0),
    (read_pages, "twitter_v2_twarc2/kpop.jsonl", 100, 21, 0, 1),
    (read_pages, "twitter_v2_twarc2/withheld.jsonl", 215, 69, 0, 5),
    (read_pages, "twitter_v2_twarc2/noflat.jsonl", 100, 64, 0, 1),
    (read_pages, "twitter_v2_twarc2/streaming_output_with_error.jsonl", 7, 4, 1, 0),
    (read_pages, "twitter_v2_twarc2/edited.jsonl", 1, 1, 0, 0),
    (read_pages, "twitter_v2_twarc2/quoted_edit.jsonl", 1, 2, 0, 0),
    (read_pages, "twitter_v2_twarc2/geo_tweets.jsonl", 2, 1, 0, 0),
    (read_bare, "twitter_v2_twarc2/marcus_v2_data_only_de.jsonl", 10, 0, 0, 0),
    (read_flat, "twitter_v2_flattened/flat.jsonl", 100, 86, 0, 0),
    (read_flat, "twitter_v2_flattened/small_sample_flat.jsonl", 3, 1, 0, 0),
]


def real(realdata: Path, reader, name: str) -> list[ImportItem]:
    return read(reader, Source(realdata / name))


@pytest.mark.acceptance
@pytest.mark.parametrize(("reader", "name", "collected", "context", "n_issues", "n_unavailable"), REAL_FILES)
def test_real_files_give_the_expected_numbers_of_posts_and_issues(
    realdata, reader, name, collected, context, n_issues, n_unavailable
):
    items = real(realdata, reader, name)

    assert len(posts(items, PostKind.COLLECTED)) == collected
    assert len(posts(items, PostKind.CONTEXT)) == context
    assert len(issues(items)) == n_issues
    assert sum(isinstance(item, Unavailable) for item in items) == n_unavailable
    collected_ids = [p.native_id for p in posts(items, PostKind.COLLECTED)]
    assert len(set(collected_ids)) == len(collected_ids)
    assert all(p.created_at and p.author for p in posts(items))


@pytest.mark.acceptance
@pytest.mark.parametrize("name", ["brexit", "kpop", "noflat", "withheld"])
def test_real_retweets_have_the_full_text_of_an_original_in_includes(realdata, name):
    items = real(realdata, read_pages, f"twitter_v2_twarc2/{name}.jsonl")
    included = {p.native_id: p for p in posts(items, PostKind.CONTEXT)} | {p.native_id: p for p in posts(items)}
    retweets = [p for p in posts(items, PostKind.COLLECTED) if p.is_repost]

    with_original = [p for p in retweets if p.repost_of in included]
    assert with_original
    for post in with_original:
        assert post.text == included[post.repost_of].text
        assert not post.truncated
        assert not post.text.endswith("…") and not post.text.startswith("RT @")
    for post in retweets:
        if post.repost_of not in included:
            assert post.truncated and post.text.startswith("RT @")
    assert all("&amp;" not in p.text for p in posts(items))


@pytest.mark.acceptance
def test_real_withheld_file_keeps_countries_errors_tamil_and_cut_retweets(realdata):
    items = real(realdata, read_pages, "twitter_v2_twarc2/withheld.jsonl")

    withheld = {p.native_id: p.withheld for p in posts(items) if p.withheld}
    assert withheld["1388424788171841537"] == "IN"
    assert withheld["25712847277"] == "DE,FR"
    assert withheld["1257108668492984321"] == "XY"  # copyright withholding
    assert not issues(items)
    gaps = {(u.resource_type, u.resource_id): u.reason for u in items if isinstance(u, Unavailable)}
    assert "Could not find tweet" in gaps["tweet", "506694458445152256"]
    assert "suspended" in gaps["user", "RSS4India"]
    tamil = [p for p in posts(items) if p.lang == "ta"]
    assert tamil and all("குட்டீஸ் முதல் 90ஸ் வரை" in p.text for p in tamil)
    # The last page holds 112 of its 500 results and only 3 of their originals: those RTs stay cut.
    assert sum(p.truncated for p in posts(items)) == 30


@pytest.mark.acceptance
def test_real_korean_text_is_intact(realdata):
    korean = [p for p in posts(real(realdata, read_pages, "twitter_v2_twarc2/kpop.jsonl"), PostKind.COLLECTED)]
    korean = [p for p in korean if p.lang == "ko"]

    assert len(korean) == 26
    assert all(any("\uac00" <= ch <= "\ud7a3" for ch in p.text) for p in korean)
    assert any("#원호 의 #잇츠라이브" in p.text for p in korean)


@pytest.mark.acceptance
def test_real_stream_file_reports_its_cut_off_eighth_line(realdata):
    items = real(realdata, read_pages, "twitter_v2_twarc2/streaming_output_with_error.jsonl")

    [cut] = issues(items)
    assert cut.line == 8 and "cut off" in cut.reason
    assert {p.line for p in posts(items, PostKind.COLLECTED)} == set(range(1, 8))
    assert {p.locator for p in posts(items, PostKind.COLLECTED)} == {"data"}


@pytest.mark.acceptance
def test_real_edited_tweet_points_to_its_first_version(realdata):
    items = real(realdata, read_pages, "twitter_v2_twarc2/edited.jsonl")

    by_id = {p.native_id: p for p in posts(items)}
    assert by_id["1576994789110992896"].kind == PostKind.COLLECTED
    assert by_id["1576994789110992896"].edit_group == "1576994746135764992"
    assert by_id["1576994746135764992"].edit_group == "1576994746135764992"


@pytest.mark.acceptance
def test_real_bare_german_tweets_have_replies_and_quotes_but_no_language(realdata):
    items = real(realdata, read_bare, "twitter_v2_twarc2/marcus_v2_data_only_de.jsonl")

    assert sum(p.reply_to is not None for p in posts(items)) == 5
    assert sum(p.quote_of is not None for p in posts(items)) == 2
    assert {p.lang for p in posts(items)} == {None}
    assert all(p.author and p.author.handle is None for p in posts(items))


@pytest.mark.acceptance
def test_real_flat_and_noflat_files_give_the_same_collected_posts(realdata):
    from_page = posts(real(realdata, read_pages, "twitter_v2_twarc2/noflat.jsonl"), PostKind.COLLECTED)
    from_flat = posts(real(realdata, read_flat, "twitter_v2_flattened/flat.jsonl"), PostKind.COLLECTED)

    assert len(from_page) == 100
    assert sorted(map(comparable, from_page), key=lambda p: p["native_id"]) == sorted(
        map(comparable, from_flat), key=lambda p: p["native_id"]
    )
