"""Phrases are found and scored alike whether each candidate post is checked or a whole segment is passed
over once, by its rarest word or by word pairs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.jobs import drain
from archive.store.project import Project
from index.analysis import has_sequence, packed, term_hash, terms, word_sequence
from index.engine import docsets, word_sequences
from index.indexer import catch_up
from index.schema import WORDS_FIELD
from index.search import ProjectSearch
from index.whoosh_format import FastReading, segment_id
from tests.index.conftest import ids, post, write
from tests.index.test_words_field import demo_texts

TEXTS = [text for text in demo_texts() if text][:240]
ONE_BY_ONE, ONE_PASS = 0, 10**12  # words a check is worth: never pass over a segment, or always
# The ways to find a phrase: (words a check is worth, share of posts above which word pairs are compared)
WAYS = {"each post": (ONE_BY_ONE, 0.2), "one pass, by word": (ONE_PASS, 2.0), "one pass, by pairs": (ONE_PASS, -1.0)}


def choose(monkeypatch: pytest.MonkeyPatch, way: str) -> None:
    words_per_check, pairs_above = WAYS[way]
    monkeypatch.setattr(word_sequences, "WORDS_PER_CHECK", words_per_check)
    monkeypatch.setattr(word_sequences, "PAIRS_ABOVE", pairs_above)


def phrases() -> list[str]:
    """Two- and three-word phrases taken from the texts, and the same words reversed (mostly absent)."""
    found: set[str] = set()
    for text in TEXTS[::12]:
        words = terms(text)
        for at in range(0, max(0, len(words) - 2), 4):
            found |= {" ".join(words[at : at + 2]), " ".join(words[at : at + 3]), f"{words[at + 1]} {words[at]}"}
    return sorted(found)


def with_phrase(phrase: str) -> set[str]:
    """The native ids of the texts holding the phrase's words side by side, worked out by hand."""
    needle = packed(terms(phrase))
    return {str(number) for number, text in enumerate(TEXTS) if has_sequence(word_sequence(text), needle)}


@pytest.fixture
def demo_project(project: Project) -> Project:
    """The demo's texts as posts, in three segments."""
    for start in range(0, len(TEXTS), 80):
        write(project, *(post(str(n), TEXTS[n]) for n in range(start, min(len(TEXTS), start + 80))))
        drain(catch_up(project))
    return project


@pytest.mark.parametrize("way", WAYS)
def test_every_way_finds_exactly_the_posts_with_the_words_side_by_side(demo_project, way, monkeypatch):
    choose(monkeypatch, way)
    checked = phrases()
    assert len(checked) > 60
    with ProjectSearch(demo_project) as searcher:
        for phrase in checked:
            assert ids(searcher, f'"{phrase}"') == with_phrase(phrase), phrase
            assert ids(searcher, f'"{phrase}" -is:reply') == with_phrase(phrase), phrase  # within other parts


def test_every_way_ranks_alike(demo_project, monkeypatch):
    def ranking(way: str, query: str) -> list[tuple[str, float | None]]:
        choose(monkeypatch, way)
        with ProjectSearch(demo_project) as searcher:
            return [(hit.id, round(hit.score or 0, 9)) for hit in searcher.all_hits(query)]

    found = [phrase for phrase in phrases() if len(with_phrase(phrase)) > 1]
    assert len(found) > 10
    mixed = [f'"{found[0]}" OR "{found[1]}"', f'"{found[2]}" {found[2].split()[0]}', f'"{found[3]}" OR the']
    for query in [*(f'"{phrase}"' for phrase in found[:10]), *mixed]:
        rankings = [ranking(way, query) for way in WAYS]
        assert rankings[0] and rankings[0] == rankings[1] == rankings[2], query


def test_a_phrase_counts_each_time_it_occurs_and_never_across_two_posts(project, monkeypatch):
    write(
        project,
        post("1", "the women the women spoke"),
        post("2", "the women spoke and nobody listened to them"),
        post("3", "many words and then the women and then more words to pad it"),
        post("4", "she was talking to"),  # "to" ends this post ...
        post("5", "the point"),  # ... and "the" starts the next: no "to the" across them
        post("6", "the the the"),
    )
    drain(catch_up(project))
    for way in WAYS:
        choose(monkeypatch, way)
        with ProjectSearch(project) as searcher:
            assert ids(searcher, '"to the"') == set()
            assert ids(searcher, '"the the"') == {"6"}
            ranked = [hit.id for hit in searcher.all_hits('"the women"')]
            assert ranked == ["twitter:1", "twitter:2", "twitter:3"]  # twice first; then the shorter post
            segment_reader = searcher.searcher.reader().leaf_readers()[0][0]
            column = FastReading(segment_reader).word_column(WORDS_FIELD)
            sequences = word_sequences.WordSequences(column, segment_id(segment_reader))
            assert sequences.counts(range(6), packed(["the", "the"])) == {5: 2}  # overlapping, as a pass counts
            passed = sequences.occurrences([term_hash("the"), term_hash("the")], 0, share=0.5)
            assert (passed.docs.tolist(), passed.counts.tolist()) == ([5], [2])


