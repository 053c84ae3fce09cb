"""CSV import: how files are opened (encoding, delimiter, quoting) and how generic CSV rows become posts."""

from __future__ import annotations

import json
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pytest

from archive.errors import UnknownFormatError
from archive.formats import ReadOptions
from archive.formats.csv_cells import parse_csv_time
from archive.formats.csv_dialect import CsvTable
from archive.formats.csv_generic import guess_mapping, read
from archive.importing.records import ImportIssue, PostRecord
from archive.importing.sources import Source

REALDATA_CSV = "csv_generic_and_twarc_csv"


def csv_file(tmp_path: Path, text: str, *, encoding: str = "utf-8", name: str = "posts.csv") -> Source:
    """Write ``text`` exactly as given (no newline translation) and return it as a Source."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return Source(path)


def read_all(source: Source, **options: object) -> tuple[list[PostRecord], list[ImportIssue]]:
    items = list(read(source, ReadOptions(**options)))  # type: ignore[arg-type]
    posts = [item for item in items if isinstance(item, PostRecord)]
    issues = [item for item in items if isinstance(item, ImportIssue)]
    return posts, issues


# --- Opening the file: encoding, delimiter, line ends, quoting -------------------------------------


def test_common_header_names_need_no_mapping(tmp_path):
    source = csv_file(tmp_path, "tweet_id,full_text,date,screen_name\n1,hello world,2021-11-30 23:57:10,alice\n")
    posts, issues = read_all(source)
    assert issues == []
    [post] = posts
    assert (post.native_id, post.text, post.created_at) == ("1", "hello world", "2021-11-30T23:57:10Z")
    assert post.author is not None and post.author.handle == "alice"
    assert post.raw == {
        "tweet_id": "1",
        "full_text": "hello world",
        "date": "2021-11-30 23:57:10",
        "screen_name": "alice",
    }
    assert post.line == 2


def test_a_utf8_bom_is_not_part_of_the_first_column_name(tmp_path):
    source = csv_file(tmp_path, "\ufeffid,text\n1,Grüße\n")
    assert CsvTable(source, ReadOptions()).header == ["id", "text"]
    assert CsvTable(source, ReadOptions(csv_encoding="cp1252")).header == ["id", "text"]
    posts, _ = read_all(source)
    assert posts[0].text == "Grüße"


def test_blank_lines_before_the_header_and_between_rows_are_skipped(tmp_path):
    posts, issues = read_all(csv_file(tmp_path, "\n\nid,text\n1,a\n\n2,b\n"))
    assert issues == []
    assert [(p.native_id, p.line) for p in posts] == [("1", 4), ("2", 6)]


def test_semicolons_and_crlf_as_european_excel_saves_them(tmp_path):
    source = csv_file(tmp_path, "id;text;lang\r\n1;Eins, zwei, drei;de\r\n2;vier;de\r\n")
    assert CsvTable(source, ReadOptions()).dialect.delimiter == ";"
    posts, issues = read_all(source)
    assert issues == []
    assert [(p.text, p.lang) for p in posts] == [("Eins, zwei, drei", "de"), ("vier", "de")]


def test_tab_separated_file(tmp_path):
    source = csv_file(tmp_path, "id\ttext\tauthor_handle\n1\tone, two; three\t@bob\n")
    posts, _ = read_all(source)
    assert posts[0].text == "one, two; three"
    assert posts[0].author is not None and posts[0].author.handle == "bob"


def test_a_quoted_cell_may_hold_newlines_and_each_row_keeps_the_line_where_it_starts(tmp_path):
    source = csv_file(tmp_path, 'id,text\r\n1,"first line\r\nsecond line\r\nthird"\r\n2,"said ""hi"""\r\n')
    posts, issues = read_all(source)
    assert issues == []
    assert [p.text for p in posts] == ["first line\r\nsecond line\r\nthird", 'said "hi"']
    assert [p.line for p in posts] == [2, 5]


