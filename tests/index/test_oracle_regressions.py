"""Engine bugs found by the search oracle (tests/oracle), each as the smallest case that shows it."""

from __future__ import annotations

from archive.coding.codebook_edit import CodeDraft, add_code
from archive.coding.coders import add_coder
from archive.coding.codings import apply_code
from archive.importing.records import AuthorRecord
from archive.jobs import drain
from index.indexer import catch_up, rebuild
from index.search import ProjectSearch
from tests.index.conftest import ANA, post, write
from tests.index.conftest import ids as found


def _scores(project, query: str) -> dict[str, float | None]:
    with ProjectSearch(project) as searcher:
        return {hit.id: hit.score for hit in searcher.all_hits(query)}


def test_a_post_without_a_date_is_left_out_of_the_day_facet(project):
    write(project, post("1", "no date here", created_at=None))
    drain(catch_up(project))
    with ProjectSearch(project) as searcher:
        assert searcher.facets("").days == []  # docs: the facet counts posts per day; this post has none


def test_a_renamed_account_is_found_by_its_new_handle_in_every_post(project):
    write(project, post("1", "first post"))
    drain(catch_up(project))
    renamed = AuthorRecord(ANA.platform, ANA.native_id, "ana_reyes", ANA.name)
    write(project, post("2", "second post", renamed), import_id=2)
    drain(catch_up(project))
    # The store now gives both posts the handle ana_reyes; the index has it for the second only.
    with ProjectSearch(project) as searcher:
        assert found(searcher, "author:ana_reyes") == {"1", "2"}


def test_scores_do_not_change_when_segments_are_merged(project):
    # Eleven words: Whoosh keeps the length as a one-byte code that reads back as 12. Ten commits make ten
    # small segments, which the next commit merges; the merged total length then counts 12, not 11.
    write(project, post("1", "women " + "word " * 10))
    drain(catch_up(project))
    for n in range(2, 12):
        write(project, post(str(n), "women at work"), import_id=n)
        drain(catch_up(project))
    merged = _scores(project, "women")
    drain(rebuild(project))
    assert _scores(project, "women") == merged


def test_scores_do_not_count_superseded_versions_of_a_post(project):
    write(project, post("1", "women at work"), post("2", "women"), post("3", "men"))
    drain(catch_up(project))
    before = _scores(project, "women")
    coder = add_coder(project.db, "ana")
    apply_code(project.db, "twitter:1", add_code(project.db, coder.id, CodeDraft("backlash")).id, coder.id)
    drain(catch_up(project))  # the coded post is indexed again; its old version stays in the segment, deleted
    assert _scores(project, "women") == before  # coding a post changes no text, so no score


def test_an_open_search_sees_a_rebuilt_index(project):
    write(project, post("1", "women"))
    drain(catch_up(project))  # the index's first commit: generation 1
    with ProjectSearch(project) as searcher:
        assert found(searcher, "women") == {"1"}
        write(project, post("2", "women too"), import_id=2)
        drain(rebuild(project))  # a fresh index, committed once: generation 1 again
        # indexer.rebuild: "Open searches keep reading the old files until they next search (then they
        # open the new index)"; this one decides by the generation number that it is up to date.
        assert found(searcher, "women") == {"1", "2"}


def test_a_full_width_space_separates_query_words(project):
    # Japanese input methods type U+3000 between words; the query parser skips it between tokens
    # (str.isspace) but does not end a word at it, so "women\u3000work" became the phrase "women work".
    write(project, post("1", "work for women"), post("2", "women at work"))
    drain(catch_up(project))
    with ProjectSearch(project) as searcher:
        assert found(searcher, "women\u3000work") == found(searcher, "women work") == {"1", "2"}
        assert found(searcher, "NOT\u3000women") == set()
