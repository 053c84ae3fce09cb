"""Relevance: BM25 over the query's words, computed a posting block at a time.

Whoosh scores one document at a time in Python (about 2 µs each) and its block-skipping shortcut does
not help with tweets, whose short texts all score alike; a common word in a million posts then took
a quarter of a second. Here a block's scores come from a table lookup per document (most words occur
once in a post, so the score depends only on the post's length), at C speed where the block allows.
Scores are BM25 (k1 = 1.2, b = 0.75) summed over the words and phrases of the query. A phrase of the text
scores as one term, as in Lucene: its frequency in the post, weighted by the sum of its words' inverse
document frequencies; a phrase of a field that keeps word positions (the name) scores as its words,
leaving out those in more than half of all posts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from itertools import compress, repeat
from typing import Any

import numpy as np
import numpy.typing as npt

from index.analysis import in_sequences, packed, term_hash
from index.engine.docsets import LOOK_VERSUS_READ, filter_matching, phrase_in_one_pass
from index.engine.segments import Segment
from index.engine.word_sequences import Occurrences
from index.terms import DateRange, Stemmed
from index.whoosh_format import LENGTH_OF_CODE, wq
from index.words_field import WordsText

K1 = 1.2
B = 0.75
_LENGTHS = np.asarray(LENGTH_OF_CODE, dtype=np.int64)  # what each one-byte length code counts for


def leaf_terms(query: wq.Query, segment: Segment, statistics: Statistics) -> Iterator[tuple[str, bytes]]:
    """The (field, term) pairs a scoring query stands for in this segment."""
    if isinstance(query, wq.Term):
        text = query.text
        yield query.fieldname, text if isinstance(text, bytes) else text.encode("utf-8")
    elif isinstance(query, wq.Phrase):
        yield from _phrase_terms(query, statistics)
    elif isinstance(query, (Stemmed, DateRange, wq.Prefix, wq.Wildcard)):
        for btext in segment.expand(query):
            yield query.field(), btext
    elif isinstance(query, (wq.Or, wq.And)):
        for child in query.subqueries:
            yield from leaf_terms(child, segment, statistics)


def _phrase_terms(query: wq.Phrase, statistics: Statistics) -> list[tuple[str, bytes]]:
    """The words a phrase is scored by: all but those in more than half of all posts, whose weight is
    small and nearly the same in every post (``"the women"`` scores as *women*), unless all are."""
    words = [(query.fieldname, word.encode("utf-8")) for word in query.words]
    rare = [word for word in words if statistics.frequency(*word) * 2 <= statistics.documents]
    return rare or [min(words, key=lambda word: statistics.frequency(*word))]


class Statistics:
    """Collection statistics over the live documents of all segments: their number N, how many have a
    term, the average field length. Whoosh keeps a re-indexed post's old version, marked deleted, until its
    segment is merged: counted, coding a post would change the scores of every search. A post's length is
    what its one-byte length code stands for, which a merge copies as it is, so the average is the same
    however the posts are spread over segments (Whoosh's own total adds up rounded codes when segments
    merge but exact lengths when they are written)."""

    def __init__(self, segments: Sequence[Segment]) -> None:
        self.segments = segments
        self.documents = max(1, sum(segment.size - len(segment.deleted) for segment in segments))
        self._average: dict[str, float] = {}
        self._idf: dict[tuple[str, bytes], float] = {}
        self._frequency: dict[tuple[str, bytes], int] = {}
        self._norms: dict[str, list[float]] = {}

    def idf(self, field: str, btext: bytes) -> float:
        """Inverse document frequency over all segments (asked once per segment: kept)."""
        key = (field, btext)
        if key not in self._idf:
            frequency = self.frequency(field, btext)
            self._idf[key] = math.log(1 + (self.documents - frequency + 0.5) / (frequency + 0.5))
        return self._idf[key]

    def frequency(self, field: str, btext: bytes) -> int:
        """How many live documents of the whole index have the term (a sum over segments: kept)."""
        key = (field, btext)
        if key not in self._frequency:
            self._frequency[key] = sum(_live_frequency(segment, field, btext) for segment in self.segments)
        return self._frequency[key]

    def norms(self, field: str) -> list[float]:
        """BM25's length normalisation for each of Whoosh's 256 length codes."""
        if field not in self._norms:
            average = self.average_length(field)
            self._norms[field] = [K1 * (1 - B + B * length / average) for length in LENGTH_OF_CODE]
        return self._norms[field]

    def average_length(self, field: str) -> float:
        """The live documents' lengths of ``field`` (as their length codes stand for them) over N, at least 1."""
        if field not in self._average:
            total = sum(_live_length(segment, field) for segment in self.segments)
            self._average[field] = max(1.0, total / self.documents)
        return self._average[field]