def test_a_19_digit_id_stays_exact_text(tmp_path):
    source = csv_file(tmp_path, "id,text,reply_to\n1465832308913717252,a reply,1465800971892764681\n")
    [post], _ = read_all(source)
    assert post.native_id == "1465832308913717252"
    assert post.reply_to == "1465800971892764681"


def test_an_id_that_excel_rounded_is_refused_and_the_other_rows_are_read(tmp_path):
    source = csv_file(tmp_path, "id,text\n1.46583E+18,rounded by Excel\n1465832308913717252,fine\n")
    posts, [issue] = read_all(source)
    assert [p.native_id for p in posts] == ["1465832308913717252"]
    assert issue.line == 2
    assert "Excel" in issue.reason and "1.46583E+18" in issue.reason


def test_an_id_written_as_a_decimal_is_kept_only_when_no_digit_can_have_been_lost(tmp_path):
    # pandas writes integer columns with gaps as floats: 2944585210.0 is exact, a tweet id is not.
    source = csv_file(tmp_path, "id,text,author_id\n1,a,2944585210.0\n1465832308913717252.0,b,\n")
    posts, [issue] = read_all(source)
    assert [(p.native_id, p.author and p.author.native_id) for p in posts] == [("1", "2944585210")]
    assert issue.line == 3 and "rounded" in issue.reason


def test_a_row_with_the_wrong_number_of_cells_is_reported_with_its_line(tmp_path):
    source = csv_file(tmp_path, "id,text,lang\n1,complete,en\n2,short\n3,complete,de\n")
    posts, [issue] = read_all(source)
    assert [p.native_id for p in posts] == ["1", "3"]
    assert issue.line == 3
    assert "expected 3 cells" in issue.reason and "found 2" in issue.reason
    assert issue.excerpt == "2,short"


def test_a_quote_that_is_never_closed_is_reported_instead_of_swallowing_the_next_rows(tmp_path):
    source = csv_file(tmp_path, 'id,text\n1,"oops, no closing quote\n2,b\n3,c\n')
    posts, [issue] = read_all(source)
    assert posts == []
    assert issue.line == 2 and "never closed" in issue.reason and "lines 2 to 4" in issue.reason


def test_a_cp1252_file_saved_by_windows_excel_is_read_without_mojibake(tmp_path):
    source = csv_file(tmp_path, "id;text\r\n1;Grüße – „Zitat“ für 5 €\r\n", encoding="cp1252")
    assert CsvTable(source, ReadOptions()).dialect.encoding == "cp1252"
    posts, issues = read_all(source)
    assert issues == []
    assert posts[0].text == "Grüße – „Zitat“ für 5 €"


def test_the_user_can_choose_encoding_and_delimiter(tmp_path):
    source = csv_file(tmp_path, "id|text\n1|Olá\n", encoding="latin-1")
    posts, issues = read_all(source, csv_encoding="latin-1", csv_delimiter="|")
    assert issues == []
    assert posts[0].text == "Olá"


def test_a_utf16_file_as_excel_saves_unicode_text_is_read(tmp_path):
    source = csv_file(tmp_path, "id\ttext\r\n1\t日本語\r\n", encoding="utf-16")
    posts, issues = read_all(source)
    assert issues == []
    assert posts[0].text == "日本語"


def test_a_line_that_is_not_valid_utf8_far_into_the_file_costs_that_line_only(tmp_path):
    rows = [f"{n},post number {n}\n".encode() for n in range(1, 5001)]
    rows[4000] = b"4001,caf\xe9 in latin-1\n"  # beyond the sniffed head, so the file was taken as UTF-8
    (tmp_path / "mixed.csv").write_bytes(b"id,text\n" + b"".join(rows))
    posts, [issue] = read_all(Source(tmp_path / "mixed.csv"))
    assert len(posts) == 5000
    assert issue.line == 4002 and "not valid utf-8" in issue.reason
    assert posts[4000].text == "caf\ufffd in latin-1"


@dataclass(frozen=True, slots=True)
class _CountingSource(Source):
    """A Source that remembers the streams it opened, to see how far the reader has read."""

    opened: list[BinaryIO] | None = None

    def open(self) -> BinaryIO:
        stream = Source.open(self)
        assert self.opened is not None
        self.opened.append(stream)
        return stream


