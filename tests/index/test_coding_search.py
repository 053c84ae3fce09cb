"""Searching the coding state: codes, coders, finished posts, blind mode; kept current through the queue."""

from __future__ import annotations

import pytest

from archive.coding.blind import set_blind_mode
from archive.coding.codebook_edit import CodeDraft, add_code
from archive.coding.coders import add_coder
from archive.coding.codings import apply_code, remove_code
from archive.coding.status import mark_no_code_applies
from archive.jobs import drain
from index.errors import QuerySyntaxError
from index.indexer import catch_up, queued_count
from index.search import ProjectSearch
from tests.index.conftest import ids


@pytest.fixture
def coded(corpus):
    """Ana coded 10 and 12 "backlash" and 11 "male survivor"; Ben coded 10 "Male Survivor" and finished 13
    with no code; blind mode is off unless a test turns it on."""
    db = corpus.db
    ana, ben = add_coder(db, "ana"), add_coder(db, "Ben")
    backlash = add_code(db, ana.id, CodeDraft("backlash"))
    survivor = add_code(db, ana.id, CodeDraft("Male Survivor"))
    apply_code(db, "twitter:10", backlash.id, ana.id)
    apply_code(db, "twitter:12", backlash.id, ana.id)
    apply_code(db, "twitter:11", survivor.id, ana.id)
    apply_code(db, "twitter:10", survivor.id, ben.id)
    mark_no_code_applies(db, "twitter:13", ben.id)
    set_blind_mode(db, False, ana.id)
    assert queued_count(db.conn) > 0  # coding changes wait in the index queue
    drain(catch_up(corpus))
    corpus.coders = {"ana": ana, "ben": ben}  # type: ignore[attr-defined]
    corpus.codes = {"backlash": backlash, "survivor": survivor}  # type: ignore[attr-defined]
    return corpus


@pytest.fixture
def searcher(coded):
    with ProjectSearch(coded) as opened:
        yield opened


def test_codes_by_name_ignoring_case_with_or_without_the_coder(searcher):
    assert ids(searcher, "code:backlash") == {"10", "12"}
    assert ids(searcher, 'code:"male survivor"') == {"10", "11"}
    assert ids(searcher, 'code:"Male Survivor"@ana') == {"11"}
    assert ids(searcher, "code:backlash@ben") == set()
    assert ids(searcher, "code:back*") == {"10", "12"}


def test_coder_coded_by_and_not_coded_by(searcher):
    assert ids(searcher, "coder:ana") == {"10", "11", "12"}
    assert ids(searcher, "coder:ben") == {"10"}  # 13 was finished with no code: no code applied
    assert ids(searcher, "coded-by:ben") == {"10", "13"}
    assert ids(searcher, "code:backlash@ana not-coded-by:ben") == {"12"}


def test_uncoded_means_nobody_coded_or_finished_the_post(searcher):
    everything = ids(searcher, "")
    assert ids(searcher, "uncoded") == everything - {"10", "11", "12", "13"}
    assert ids(searcher, "is:coded") == {"10", "11", "12", "13"}


def test_the_code_facet_counts_codes_applied(searcher):
    assert searcher.facets("").codes == [("backlash", 2), ("male survivor", 2)]


def test_a_removed_code_leaves_the_index_at_the_next_catch_up(coded):
    ana, backlash = coded.coders["ana"], coded.codes["backlash"]
    remove_code(coded.db, "twitter:12", backlash.id, ana.id)
    with ProjectSearch(coded) as searcher:
        assert ids(searcher, "code:backlash") == {"10", "12"}  # not caught up yet
        drain(catch_up(coded))
        assert ids(searcher, "code:backlash") == {"10"}


def test_blind_mode_shows_a_coder_only_their_own_coding(coded):
    set_blind_mode(coded.db, True, coded.coders["ana"].id)
    with ProjectSearch(coded, viewer="Ben") as ben:
        assert ids(ben, "code:backlash") == set()  # Ana's codes are hidden from Ben
        assert ids(ben, 'code:"male survivor"') == {"10"}
        assert ids(ben, "is:coded") == {"10", "13"}
        assert "10" not in ids(ben, "uncoded") and "12" in ids(ben, "uncoded")
        assert ben.facets("").codes == [("male survivor", 1)]
        with pytest.raises(QuerySyntaxError, match="only your own coding \\(ben\\), not ana's"):
            ben.search("coder:ana")
    with ProjectSearch(coded) as nobody:
        with pytest.raises(QuerySyntaxError, match="needs to know which coder you are"):
            nobody.search("code:backlash")
        assert nobody.facets("").codes == []


def test_a_misspelled_code_is_a_mistake_with_a_suggestion_not_an_empty_result(searcher):
    # code:"Hostile backlas" once found nothing, silently.
    with pytest.raises(QuerySyntaxError, match="no code named “backlas”; did you mean “backlash”"):
        searcher.search("code:backlas")
    with pytest.raises(QuerySyntaxError, match="no code named “nothing like it”; threadcoder codebook"):
        searcher.search('code:"nothing like it"')
    assert ids(searcher, "code:back*") == {"10", "12"}  # a pattern is not checked against the names