def _live_frequency(segment: Segment, field: str, btext: bytes) -> int:
    frequency = segment.frequency(field, btext)  # deleted documents included
    if not segment.deleted or not frequency:
        return frequency
    return segment.live_count((field, btext), lambda: _count_live(segment, field, btext, frequency))


def _count_live(segment: Segment, field: str, btext: bytes, frequency: int) -> int:
    """How many live documents of the segment have the term: those with it less the deleted ones, which
    are looked up in their word sequences when they are few beside its postings, else found in the
    posting blocks that can hold them (or the postings counted, when they leave deleted documents out)."""
    word = btext.decode("utf-8")
    deleted = segment.deleted
    few = len(deleted) * LOOK_VERSUS_READ < frequency
    if few and isinstance(segment.reader.schema[field], WordsText) and in_sequences(word):
        return frequency - len(segment.words().counts(deleted, packed([word])))
    if segment.reading.hides_deleted:
        return len(segment.term_docs(field, btext))
    return frequency - len(segment.filter_by_term(field, btext, set(deleted)))


def _live_length(segment: Segment, field: str) -> int:
    def total() -> int:
        lengths = _LENGTHS[np.asarray(segment.length_bytes(field), dtype=np.intp)]
        if segment.deleted:
            lengths[np.fromiter(segment.deleted, np.intp, len(segment.deleted))] = 0
        return int(lengths.sum())

    return segment.live_count(field, total)


def scores(leaves: Sequence[wq.Query], segment: Segment, allowed: set[int], statistics: Statistics) -> dict[int, float]:
    """BM25 per local document of ``segment`` for the leaf queries' terms and phrases: every allowed
    document that has any of them (others may be scored too when that is cheaper than leaving them out)."""
    tables = list(_tables(leaves, segment, allowed, statistics, set()))
    if len(tables) <= 1:
        return tables[0] if tables else {}
    if len(allowed) * 2 < sum(map(len, tables)):
        # Common words' tables hold far more posts than an AND of them lets through: add up the allowed only.
        docs = list(allowed)
        each = [map(table.get, docs, repeat(0.0)) for table in tables]  # a word's score per post, 0 without it
        return dict(zip(docs, map(sum, zip(*each, strict=True)), strict=True))
    total = tables[0]
    for table in tables[1:]:
        get = total.get
        for doc, score in table.items():
            total[doc] = get(doc, 0.0) + score
    return total


def _tables(
    leaves: Iterable[wq.Query], segment: Segment, allowed: set[int], statistics: Statistics, seen: set[Any]
) -> Iterator[dict[int, float]]:
    """One table of scores for each distinct term or phrase of the leaves (``seen`` holds those done)."""
    for leaf in leaves:
        if isinstance(leaf, (wq.Or, wq.And)):
            yield from _tables(leaf.subqueries, segment, allowed, statistics, seen)
        elif isinstance(leaf, wq.Phrase) and isinstance(segment.reader.schema[leaf.fieldname], WordsText):
            if (leaf.fieldname, tuple(leaf.words)) not in seen:
                seen.add((leaf.fieldname, tuple(leaf.words)))
                yield _phrase_scores(segment, leaf, statistics, allowed)
        else:
            for field, btext in leaf_terms(leaf, segment, statistics):
                if (field, btext) not in seen and segment.has(field, btext):
                    seen.add((field, btext))
                    yield _term_scores(segment, field, btext, statistics, allowed)


def _phrase_scores(segment: Segment, phrase: wq.Phrase, statistics: Statistics, allowed: set[int]) -> dict[int, float]:
    """BM25 of a phrase as one term, as Lucene scores one: how often the post holds the phrase, weighted
    by the sum of its words' inverse document frequencies."""
    field = phrase.fieldname
    idf = sum(statistics.idf(field, word.encode("utf-8")) for word in phrase.words)
    lengths, norms = segment.length_bytes(field), statistics.norms(field)
    passed = phrase_in_one_pass(phrase, segment, len(allowed))
    if passed is None:  # few posts: count the phrase in those of them that hold it (matching found them)
        candidates = filter_matching(phrase, segment, allowed)
        counts = segment.words().counts(candidates, packed(phrase.words))
        return {doc: idf * tf * (K1 + 1) / (tf + norms[lengths[doc]]) for doc, tf in counts.items()}
    if len(allowed) * 8 < len(passed.docs):  # a few posts among many with the phrase (kept from a search before)
        passed = passed.among(allowed)
    return _scores_of(passed, idf, lengths, norms)


