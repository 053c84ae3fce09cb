"""The format self-test and the fallback: Whoosh's public reader answers every search as the fast reading does,
and a fast reading that misreads the index is caught on open and replaced by it, with a warning."""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator
from typing import Any

import pytest

from archive.importing.records import AuthorRecord
from archive.jobs import drain
from archive.store.project import Project
from index import whoosh_format
from index.engine import format_check
from index.engine.segments import READING_VARIABLE, segments
from index.indexer import catch_up
from index.search import ProjectSearch, SearchResults
from index.whoosh_format import FastReading
from tests.index.conftest import CORPUS, post, write

AUTHORS = [AuthorRecord("twitter", str(n), f"user{n}", f"User {name}") for n, name in enumerate("ABCDEFGH")]
WORDS = [  # most common first
    "the",
    "to",
    "women",
    "men",
    "work",
    "believe",
    "survivors",
    "me",
    "too",
    "story",
    "years",
    "said",
    "harassment",
    "consent",
    "justice",
]
TAGS = ["MeToo", "metoo", "TimesUp", "BelieveSurvivors", "MoiAussi"]
# Every query form, the common words that a pass over the word column finds and the rare ones read from
# their postings, phrases both ways, filters alone and beside words.
QUERIES = [
    "the",
    "women",
    "survivor",
    "harass*",
    "wom?n",
    '"the women"',
    '"believe survivors"',
    '"to the"',
    "women men",
    "women OR men",
    "women -men",
    "(women OR men) -is:repost",
    "#metoo",
    "#metoo date:2017-10-15..2017-10-24",
    "author:user3",
    "@user2",
    'name:"user c"',
    "lang:fr",
    "is:reply",
    "is:repost women",
    "has:link",
    "date:2017-11",
    "date:..2017-10-20",
    "author:user5 (women OR men) -is:repost",
    "consent justice",
    '"me too" -#metoo',
    "w17",
    "",
]


def _synthetic_posts(first: int, count: int, chosen: random.Random) -> list[Any]:
    """Posts of a few hundred words' vocabulary: common words in most posts, rare ones (w0..w399) in few."""
    posts = []
    for number in range(first, first + count):
        words = chosen.choices(WORDS, weights=range(len(WORDS), 0, -1), k=chosen.randint(3, 14))
        words += [f"w{chosen.randrange(400)}" for _ in range(chosen.randint(0, 3))]
        tags = chosen.sample(TAGS, chosen.randint(0, 2))
        text = " ".join(words + [f"#{tag}" for tag in tags])
        day = f"2017-{chosen.choice(['09', '10', '11'])}-{chosen.randint(10, 28)}"
        fields: dict[str, Any] = {
            "created_at": f"{day}T{chosen.randint(10, 23)}:00:00Z",
            "lang": chosen.choice(["en", "en", "en", "fr", "es"]),
            "hashtags": tags,
        }
        if chosen.random() < 0.3:
            fields.update(is_repost=True, repost_of=str(max(1, number - 7)))
        elif chosen.random() < 0.2:
            fields.update(reply_to=str(max(1, number - 3)), root=str(max(1, number - 3)))
        if chosen.random() < 0.1:
            fields["urls"] = ["https://example.org/x"]
        posts.append(post(str(number), text, chosen.choice(AUTHORS), **fields))
    return posts


