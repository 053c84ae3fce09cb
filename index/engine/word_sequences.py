"""Each post's words in order, as the text field's column of packed hashes, searched in place.

A phrase's word order, and the few posts of a query that a common word's posting blocks would spread
over, are checked here, in one of two ways. For a few candidate posts: one regular-expression search per
post over the memory-mapped column, a match counted only at a word boundary (4 bytes). For a phrase whose
words are in many posts: one pass over the whole segment's column with numpy for the phrase's rarest
word, whose neighbours are then compared where it occurs; a pass costs about as much as checking a few
hundred posts one by one, whatever the words. A word in a fifth of the posts or more is found by such a
pass too, with how often each post has it. What passes find is kept for the search and the next page
(``SequenceCache``). ``index.analysis.word_sequence`` writes what this reads.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.whoosh_format import WordColumn

# Checking one candidate post (with reading its word's posting) costs about as much as scanning this many
# words of a column (measured on 1M posts: 0.4 ns a word scanned, about 1 µs a post checked).
WORDS_PER_CHECK = 2_500
# A phrase whose rarest word is in more than this share of the posts is looked for by word pairs: listing
# that word's places would cost more (measured on 1M posts: "to the" 48 ms by pairs, 80 ms from the places
# of "to", in 64% of posts; "the women" 25 ms from the places of "women", in 14%).
PAIRS_ABOVE = 0.2
KEPT_BYTES = 16 * 1024 * 1024  # phrase occurrences kept between searches, over all segments (paging)

Docs = npt.NDArray[np.int64]
Ends = npt.NDArray[np.int32]
Numbers = npt.NDArray[np.int32]
Counts = npt.NDArray[np.uint16]


@dataclass(frozen=True, slots=True)
class Occurrences:
    """The documents of one segment that hold a sequence of words (ascending) and how often each does
    (32 and 16 bits: they are kept between searches)."""

    docs: Numbers
    counts: Counts

    def as_set(self) -> set[int]:
        return set(self.docs.tolist())

    def among(self, docs: Collection[int]) -> Occurrences:
        """Only the occurrences in ``docs``: looked up one by one when they are few, else matched whole."""
        wanted = np.fromiter(docs, np.int64, len(docs))
        if len(wanted) * 8 < len(self.docs):
            at = np.searchsorted(self.docs, wanted)
            inside = at < len(self.docs)
            at, wanted = at[inside], wanted[inside]
            at = np.sort(at[self.docs[at] == wanted])
        else:
            at = np.flatnonzero(np.isin(self.docs, wanted))
        return Occurrences(self.docs[at], self.counts[at])

    @property
    def nbytes(self) -> int:
        return int(self.docs.nbytes + self.counts.nbytes)


class SequenceCache:
    """What stays valid between searches for the word columns, by segment: where each post's words end,
    and the occurrences of the last phrases searched (page two of a search asks for them again)."""

    def __init__(self) -> None:
        self._ends: dict[str, Ends] = {}
        self._found: OrderedDict[tuple[str, tuple[int, ...]], Occurrences] = OrderedDict()
        self._found_bytes = 0

    def ends(self, segment_id: str, column: WordColumn) -> Ends:
        found = self._ends.get(segment_id)
        if found is None:
            found = self._ends[segment_id] = column.word_ends()
        return found

    def occurrences(self, key: tuple[str, tuple[int, ...]]) -> Occurrences | None:
        found = self._found.get(key)
        if found is not None:
            self._found.move_to_end(key)
        return found

    def keep(self, key: tuple[str, tuple[int, ...]], found: Occurrences) -> None:
        """Keep ``found``; the least recently used go first when they hold more than ``KEPT_BYTES``."""
        old = self._found.pop(key, None)
        self._found_bytes += found.nbytes - (old.nbytes if old is not None else 0)
        self._found[key] = found
        while self._found_bytes > KEPT_BYTES and len(self._found) > 1:
            self._found_bytes -= self._found.popitem(last=False)[1].nbytes

    def forget_phrases(self) -> None:
        """Forget the occurrences kept (benchmarks time a phrase searched afresh)."""
        self._found.clear()
        self._found_bytes = 0

    def keep_only(self, segment_ids: set[str]) -> None:
        """Forget segments merged away."""
        for segment_id in [key for key in self._ends if key not in segment_ids]:
            del self._ends[segment_id]
        for key in [key for key in self._found if key[0] not in segment_ids]:
            self._found_bytes -= self._found.pop(key).nbytes


class WordSequences:
    """One segment's word sequences (empty when no post of the segment has text: there is no column)."""

    def __init__(self, column: WordColumn | None, segment_id: str, cache: SequenceCache | None = None) -> None:
        self._column = column
        self._segment_id = segment_id
        self._cache = cache if cache is not None else SequenceCache()

    @property
    def word_count(self) -> int:
        """How many words the segment's posts hold in all (what a pass over the column reads)."""
        if self._column is None:
            return 0
        ends = self._ends()
        return int(ends[-1]) if len(ends) else 0

    def pays_to_pass(self, checks: int) -> bool:
        """Whether one pass over the whole column costs less than checking ``checks`` posts one by one."""
        return checks * WORDS_PER_CHECK > self.word_count

    def with_any(self, docs: Iterable[int], needles: Sequence[bytes]) -> set[int]:
        """The documents of ``docs`` whose sequence holds one of ``needles`` (packed hashes of one or more
        words side by side, ``index.analysis.packed``) at a word boundary."""
        if self._column is None:
            return set()
        return self._column.docs_holding(docs, re.compile(b"|".join(map(re.escape, needles)), re.DOTALL))

    def counts(self, docs: Iterable[int], needle: bytes) -> dict[int, int]:
        """How often ``needle`` (packed hashes of one or more words) occurs at a word boundary in each
        document of ``docs`` that has it."""
        if self._column is None:
            return {}
        found: dict[int, int] = {}
        for doc in docs:
            count = _aligned_count(self._column.sequence(doc), needle)
            if count:
                found[doc] = count
        return found

    def kept(self, hashes: Sequence[int]) -> Occurrences | None:
        """The occurrences of the word hashes ``hashes`` side by side when a recent pass found them."""
        return self._cache.occurrences((self._segment_id, tuple(hashes)))

    def occurrences(self, hashes: Sequence[int], rarest: int, share: float) -> Occurrences:
        """Every document of the segment holding the word hashes ``hashes`` side by side, and how often:
        one pass over the column for ``hashes[rarest]``, the rarest word, which is in ``share`` of the
        posts (for a common one, for it and a neighbour at once), then the other words compared."""
        planned = self.plan_pass(hashes, rarest, share)
        if planned is not None:
            return self.keep(planned, planned.run())[0]
        kept = self.kept(hashes)
        return kept if kept is not None else Occurrences(np.empty(0, np.int32), np.empty(0, np.uint16))

    def word_occurrences(self, hashes: Sequence[int]) -> list[Occurrences]:
        """The occurrences of each word hash of ``hashes`` on its own (a word's forms), all found in one
        pass over the column: for words in so many posts that reading their postings costs more."""
        found = {word: kept for word in hashes if (kept := self.kept([word])) is not None}
        planned = self.plan_words(hashes)
        if planned is not None:  # answered from what it found, not from the cache (which may drop some)
            found.update(zip(planned.hashes, self.keep(planned, planned.run()), strict=True))
        empty = Occurrences(np.empty(0, np.int32), np.empty(0, np.uint16))
        return [found.get(word, empty) for word in hashes]

    def plan_pass(self, hashes: Sequence[int], rarest: int, share: float) -> PlannedPass | None:
        """What ``occurrences`` would compute, ready to run on another thread (numpy lets go of the
        interpreter while it compares); None when there is nothing to compute (kept, or no column)."""
        if self._column is None or not hashes or self.kept(hashes) is not None:
            return None
        by_pairs = len(hashes) > 1 and share > PAIRS_ABOVE
        return PlannedPass(tuple(hashes), rarest, by_pairs, False, self._words(), self._ends())

    def plan_words(self, hashes: Sequence[int]) -> PlannedPass | None:
        """What ``word_occurrences`` would compute for the words not kept yet (None: all are, or no column)."""
        missing = tuple(dict.fromkeys(word for word in hashes if self.kept([word]) is None))
        if self._column is None or not missing:
            return None
        return PlannedPass(missing, 0, False, True, self._words(), self._ends())

    def keep(self, planned: PlannedPass, found: list[Occurrences]) -> list[Occurrences]:
        """Keep what a planned pass found, for the rest of the search and the next page."""
        for key, occurring in zip(planned.keys, found, strict=True):
            self._cache.keep((self._segment_id, key), occurring)
        return found

    def _ends(self) -> Ends:
        """Where each document's words end in the column, counted in words."""
        assert self._column is not None
        return self._cache.ends(self._segment_id, self._column)

    def _words(self) -> npt.NDArray[np.uint32]:
        """The whole column as one array of word hashes: the mapped bytes themselves where the segment is
        memory-mapped (a copy otherwise). Made for one call and dropped with it: a live view would keep
        the index file from closing."""
        assert self._column is not None
        return self._column.all_words(self.word_count)