def _scores_of(passed: Occurrences, idf: float, lengths: Sequence[int], norms: list[float]) -> dict[int, float]:
    """BM25 of every post a pass found, from its counts, at C speed (posts not allowed too: cheaper)."""
    tf = passed.counts.astype(np.float64)
    post_norms = np.asarray(norms)[np.asarray(lengths, dtype=np.int64)[passed.docs]]
    values = idf * tf * (K1 + 1) / (tf + post_norms)
    return dict(zip(passed.docs.tolist(), values.tolist(), strict=True))


def _term_scores(
    segment: Segment, field: str, btext: bytes, statistics: Statistics, allowed: set[int]
) -> dict[int, float]:
    idf = statistics.idf(field, btext)
    lengths = segment.length_bytes(field)
    norms = statistics.norms(field)
    once = [idf * (K1 + 1) / (1 + norm) for norm in norms]  # the score of a word that occurs once
    table: dict[int, float] = {}
    frequency = segment.frequency(field, btext)
    in_words = isinstance(segment.reader.schema[field], WordsText) and in_sequences(btext.decode("utf-8"))
    passed = segment.words().kept([term_hash(btext.decode("utf-8"))]) if in_words else None
    if passed is not None:  # a common word, found by a pass over the word column: its counts are there
        if len(allowed) * 8 < len(passed.docs):
            passed = passed.among(allowed)
        return _scores_of(passed, idf, lengths, norms)
    if len(allowed) * LOOK_VERSUS_READ < frequency and in_words:
        # A few posts spread over a common word's blocks: count the word in their word sequences.
        counts = segment.words().counts(allowed, packed([btext.decode("utf-8")]))
        return {doc: idf * tf * (K1 + 1) / (tf + norms[lengths[doc]]) for doc, tf in counts.items()}
    # A common word in a phrase or beside a rare filter: score only the few allowed posts that have it,
    # reading only the posting blocks that can hold them.
    few = len(allowed) * 8 < frequency
    blocks = segment.blocks_holding(field, btext, allowed) if few else segment.blocks(field, btext)
    for ids, weights, _ in blocks:
        if few:
            for i in compress(range(len(ids)), map(allowed.__contains__, ids)):
                tf = 1.0 if weights is None else weights[i]
                table[ids[i]] = idf * tf * (K1 + 1) / (tf + norms[lengths[ids[i]]])
            continue
        # Everything at C speed as if each word occurred once, then the few that occur more often.
        table.update(zip(ids, map(once.__getitem__, map(lengths.__getitem__, ids)), strict=True))
        if weights is not None:
            for i in compress(range(len(ids)), map((1.0).__ne__, weights)):
                tf, doc = weights[i], ids[i]
                table[doc] = idf * tf * (K1 + 1) / (tf + norms[lengths[doc]])
    return table


def top(
    tables: Iterable[tuple[int, set[int], dict[int, float]]], stop: int, above: float | None = None
) -> list[tuple[int, float]]:
    """The best ``stop`` (global document number, score) of the allowed documents, best first; ties go to
    the lower document number, so pages of one query never overlap. Only scores over ``above`` count
    (a later segment's post must beat the best of the segments before it: it would lose a tie)."""
    best: list[tuple[float, int]] = []
    for offset, allowed, table in tables:
        docs = list(allowed)
        values = np.fromiter(map(table.__getitem__, docs), np.float64, len(docs))
        if above is not None:
            over = np.flatnonzero(values > above)
            docs, values = [docs[at] for at in over.tolist()], values[over]
        if len(values) > stop:
            best += [(table[docs[at]], offset + docs[at]) for at in _best_places(values, docs, stop)]
        else:
            best += [(table[doc], offset + doc) for doc in docs]
    best.sort(key=lambda item: (-item[0], item[1]))
    return [(docnum, score) for score, docnum in best[:stop]]


def _best_places(values: npt.NDArray[np.float64], docs: list[int], stop: int) -> list[int]:
    """Where the ``stop`` best scores of ``values`` are, ties to the lower document number: the stop-th best
    score is found by a partial sort at C speed, then the places above it and the fewest tied ones needed
    (short posts with a word once all score alike: thousands may tie)."""
    threshold = np.partition(values, len(values) - stop)[len(values) - stop]
    above = np.flatnonzero(values > threshold).tolist()
    tied = np.flatnonzero(values == threshold).tolist()
    if len(above) + len(tied) > stop:
        tied = sorted(tied, key=docs.__getitem__)[: stop - len(above)]
    return above + tied