@pytest.fixture(scope="module")
def segmented(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    """1,800 posts in three commits (three segments, terms of several posting blocks), then 60 of them
    rewritten (deleted from the old segments, added to a fourth). Built once: the tests only search it."""
    with Project.create_or_open(tmp_path_factory.mktemp("segmented") / "study.threadcoder") as project:
        chosen = random.Random(11)
        for first in (1, 601, 1201):
            write(project, *_synthetic_posts(first, 600, chosen), import_id=first)
            drain(catch_up(project))
        rewritten = _synthetic_posts(1, 1800, random.Random(12))[::30]
        write(project, *rewritten, import_id=9999)
        drain(catch_up(project))
        yield project


def _answers(search: ProjectSearch) -> Iterator[Any]:
    """Everything a search answers: totals, pages in each order with scores, every hit, facets."""
    for query in QUERIES:
        for sort in ("relevance", "-date", "date"):
            for page in (1, 2):
                results: SearchResults = search.search(query, sort=sort, page=page, page_size=25, snippets=False)
                yield query, sort, page, results.total, [(hit.id, hit.score, hit.time) for hit in results.hits]
        yield query, [hit.id for hit in search.all_hits(query)]
        yield query, search.facets(query).as_dict()


def _public(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(READING_VARIABLE, "public")


def test_the_fast_reading_agrees_with_whoosh_on_segments_with_deletions(segmented: Project):
    with ProjectSearch(segmented) as search:
        found = segments(search.searcher)
        assert len(found) == 4 and any(segment.deleted for segment in found)
        for segment in found:
            fields = format_check.SAMPLED_FROM
            chosen = [(field, term) for field in fields for term in format_check._chosen_terms(segment.reader, field)]
            longest = max(segment.reader.doc_frequency(field, term) for field, term in chosen)
            assert longest > 2 * 128 or segment.size < 600  # a list of several blocks is among those checked
            assert format_check.disagreements(segment.reader, FastReading(segment.reader)) == []
            assert segment.reading.kind == "fast"


def test_the_public_reading_answers_every_search_as_the_fast_one(segmented, monkeypatch):
    with ProjectSearch(segmented) as search:
        fast = list(_answers(search))
        assert {segment.reading.kind for segment in segments(search.searcher, search.cache)} == {"fast"}
    _public(monkeypatch)
    with ProjectSearch(segmented) as search:
        public = list(_answers(search))
        assert {segment.reading.kind for segment in segments(search.searcher, search.cache)} == {"public"}
    assert sum(1 for answer in fast if len(answer) == 5 and answer[3]) > 100  # searches that found posts
    assert public == fast


def test_the_public_reading_answers_the_small_corpus_as_the_fast_one(corpus, monkeypatch):
    with ProjectSearch(corpus) as search:
        fast = list(_answers(search))
    _public(monkeypatch)
    with ProjectSearch(corpus) as search:
        assert list(_answers(search)) == fast


def _wrong_first_id(data: Any, positions: bool) -> Any:
    ids, weights, values = whoosh_format_decode_block(data, positions)
    return [ids[0] + 1, *ids[1:]], weights, values


whoosh_format_decode_block = whoosh_format._decode_block


def _wrong_time(column: Any, size: int) -> Any:
    values = whoosh_format_read_whole(column, size)
    return [value + 1 for value in values]


whoosh_format_read_whole = whoosh_format._read_whole


@pytest.mark.parametrize(("name", "wrong"), [("_decode_block", _wrong_first_id), ("_read_whole", _wrong_time)])
def test_a_fast_reading_that_misreads_is_caught_on_open_and_the_public_one_answers(
    segmented, monkeypatch, caplog, name, wrong
):
    with ProjectSearch(segmented) as search:
        expected = list(_answers(search))
    monkeypatch.setattr(whoosh_format, name, wrong)
    with caplog.at_level(logging.WARNING, logger="threadcoder.index"), ProjectSearch(segmented) as search:
        answers = list(_answers(search))
        assert {segment.reading.kind for segment in segments(search.searcher, search.cache)} == {"public"}
    warnings = [record for record in caplog.records if record.name == "threadcoder.index"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING  # once: the index is then read the public way
    assert "public interface" in warnings[0].getMessage()
    assert answers == expected


def test_one_segment_that_disagrees_makes_every_segment_read_the_public_way(segmented, monkeypatch, caplog):
    with ProjectSearch(segmented) as search:
        order = [segment.id for segment in segments(search.searcher)]
        total = search.search("women").total
    wrong_segment = order[1]  # checked after the first one has passed
    real = format_check.disagreements

    def disagreeing(reader: Any, fast: Any) -> list[str]:
        return ["made up"] if whoosh_format.segment_id(reader) == wrong_segment else real(reader, fast)

    monkeypatch.setattr(format_check, "disagreements", disagreeing)
    with caplog.at_level(logging.WARNING, logger="threadcoder.index"), ProjectSearch(segmented) as search:
        found = segments(search.searcher, search.cache)
        assert [segment.reading.kind for segment in found] == ["public"] * len(order)  # the first one too
        assert not search.cache.fast
        assert search.search("women").total == total
    assert wrong_segment in caplog.text and "made up" in caplog.text


def test_a_project_search_checks_each_segment_once(segmented, monkeypatch):
    checked: list[str] = []
    real = format_check.fast_reading_agrees

    def counting(reader: Any, segment: str, fast: Any) -> bool:
        checked.append(segment)
        return real(reader, segment, fast)

    monkeypatch.setattr("index.engine.segments.fast_reading_agrees", counting)
    with ProjectSearch(segmented) as search:
        for query in ("women", '"the women"', "#metoo"):
            search.search(query)
    assert len(checked) == len(set(checked)) == 4


def test_the_corpus_of_the_other_tests_is_checked_too(corpus):
    assert len(CORPUS) > 10
    with ProjectSearch(corpus) as search:
        for segment in segments(search.searcher):
            assert format_check.disagreements(segment.reader, FastReading(segment.reader)) == []


def test_the_fast_reading_agrees_with_whoosh_on_segments_read_without_a_memory_map(segmented):
    from whoosh.filedb.filestore import FileStorage

    plain = FileStorage(str(segmented.index_path), supports_mmap=False).open_index()
    with plain.searcher() as searcher:
        readers = [sub.reader() for sub, _ in searcher.leaf_searchers()]
        assert len(readers) == 4
        for reader in readers:
            column = FastReading(reader).word_column("text")
            assert whoosh_format._mapped(column._column) is None  # type: ignore[union-attr]
            assert format_check.disagreements(reader, FastReading(reader)) == []