@dataclass(frozen=True, slots=True)
class PlannedPass:
    """One pass over one segment's word column: for a sequence of word hashes (``occurrences``), or for
    each of some word hashes on its own (``each_word``: ``word_occurrences``)."""

    hashes: tuple[int, ...]
    rarest: int
    by_pairs: bool
    each_word: bool
    words: npt.NDArray[np.uint32]
    ends: Ends

    @property
    def keys(self) -> list[tuple[int, ...]]:
        """What each of ``run``'s answers is the occurrences of."""
        return [(word,) for word in self.hashes] if self.each_word else [self.hashes]

    def run(self) -> list[Occurrences]:
        if self.each_word:
            return _word_occurrences(self.words, self.ends, self.hashes)
        return [_occurrences(self.words, self.ends, self.hashes, self.rarest, self.by_pairs)]


def _word_occurrences(words: npt.NDArray[np.uint32], ends: Ends, hashes: Sequence[int]) -> list[Occurrences]:
    if len(hashes) == 1:
        return [_counted(np.searchsorted(ends, _places(words, hashes[0]), side="right"))]
    places = np.flatnonzero(np.isin(words, np.asarray(hashes, dtype=np.uint32)))
    found = words[places]
    return [_counted(np.searchsorted(ends, places[found == np.uint32(word)], side="right")) for word in hashes]


