"""Reading the query language: the syntax tree, and errors that point at the problem."""

from __future__ import annotations

import contextlib

import pytest

from archive.errors import ThreadcoderError
from index.errors import QuerySyntaxError
from index.parser import And, Everything, Field, Not, Or, Text, parse
from index.query import CodingView, check_query, compile_query


def test_words_side_by_side_mean_and_and_or_binds_looser():
    tree = parse("women work OR men")
    assert tree == Or((And((Text("women", False, 0), Text("work", False, 6))), Text("men", False, 14)))


def test_explicit_and_not_minus_and_parentheses():
    tree = parse('(a OR b) AND NOT c -"d e"')
    assert isinstance(tree, And)
    first, second, third = tree.children
    assert first == Or((Text("a", False, 1), Text("b", False, 6)))
    assert second == Not(Text("c", False, 17), 13)
    assert third == Not(Text("d e", True, 20), 19)
    assert parse("-(a OR b)") == Not(Or((Text("a", False, 2), Text("b", False, 7))), 0)


def test_lower_case_and_or_not_are_ordinary_words():
    assert parse("me and you") == And((Text("me", False, 0), Text("and", False, 3), Text("you", False, 7)))


def test_fields_hashtags_mentions_and_the_uncoded_keyword():
    tree = parse('#MeToo @ana tag:metoo author:"ben" uncoded')
    assert isinstance(tree, And)
    assert tree.children == (
        Field("tag", "MeToo", 0, 1),
        Field("@", "ana", 7, 8),
        Field("tag", "metoo", 12, 16),
        Field("author", "ben", 22, 30, quoted=True),
        Field("is", "uncoded", 35, 35),
    )


def test_code_takes_an_optional_coder_after_at():
    assert parse("code:backlash@ana") == Field("code", "backlash", 0, 5, coder="ana")
    assert parse('code:"male survivor"@ben') == Field("code", "male survivor", 0, 6, quoted=True, coder="ben")
    assert parse('code:"male survivor"') == Field("code", "male survivor", 0, 6, quoted=True)


def test_the_empty_query_means_every_post():
    assert parse("   ") == Everything()


def test_text_with_a_colon_that_is_not_a_field_stays_text():
    assert parse("10:30") == Text("10:30", False, 0)
    assert parse("https://example.org") == Text("https://example.org", False, 0)


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ('"believe survivors', "this phrase has no closing '\"'", 0),
        ("(women OR men", "this '(' is never closed", 0),
        ("women)", "this ')' closes no '('", 5),
        ("women AND", "expected a search term after 'AND', found the end of the query", 9),
        ("OR men", "expected a search term before 'OR'", 0),
        ("women OR OR men", "expected a search term after 'OR', found 'OR'", 9),
        ("NOT", "expected a search term after 'NOT', found the end of the query", 3),
        ("()", "expected a search term inside '( )'", 1),
        ("auther:ana", "unknown field 'auther:'; did you mean 'author:'?", 0),
        ("tag:", "expected a value after 'tag:'", 4),
        ("lang:fr tag: ", "expected a value after 'tag:'", 12),
        ('author:"ana"@ben', "only code: takes '@coder'; author: does not", 7),
    ],
)
def test_syntax_errors_say_what_was_expected_and_where(query, message, position):
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    assert message in caught.value.message
    assert caught.value.position == position
    assert f"(at character {position + 1})" in str(caught.value)


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ("date:2017-13", "'2017-13' is not a date: there is no month 13", 5),
        ("date:2017-02-30", "that month has no day 30", 5),
        ("date:last-week", "'last-week' is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD", 5),
        ("women date:2017-10-24..2017-10-15", "this date range ends (2017-10-15) before it starts (2017-10-24)", 11),
        ("date:2017-10-01..2017-1x", "'2017-1x' is not a date", 17),
        ("date:..", "a date range needs a start or an end", 0),
        ("is:retweeted", "unknown 'is:retweeted'; use one of is:coded, is:collected", 3),
        ("has:video", "unknown 'has:video'; use one of has:link, has:media", 4),
        ("wom* OR *", "'*' needs at least one letter or digit besides * and ?", 8),
        ("💔 🙏", "nothing to search for: emoji and punctuation are not indexed", 0),
    ],
)
def test_values_that_make_no_sense_are_errors_with_positions_too(query, message, position):
    with pytest.raises(QuerySyntaxError) as caught:
        compile_query(query)
    assert message in caught.value.message
    assert caught.value.position == position


def test_the_pointer_puts_a_caret_under_the_problem():
    error = check_query("women AND")
    assert error is not None
    assert error.pointer("women AND") == "women AND\n         ^"
    assert isinstance(error, ThreadcoderError)
    assert check_query("women AND men") is None


def test_emoji_beside_real_words_are_simply_ignored():
    assert compile_query("women 💔").score is not None


def test_blind_mode_confines_coding_searches_to_the_viewer():
    blind = CodingView(blind=True, viewer="Ana")
    compile_query("code:backlash coded-by:ana uncoded", coding=blind)
    with pytest.raises(QuerySyntaxError, match="only your own coding \\(ana\\), not ben's"):
        compile_query("women coder:ben", coding=blind)
    with pytest.raises(QuerySyntaxError, match="needs to know which coder you are"):
        compile_query("uncoded", coding=CodingView(blind=True))
    compile_query("coder:ben not-coded-by:ana", coding=CodingView(blind=False))


def test_no_query_ever_raises_anything_but_a_syntax_error():
    strange = [
        '"',
        "(",
        ")",
        "-",
        "--x",
        "NOT NOT",
        'a:"',
        "tag:#",
        "@",
        "#",
        "code:@",
        "date:2017..",
        "((a)",
        "is:",
        "x OR",
        "AND",
        ":",
        "a::b",
        "code:x@",
        "name:",
        "thread:",
        "\x00",
        "日本 AND",
        "-(a)",
        "tag:*",
        "date:2017-10-15..2017",
    ]
    for query in strange:
        with contextlib.suppress(QuerySyntaxError):  # anything else fails the test
            compile_query(query)