def test_rows_are_streamed_not_loaded_whole(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("id,text\n")
        for n in range(1, 50_001):
            out.write(f'{n},"post {n} with some words to make the file big"\n')
    opened: list[BinaryIO] = []
    posts = read(_CountingSource(path, opened=opened), ReadOptions())
    first = next(posts)
    assert isinstance(first, PostRecord) and first.native_id == "1"
    assert opened[-1].tell() < path.stat().st_size / 10
    assert isinstance(posts, Generator)
    posts.close()


# --- Dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "utc"),
    [
        ("2021-11-30T23:57:10.000Z", "2021-11-30T23:57:10Z"),  # X API v2, twarc-csv
        ("2021-12-01T00:57:10+01:00", "2021-11-30T23:57:10Z"),  # ISO-8601 with an offset
        ("2021-11-30 23:57:10", "2021-11-30T23:57:10Z"),  # no zone: taken as UTC
        ("2021-11-30 23:57:10 +0000", "2021-11-30T23:57:10Z"),
        ("2021-11-30 23:57:10 UTC", "2021-11-30T23:57:10Z"),
        ("Tue Nov 30 23:57:10 +0000 2021", "2021-11-30T23:57:10Z"),  # X API v1.1
        ("1638316630", "2021-11-30T23:57:10Z"),  # epoch seconds
        ("1638316630000", "2021-11-30T23:57:10Z"),  # epoch milliseconds
        ("30.11.2021 23:57", "2021-11-30T23:57:00Z"),  # German spreadsheets
        ("2021/11/30 23:57:10", "2021-11-30T23:57:10Z"),
    ],
)
def test_dates_in_common_forms_become_utc(written, utc):
    assert parse_csv_time(written) == utc


def test_an_unreadable_date_is_reported_and_the_post_kept_without_a_date(tmp_path):
    source = csv_file(tmp_path, "id,text,created_at\n1,hello,last Tuesday\n")
    [post], [issue] = read_all(source)
    assert post.created_at is None and post.created_raw == "last Tuesday"
    assert issue.line == 2 and "'created_at'" in issue.reason and "last Tuesday" in issue.reason


# --- Mapping columns to posts --------------------------------------------------------------------


def test_entity_cells_may_be_json_lists_or_separated_words(tmp_path):
    source = csv_file(
        tmp_path,
        "id,text,hashtags,mentions,urls\n"
        '1,a,"[""#Brexit"", ""#PeoplesVote""]","[""@alice""]","[""https://example.org/a""]"\n'
        '2,b,"brexit, Vote",@alice @bob,https://example.org/b https://example.org/c\n',
    )
    posts, _ = read_all(source)
    assert [p.hashtags for p in posts] == [["Brexit", "PeoplesVote"], ["brexit", "Vote"]]
    assert [p.mentions for p in posts] == [["alice"], ["alice", "bob"]]
    assert [p.urls for p in posts] == [["https://example.org/a"], ["https://example.org/b", "https://example.org/c"]]


def test_an_explicit_mapping_names_the_columns_for_our_fields(tmp_path):
    source = csv_file(tmp_path, 'Nr;Beitrag;Wann;Von\n7;"Hallo &amp; tschüss";2021-11-30 12:00:00;@carla\n')
    mapping = {"id": "Nr", "text": "Beitrag", "created_at": "Wann", "author_handle": "Von"}
    [post], issues = read_all(source, csv_mapping=mapping)
    assert issues == []
    assert (post.native_id, post.created_at) == ("7", "2021-11-30T12:00:00Z")
    assert post.text == "Hallo & tschüss"  # X texts are HTML-escaped; only &amp; &lt; &gt; are undone
    assert post.author is not None and (post.author.native_id, post.author.handle) == ("carla", "carla")


