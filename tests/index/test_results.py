"""Results: totals, relevance and date order, paging, highlighted snippets and facets."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from archive.errors import ThreadcoderError
from archive.jobs import drain
from index.indexer import catch_up
from index.query import Highlight
from index.search import ProjectSearch
from index.snippets import make_snippet
from tests.index.conftest import ANA, BEN, post, write


def test_relevance_puts_posts_with_more_of_the_words_first(search):
    results = search.search("believe survivors run")
    assert [hit.id for hit in results.hits][:1] == ["twitter:12"]  # all three words
    scores = [hit.score for hit in results.hits]
    assert scores == sorted(scores, reverse=True) and all(score and score > 0 for score in scores)


def test_posts_found_only_through_filters_follow_the_scored_ones_newest_first(search):
    results = search.search("years OR is:reply")
    keys = [hit.id for hit in results.hits]
    assert set(keys[:3]) == {"twitter:10", "twitter:11", "twitter:15"}
    assert keys[3] == "twitter:13" and results.hits[3].score is None


def test_date_order_both_ways_and_relevance_without_words_is_newest_first(search):
    newest = [hit.id for hit in search.search("#metoo", sort="-date").hits]
    oldest = [hit.id for hit in search.search("#metoo", sort="date").hits]
    assert newest == ["twitter:12", "twitter:15", "twitter:10"]
    assert oldest == list(reversed(newest))
    assert [hit.id for hit in search.search("#metoo").hits] == newest


def test_hits_carry_their_time(search):
    hit = search.search("café").hits[0]
    assert hit.time == 1509624000  # 2017-11-02T12:00:00Z


def test_pages_split_the_same_order_without_gaps_or_repeats(search):
    for sort in ("relevance", "-date", "date"):
        whole = [hit.id for hit in search.search("", sort=sort, page_size=100).hits]
        pages = [search.search("", sort=sort, page=page, page_size=3) for page in (1, 2, 3, 4, 5)]
        paged = [hit.id for page in pages for hit in page.hits]
        assert paged == whole and len(whole) == 13
    last = search.search("", page=5, page_size=3)
    assert (last.total, last.pages, len(last.hits)) == (13, 5, 1)
    assert search.search("", page=9, page_size=3).hits == []


def test_relevance_pages_continue_into_the_unscored_posts(corpus):
    write(
        corpus,
        *[post(str(100 + n), f"note {n}", created_at=f"2019-05-{n + 1:02d}T10:00:00Z") for n in range(6)],
        import_id=2,
    )
    drain(catch_up(corpus))
    with ProjectSearch(corpus) as searcher:
        query = "years OR date:2019-05"
        whole = [hit.id for hit in searcher.search(query, page_size=50).hits]
        paged = [hit.id for page in (1, 2, 3) for hit in searcher.search(query, page=page, page_size=4).hits]
    assert paged == whole
    assert whole[3:] == [f"twitter:{100 + n}" for n in reversed(range(6))]


def test_unknown_sort_and_bad_pages_are_clear_errors(search):
    with pytest.raises(ThreadcoderError, match="unknown sort 'newest'"):
        search.search("x", sort="newest")
    with pytest.raises(ThreadcoderError, match="page and page size start at 1"):
        search.search("x", page=0)


def test_the_total_counts_every_match_not_just_the_page(search):
    results = search.search("", page_size=2)
    assert results.total == 13 and len(results.hits) == 2 and results.elapsed_ms > 0


def test_snippets_mark_what_matched_including_other_forms_and_accents(search):
    snippet = search.search("run").hits[0].snippet
    assert snippet is not None
    marked = snippet.render("[", "]")
    assert "[Running]" in marked or "[run]" in marked
    assert search.search("cafe").hits[0].snippet.render("[", "]") == "Le [café] de la Résistance: moi aussi. #MoiAussi"
    assert search.search("#metoo", sort="date").hits[0].snippet.render("[", "]").endswith("#[MeToo]")
    assert "[私も女性]" in search.search("私も女性").hits[0].snippet.render("[", "]")


def test_words_under_not_are_not_highlighted(search):
    snippet = search.search("years -running").hits[0].snippet
    assert snippet is not None and "[years]" in snippet.render("[", "]")
    both = next(hit for hit in search.search("years OR -running").hits if hit.id == "twitter:11").snippet
    assert both is not None
    assert both.render("[", "]") == "Running towards the light; I was running from it for [years]."


def test_a_long_text_is_cut_around_the_matches_at_word_boundaries():
    text = " ".join(f"word{n}" for n in range(100)) + " target " + " ".join(f"tail{n}" for n in range(100))
    snippet = make_snippet(text, Highlight(exact={"target"}), width=80)
    assert snippet.text.startswith("…word") and snippet.text.endswith("…")
    assert len(snippet.text) <= 82
    assert snippet.render("[", "]").count("[target]") == 1
    assert not snippet.text[1:].split(" ")[0].startswith("ord")  # no word cut in half


def test_snippets_are_one_line(corpus):
    write(corpus, post("200", "first line\nsecond line\twith a tab"), import_id=2)
    drain(catch_up(corpus))
    with ProjectSearch(corpus) as searcher:
        snippet = searcher.search("second").hits[0].snippet
    assert snippet is not None and snippet.text == "first line second line with a tab"


def test_facets_count_the_posts_found(search):
    facets = search.facets("#metoo OR lang:fr OR lang:ja")
    assert facets.hashtags[:2] == [("metoo", 3), ("believesurvivors", 1)]
    assert dict(facets.languages) == {"en": 3, "fr": 1, "ja": 1}
    assert dict(facets.authors) == {"ana_r": 1, "BenWren": 1, "cleo": 3}
    assert facets.days == [
        ("2017-10-16", 1),
        ("2017-10-18", 1),
        ("2017-10-24", 1),
        ("2017-11-02", 1),
        ("2018-03-08", 1),
    ]
    assert facets.codes == []


def test_facets_of_a_query_with_no_hits_are_empty(search):
    assert search.facets("nothingmatchesthis").as_dict() == {
        "hashtags": [],
        "authors": [],
        "languages": [],
        "days": [],
        "codes": [],
    }


def test_top_lists_are_limited_and_ties_go_by_name(corpus):
    write(corpus, *[post(str(300 + n), "tagged", BEN, hashtags=[f"tag{n % 4}"]) for n in range(8)], import_id=2)
    drain(catch_up(corpus))
    with ProjectSearch(corpus) as searcher:
        facets = searcher.facets("tagged", limit=3)
    assert facets.hashtags == [("tag0", 2), ("tag1", 2), ("tag2", 2)]
    assert facets.authors == [("BenWren", 8)]


def test_a_searcher_sees_new_commits_without_reopening(corpus):
    with ProjectSearch(corpus) as searcher:
        assert searcher.search("zebra").total == 0
        write(corpus, post("400", "a zebra crossing", ANA), import_id=2)
        drain(catch_up(corpus))
        assert searcher.search("zebra").total == 1


def test_a_search_can_run_on_a_worker_thread_with_its_own_connection(corpus):
    found: list[tuple[int, bool]] = []

    def work() -> None:
        reader = sqlite3.connect(f"file:{corpus.db_path}?mode=ro", uri=True)
        try:
            with ProjectSearch(corpus, conn=reader) as searcher:
                results = searcher.search("#metoo")
                snippet = results.hits[0].snippet
                found.append((results.total, snippet is not None and bool(snippet.marks)))
        finally:
            reader.close()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert found == [(3, True)]


def test_posts_found_by_a_query_that_requires_its_scoring_words_are_scored_without_asking_again():
    from whoosh import query as wq

    from index.search import _implied

    phrase, word, other = wq.Phrase("text", ["to", "the"]), wq.Term("text", "women"), wq.Term("text", "men")
    hidden = wq.Not(wq.Term("facts", "is:context"))
    assert _implied(phrase, wq.And([phrase, hidden]))
    assert _implied(wq.Or([word, other]), wq.And([wq.And([wq.Term("facts", "author:x"), word]), hidden]))
    assert _implied(wq.Or([word, other]), wq.And([wq.Or([word, other]), hidden]))
    assert not _implied(word, wq.And([wq.Or([word, other]), hidden]))  # a post may have only "men"
    assert not _implied(word, wq.And([wq.Not(word), hidden]))