def test_a_search_kept_open_sees_a_post_that_no_longer_holds_the_phrase(project, monkeypatch):
    write(project, post("1", "believe survivors always"), post("3", "other words"))
    drain(catch_up(project))
    for number, way in enumerate(WAYS, start=10):
        choose(monkeypatch, way)
        write(project, post(str(number), "we believe survivors"))
        drain(catch_up(project))
        with ProjectSearch(project) as searcher:
            assert ids(searcher, '"believe survivors"') == {"1", str(number)}  # occurrences kept by the search
            write(project, post(str(number), "we believe in survivors"))  # changed: the old document is deleted
            drain(catch_up(project))
            assert ids(searcher, '"believe survivors"') == {"1"}
            assert ids(searcher, '"believe in survivors"') == {str(n) for n in range(10, number + 1)}


@given(docs=st.sets(st.integers(0, 500), max_size=200), wanted=st.sets(st.integers(0, 520), max_size=200))
def test_occurrences_among_some_documents_are_those_of_the_documents(docs, wanted):
    ordered = np.array(sorted(docs), dtype=np.int32)
    found = word_sequences.Occurrences(ordered, ordered % 7 + 1)
    among = found.among(wanted)
    assert among.docs.tolist() == sorted(docs & wanted)
    assert among.counts.tolist() == [doc % 7 + 1 for doc in sorted(docs & wanted)]


def word_queries() -> list[str]:
    """Words from the texts alone, two together, either of two, a prefix, and a word with a filter."""
    words = sorted({word for text in TEXTS[::10] for word in terms(text) if len(word) > 2})[:40]
    pairs = [f"{a} {b}" for a, b in zip(words[::2], words[1::2], strict=False)]
    return [*words, *pairs, f"{words[0]} OR {words[1]}", f"{words[2][:3]}*", f"{words[3]} -is:reply", "the", "to"]


def test_words_found_by_a_pass_over_the_column_are_found_and_ranked_as_by_their_postings(demo_project, monkeypatch):
    def results(pass_above: float, query: str) -> list[tuple[str, float]]:
        monkeypatch.setattr(docsets, "WORD_PASS_ABOVE", pass_above)
        with ProjectSearch(demo_project) as searcher:
            return [(hit.id, round(hit.score or 0, 9)) for hit in searcher.all_hits(query)]

    for query in word_queries():
        by_postings = results(2.0, query)
        assert results(-1.0, query) == by_postings, query
    assert any(results(2.0, query) for query in word_queries())


def test_a_character_the_index_holds_alone_is_not_looked_for_in_word_sequences(project, monkeypatch):
    write(project, post("1", "私も女性です"), post("2", "성폭력을 반대합니다"), post("3", "plain words"))
    drain(catch_up(project))
    monkeypatch.setattr(docsets, "WORD_PASS_ABOVE", -1.0)  # every word by a pass, where a pass can find it
    with ProjectSearch(project) as searcher:
        assert ids(searcher, "す") == {"1"}  # the last character of a run: in the index, not in the sequence
        assert ids(searcher, "다") == {"2"}
        assert ids(searcher, "女性") == {"1"}


def test_scores_added_up_for_a_few_allowed_posts_are_those_of_the_whole_tables(demo_project):
    from whoosh import query as wq

    from index.engine.ranking import Statistics, scores
    from index.engine.segments import segments
    from index.terms import Stemmed

    leaves = [Stemmed("text", "the"), Stemmed("text", "women"), wq.Term("text", "men")]
    with ProjectSearch(demo_project) as searcher:
        found = segments(searcher.searcher, searcher.cache)
        statistics = Statistics(found)
        for segment in found:
            everything = scores(leaves, segment, set(range(segment.size)), statistics)  # whole tables merged
            few = set(sorted(everything)[::7])
            assert few and scores(leaves, segment, few, statistics) == {doc: everything[doc] for doc in few}


def test_a_segment_read_without_a_memory_map_gives_the_same_answers(demo_project):
    from whoosh.filedb.filestore import FileStorage

    from index import whoosh_format
    from index.analysis import pack_hashes, term_hash

    plain = FileStorage(str(demo_project.index_path), supports_mmap=False).open_index()
    mapped = FileStorage(str(demo_project.index_path)).open_index()
    checked = [[term_hash(word) for word in phrase.split()] for phrase in phrases()[:30]]
    found = 0
    with plain.searcher() as unmapped_searcher, mapped.searcher() as mapped_searcher:
        pairs = zip(unmapped_searcher.leaf_searchers(), mapped_searcher.leaf_searchers(), strict=True)
        for (unmapped, _), (mapped_one, _) in pairs:
            unmapped_column = FastReading(unmapped.reader()).word_column(WORDS_FIELD)
            mapped_column = FastReading(mapped_one.reader()).word_column(WORDS_FIELD)
            assert whoosh_format._mapped(unmapped_column._column) is None  # type: ignore[union-attr]
            assert whoosh_format._mapped(mapped_column._column) is not None  # type: ignore[union-attr]
            read = word_sequences.WordSequences(unmapped_column, segment_id(unmapped.reader()))
            kept = word_sequences.WordSequences(mapped_column, segment_id(mapped_one.reader()))
            for hashes in checked:
                ours, theirs = read.occurrences(hashes, 0, 0.5), kept.occurrences(hashes, 0, 0.5)
                assert (ours.docs.tolist(), ours.counts.tolist()) == (theirs.docs.tolist(), theirs.counts.tolist())
                found += len(ours.docs)
                needle = pack_hashes(hashes)
                docs = range(unmapped.reader().doc_count_all())
                assert read.with_any(docs, [needle]) == kept.with_any(docs, [needle]) == set(ours.docs.tolist())
    assert found > 10