def test_reference_columns_give_reply_quote_and_repost_links(tmp_path):
    source = csv_file(
        tmp_path,
        "id;text;referenced_tweet_ids;reference_types\n"
        "10;a reply;1;replied_to\n"
        "11;a quote;2;quoted\n"
        "12;a retweet;3;retweeted\n"
        "13;reply and quote;4,5;replied_to,quoted\n"
        "14;plain;;\n",
    )
    posts, issues = read_all(source)
    assert issues == []
    links = [(p.reply_to, p.quote_of, p.repost_of, p.is_repost) for p in posts]
    assert links == [
        ("1", None, None, False),
        (None, "2", None, False),
        (None, None, "3", True),
        ("4", "5", None, False),
        (None, None, None, False),
    ]


def test_without_an_id_or_text_column_the_whole_file_is_refused(tmp_path):
    source = csv_file(tmp_path, "Nummer;Nachricht;Datum\n1;Hallo;2021-11-30\n")
    with pytest.raises(UnknownFormatError) as refused:
        list(read(source, ReadOptions()))
    message = str(refused.value)
    assert str(source.path) in message
    assert "[Nummer, Nachricht, Datum]" in message
    assert "no column for id and text" in message


def test_a_mapping_that_names_a_missing_column_is_refused(tmp_path):
    source = csv_file(tmp_path, "id,text\n1,a\n")
    with pytest.raises(UnknownFormatError, match="'body'"):
        list(read(source, ReadOptions(csv_mapping={"id": "id", "text": "body"})))


def test_the_platform_comes_from_the_options_and_its_ids_need_not_be_digits(tmp_path):
    source = csv_file(tmp_path, "id,body,parent_id,author\nt1_abc12,Reddit comment,t3_xyz,someone\n")
    [post], issues = read_all(source, platform="reddit")
    assert issues == []
    assert (post.platform, post.native_id, post.reply_to) == ("reddit", "t1_abc12", "t3_xyz")
    assert post.key == "reddit:t1_abc12"


def test_the_guessed_mapping_uses_each_column_once():
    header = ["id", "conversation_id", "text", "user", "name", "timestamp", "referenced_tweet_ids"]
    assert guess_mapping(header) == {
        "id": "id",
        "text": "text",
        "created_at": "timestamp",
        "author_handle": "user",
        "author_name": "name",
        "root": "conversation_id",
        "referenced_ids": "referenced_tweet_ids",
    }


# --- Acceptance: a researcher's own CSV ------------------------------------------------------------

GERMAN_MAPPING = {
    "id": "id",
    "text": "text",
    "created_at": "created_at",
    "author_id": "author_id",
    "root": "conversation_id",
    "referenced_ids": "referenced_tweet_ids",
    "referenced_types": "reference_types",
}


@pytest.mark.acceptance
@pytest.mark.parametrize("mapping", [GERMAN_MAPPING, {}], ids=["explicit mapping", "guessed mapping"])
def test_the_generic_german_semicolon_crlf_csv_matches_the_same_tweets_from_the_api(realdata, mapping):
    source = Source(realdata / REALDATA_CSV / "generic_semicolon_crlf_de.csv")
    posts, issues = read_all(source, csv_mapping=mapping)
    assert issues == []
    api_file = realdata / "twitter_v2_twarc2" / "marcus_v2_data_only_de.jsonl"
    api = [json.loads(line) for line in api_file.read_text(encoding="utf-8").splitlines()]
    assert len(posts) == 10
    assert [p.native_id for p in posts] == [tweet["id"] for tweet in api]
    for post, tweet in zip(posts, api, strict=True):
        refs = {ref["type"]: ref["id"] for ref in tweet.get("referenced_tweets", [])}
        assert (post.reply_to, post.quote_of) == (refs.get("replied_to"), refs.get("quoted"))
        assert post.root == tweet["conversation_id"]
        assert post.author is not None and post.author.native_id == tweet["author_id"]
        assert post.created_at == tweet["created_at"].replace(".000Z", "Z")
        # The researcher flattened newlines to spaces before saving the CSV.
        assert post.text == tweet["text"].replace("\n", " ")
    assert sum(p.reply_to is not None for p in posts) == 5