def _counted(docs: Docs) -> Occurrences:
    """Occurrences from the document of each place, ascending (a document's places are together)."""
    if not len(docs):
        return Occurrences(docs.astype(np.int32), docs.astype(np.uint16))
    first_of_doc = np.concatenate(([True], docs[1:] != docs[:-1]))
    where = np.flatnonzero(first_of_doc)
    counts = np.minimum(np.diff(np.append(where, len(docs))), 65_535)  # BM25 saturates long before
    return Occurrences(docs[where].astype(np.int32), counts.astype(np.uint16))


def _occurrences(
    words: npt.NDArray[np.uint32], ends: Ends, hashes: Sequence[int], rarest: int, by_pairs: bool
) -> Occurrences:
    width = len(hashes)
    first = min(rarest, width - 2) if by_pairs else rarest
    starts = _pair_places(words, hashes[first], hashes[first + 1]) if by_pairs else _places(words, hashes[first])
    starts -= first
    starts = starts[(starts >= 0) & (starts <= len(words) - width)]
    for at, word in enumerate(hashes):
        if len(starts) and at != first and not (by_pairs and at == first + 1):
            starts = starts[words[starts + at] == np.uint32(word)]
    docs = np.searchsorted(ends, starts, side="right")
    return _counted(docs[starts + width <= ends[docs]])  # not the end of one post and the start of the next


def _places(words: npt.NDArray[np.uint32], word: int) -> Docs:
    return np.flatnonzero(words == np.uint32(word))


def _pair_places(words: npt.NDArray[np.uint32], word: int, following: int) -> Docs:
    """Where ``word`` is followed by ``following``: the column compared two words at a time, at even then
    at odd places (cheaper than listing the places of a word that is everywhere, then its neighbours)."""
    pair = np.uint64(word | (following << 32))  # little-endian: the first word is the low half
    even = words[: len(words) // 2 * 2].view("<u8")
    odd = words[1 : 1 + (len(words) - 1) // 2 * 2].view("<u8")
    found = np.concatenate((np.flatnonzero(even == pair) * 2, np.flatnonzero(odd == pair) * 2 + 1))
    found.sort()
    return found


def _aligned_count(sequence: bytes, needle: bytes) -> int:
    count, at = 0, sequence.find(needle)
    while at >= 0:
        if at % 4 == 0:
            count += 1  # overlapping ones too ("the the" twice in "the the the"), as in a pass
            at = sequence.find(needle, at + 4)
        else:
            at = sequence.find(needle, at + 1)
    return count
