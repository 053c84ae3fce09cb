"""Every form of the query language, run against a real index of a small archive (see conftest.CORPUS)."""

from __future__ import annotations

import pytest

from tests.index.conftest import ids


def test_a_plain_word_finds_its_other_forms_but_a_quoted_word_only_itself(search):
    assert ids(search, "run") == {"11", "12"}  # "Running", "running" and "run"
    assert ids(search, "running") == {"11", "12"}
    assert ids(search, '"running"') == {"11"}
    assert ids(search, '"run"') == {"12"}


def test_stemming_joins_forms_of_one_word_only(search):
    assert ids(search, "harass") == {"22"}  # harassment, harassed
    assert ids(search, "year") == {"10", "11", "15"}
    assert ids(search, "ran") == set()  # irregular forms are not stems of "run"


def test_phrases_need_the_words_in_order(search):
    assert ids(search, '"believe survivors"') == {"12", "16"}
    assert ids(search, '"survivors believe"') == set()
    assert ids(search, '"took me years"') == {"10", "15"}
    assert ids(search, '"la résistance"') == {"14"}  # words of one post only: stored inline by Whoosh
    assert ids(search, '"résistance la"') == set()


def test_and_or_not_and_parentheses(search):
    assert ids(search, "believe AND survivors") == {"12", "16"}
    assert ids(search, "believe survivors") == {"12", "16"}
    assert ids(search, "café OR photo") == {"14", "17"}
    assert ids(search, "years NOT running") == {"10", "15"}
    assert ids(search, "years -running") == {"10", "15"}
    assert ids(search, "(photo OR café) -is:repost lang:fr") == {"14"}
    assert ids(search, "NOT years") >= {"12", "14"} and not ids(search, "NOT years") & {"10", "11", "15"}


def test_hashtags_by_sign_or_field_ignore_case_and_accents(search):
    assert ids(search, "#metoo") == {"10", "12", "15"}
    assert ids(search, "tag:MeToo") == {"10", "12", "15"}
    assert ids(search, "#moiaussi") == ids(search, "tag:MoiAussi") == {"14"}
    assert ids(search, "#미투") == {"21"}


def test_handles_authors_mentions_and_display_names(search):
    assert ids(search, "author:ana_r") == {"10", "16", "19", "22"}
    assert ids(search, "author:@BENWREN") == {"11", "13", "15", "17", "20"}
    assert ids(search, "mention:ana_r") == {"13", "15"}
    assert ids(search, "@ana_r") == {"10", "13", "15", "16", "19", "22"}  # by or mentioning
    assert ids(search, 'name:"Cleo Varga"') == {"12", "14", "18", "21"}


def test_language_and_platform(search):
    assert ids(search, "lang:fr") == {"14"}
    assert ids(search, "lang:FA") == {"19"}
    assert len(ids(search, "platform:twitter")) == 13
    assert ids(search, "platform:mastodon") == set()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date:2017-10-16", {"10"}),
        ("date:2017-10-15..2017-10-24", {"10", "11", "12", "13", "15"}),
        ("date:2017-10-17..", {"12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22"}),
        ("date:..2017-10-16", {"10", "11"}),
        ("date:2017-10", {"10", "11", "12", "13", "15"}),
        ("date:2017-11..2017-12", {"14", "16"}),
        ("date:2018", {"17", "18", "19", "20", "21"}),
        ("date:2017-10-24", {"12"}),  # the last second of a day belongs to that day
        ("date:2017-09-01..2017-09-30", set()),
    ],
)
def test_dates_days_months_years_and_open_ranges(search, query, expected):
    assert ids(search, query) == expected


def test_post_kinds_and_attachments(search):
    assert ids(search, "is:reply") == {"13"}
    assert ids(search, "is:repost") == ids(search, "is:rt") == {"15"}
    assert ids(search, "is:quote") == {"16"}
    assert ids(search, "has:media") == {"17"}
    assert ids(search, "has:link") == {"16"}


def test_context_posts_are_searched_only_when_asked_for(search):
    assert ids(search, "original") == set()
    assert ids(search, "original is:context") == {"90"}
    assert ids(search, "original", include_context=True) == {"90"}
    assert "90" not in ids(search, "")


def test_thread_finds_the_root_and_its_replies(search):
    assert ids(search, "thread:10") == {"10", "13"}
    assert ids(search, "thread:twitter:10") == {"10", "13"}


def test_prefixes_and_wildcards_on_words_and_fields(search):
    assert ids(search, "harass*") == {"22"}
    assert ids(search, "r?nning") == {"11"}
    assert ids(search, "author:b*") == {"11", "13", "15", "17", "20"}
    assert ids(search, "tag:meto*") == {"10", "12", "15", "18"}


def test_words_in_scripts_without_spaces_korean_persian_and_tamil(search):
    assert ids(search, "女性") == {"18"}
    assert ids(search, "私も女性") == {"18"}
    assert ids(search, "性") == {"18"}  # one character, at the end of a run
    assert ids(search, "私") == {"18"}  # one character, at the start of a run
    assert ids(search, "女性も") == set()
    assert ids(search, "성폭력") == {"21"}  # the word without its particle
    assert ids(search, "میخواهم") == ids(search, "می‌خواهم") == {"19"}
    assert ids(search, "کتاب") == {"19"}  # typed with the Persian kaf, written with the Arabic one
    assert ids(search, "தமிழ்") == {"20"}


def test_accents_and_case_never_matter_for_words(search):
    assert ids(search, "CAFE") == ids(search, "Café") == {"14"}
    assert ids(search, "resistance") == {"14"}


def test_the_empty_query_lists_every_collected_post(search):
    assert len(ids(search, "")) == 13


def test_phrases_are_checked_in_every_script_and_across_punctuation(search):
    assert ids(search, '"years to say"') == {"10", "15"}
    assert ids(search, '"to say years"') == set()  # every word is there, not in this order
    assert ids(search, '"light i was"') == {"11"}  # punctuation between words does not break a phrase
    assert ids(search, '"女性です"') == {"18"}  # character pairs, in order
    assert ids(search, '"です女性"') == set()
    assert ids(search, '"தமிழ் பெண்"') == {"20"}
    assert ids(search, '"Cleo Varga" OR "believe survivors"') == {"12", "16"}  # text phrase; names are name:
