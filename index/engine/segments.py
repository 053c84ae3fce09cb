"""The index's segments as a search reads them: postings by term, whole columns, and what searches reuse.

How a segment's bytes are decoded is ``index.whoosh_format``'s business (``SegmentReading``); this module
picks the reading of each segment (the fast one once ``index.engine.format_check`` has found it agrees
with Whoosh's public reader there, else ``index.engine.public_reading``) and keeps what one search and the
searches after it reuse: whole columns, posting sets of facts, the directories of posting blocks,
expanded terms, and the word sequences of phrases.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from itertools import compress
from typing import Any

from index.engine.format_check import fast_reading_agrees
from index.engine.posting_cache import HOT_DOCS, POSTING_BYTES, PostingCache
from index.engine.public_reading import PublicReading
from index.engine.word_sequences import SequenceCache, WordSequences
from index.schema import FACTS_FIELD, WORDS_FIELD
from index.whoosh_format import Block, BlockDirectory, DocIds, FastReading, SegmentReading, segment_id, wq

EXPANSIONS = 20_000  # expanded queries remembered, over all segments
DIRECTORY_BLOCKS = 200_000  # posting block positions kept between searches (some 20 MB)
LIVE_COUNTS = 50_000  # counts over a segment's live documents kept per segment (a word's, a field's length)
# "public": read every segment through Whoosh's public interface, never the fast reading (for diagnosis:
# results are the same, searches slower); anything else: the fast reading where its self-test agrees.
READING_VARIABLE = "THREADCODER_INDEX_READING"


class SegmentCache:
    """What stays valid between searches, by segment (a segment never changes once written; deletions are
    applied after the cache): whole columns, and the posting sets of recently used facts such as
    ``lang:en`` or ``is:repost``, which researchers keep while they refine the words of a query.
    """

    def __init__(self, budget: int = POSTING_BYTES, hot_docs: int = HOT_DOCS, *, fast: bool | None = None) -> None:
        self.fast = os.environ.get(READING_VARIABLE) != "public" if fast is None else fast
        self._agreed: dict[str, bool] = {}  # by segment: whether the fast reading passed its self-test
        self._columns: dict[tuple[str, str], Sequence[int]] = {}
        self._expansions: OrderedDict[tuple[str, Any], list[bytes]] = OrderedDict()
        self.postings = PostingCache(budget, hot_docs)
        self._directories: OrderedDict[tuple[str, str, bytes], BlockDirectory] = OrderedDict()
        self._directory_blocks = 0
        self.sequences = SequenceCache()
        self._live: dict[str, tuple[int, dict[Hashable, int]]] = {}  # by segment: its deletions, the counts

    def reading(self, reader: Any, segment: str) -> SegmentReading:
        """How the segment ``segment`` of ``reader`` is read: fast once its self-test agreed (checked the
        first time the segment is seen), else through Whoosh's public interface. After one disagreement,
        every segment is read the public way: a decoder that misreads one segment is trusted with none,
        and what it read before is forgotten."""
        if self.fast:
            fast = FastReading(reader, lambda field, btext, build: self.directory(segment, field, btext, build))
            agreed = self._agreed.get(segment)
            if agreed is None:
                agreed = self._agreed[segment] = fast_reading_agrees(reader, segment, fast)
            if agreed:
                return fast
            self._distrust_fast_reading()
        return PublicReading(reader)

    def _distrust_fast_reading(self) -> None:
        self.fast = False
        self._columns.clear()
        self._directories.clear()
        self._directory_blocks = 0
        self.postings.forget(lambda _key: True)
        self.sequences = SequenceCache()
        self._live.clear()

    def column(self, segment: str, name: str, read: Callable[[], Sequence[int]]) -> Sequence[int]:
        key = (segment, name)
        if key not in self._columns:
            self._columns[key] = read()
        return self._columns[key]

    def live_count(self, segment: str, deletions: int, what: Hashable, count: Callable[[], int]) -> int:
        """A count over the live documents of ``segment`` (``what``: a term's or a field's length), made
        with ``count`` when not kept. It holds while the segment has ``deletions`` deleted documents: a
        segment never changes once written and its deletions only grow, so their number names them."""
        kept = self._live.get(segment)
        if kept is None or kept[0] != deletions:
            kept = self._live[segment] = (deletions, {})
        counts = kept[1]
        found = counts.get(what)
        if found is None:
            if len(counts) >= LIVE_COUNTS:
                counts.clear()
            found = counts[what] = count()
        return found

    def expansion(self, reader: Any, segment: str, query: Any) -> list[bytes]:
        """The terms a stemmed word, prefix, wildcard or date range stands for in this segment."""
        key = (segment, query)
        found = self._expansions.get(key)
        if found is None:
            found = self._expansions[key] = [btext for _, btext in query.expanded_terms(reader)]
            if len(self._expansions) > EXPANSIONS:
                self._expansions.popitem(last=False)
        return found

    def directory(self, segment: str, field: str, btext: bytes, build: Callable[[], BlockDirectory]) -> BlockDirectory:
        """Where each posting block of a term is and the last document it holds (read once, then kept)."""
        key = (segment, field, btext)
        found = self._directories.get(key)
        if found is not None:
            self._directories.move_to_end(key)
            return found
        found = self._directories[key] = build()
        self._directory_blocks += len(found.last)
        while self._directory_blocks > DIRECTORY_BLOCKS:
            self._directory_blocks -= len(self._directories.popitem(last=False)[1].last)
        return found

    def keep_only(self, segment_ids: set[str]) -> None:
        """Forget segments merged away."""
        for key in [key for key in self._columns if key[0] not in segment_ids]:
            del self._columns[key]
        for expanded in [key for key in self._expansions if key[0] not in segment_ids]:
            del self._expansions[expanded]
        self.postings.forget(lambda key: key[0] not in segment_ids)  # type: ignore[index]
        for directory in [key for key in self._directories if key[0] not in segment_ids]:
            self._directory_blocks -= len(self._directories.pop(directory).last)
        self.sequences.keep_only(segment_ids)
        for segment in [segment for segment in self._agreed if segment not in segment_ids]:
            del self._agreed[segment]
        for segment in [segment for segment in self._live if segment not in segment_ids]:
            del self._live[segment]


class Segment:
    """One segment of the index as seen by one searcher: local document numbers and their offset."""

    def __init__(self, searcher: Any, offset: int, cache: SegmentCache | None = None) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.offset = offset
        self.size: int = self.reader.doc_count_all()
        self.id = segment_id(self.reader)
        self._shared = cache if cache is not None else SegmentCache(budget=0, hot_docs=0)
        self.reading = self._shared.reading(self.reader, self.id)
        self.deleted: frozenset[int] = self.reading.deleted() if self.reader.has_deletions() else frozenset()
        self._cache: dict[wq.Query, set[int]] = {}
        self._blocks: dict[tuple[str, bytes], list[Block]] = {}
        self._decoded: dict[tuple[str, bytes], dict[int, Block]] = {}  # by block, for blocks_holding
        self._words: WordSequences | None = None
        self._frequencies: dict[tuple[str, bytes], int] = {}

    def let_go(self) -> None:
        """Forget what this search kept for the segment (its parts' sets, decoded posting blocks, term
        frequencies): the search is done with it. What later searches reuse stays in the shared cache."""
        self._cache.clear()
        self._blocks.clear()
        self._decoded.clear()
        self._frequencies.clear()
        self._words = None

    def everything(self) -> set[int]:
        docs = set(range(self.size))
        return docs - self.deleted if self.deleted else docs

    def term_docs(self, field: str, btext: bytes) -> set[int]:
        """Documents with the term (deleted ones may be included: callers remove them once, at the end)."""
        if field != FACTS_FIELD:
            docs: set[int] = set()
            for ids, _, _ in self.blocks(field, btext):
                docs.update(ids)
            return docs
        return self._shared.postings.docs((self.id, field, btext), self.size, lambda: self._read_postings(field, btext))

    def blocks(self, field: str, btext: bytes) -> list[Block]:
        """A term's postings block by block, decoded once per search: matching, phrases and scoring all
        need the words' postings, and decoding them is most of the cost of a search."""
        key = (field, btext)
        if key not in self._blocks:
            self._blocks[key] = list(self.reading.blocks(field, btext)) if self.has(field, btext) else []
        return self._blocks[key]

    def blocks_holding(self, field: str, btext: bytes, wanted: set[int]) -> list[Block]:
        """The blocks of a term's postings that can hold one of the documents ``wanted`` (they hold other
        documents too: callers pick theirs); the others are skipped undecoded. Cheap when ``wanted`` is small."""
        key = (field, btext)
        if key in self._blocks:
            return self._blocks[key]
        if not self.has(field, btext):
            return []
        decoded = self._decoded.setdefault(key, {})
        return list(self.reading.blocks_holding(field, btext, sorted(wanted), decoded))

    def filter_by_kept_fact(self, field: str, btext: bytes, wanted: set[int]) -> set[int] | None:
        """Exactly the documents of ``wanted`` that have the fact, when its posting list is kept between
        searches; None when it is not (nothing is read then)."""
        if field != FACTS_FIELD:
            return None
        return self._shared.postings.filter_kept((self.id, field, btext), wanted)

    def filter_by_term(self, field: str, btext: bytes, wanted: set[int]) -> set[int]:
        """Exactly the documents of ``wanted`` that have the term (a fact is read whole and kept)."""
        if field == FACTS_FIELD:
            kept = self.filter_by_kept_fact(field, btext, wanted)
            # Facts (is:repost, lang:en) come back in the next searches: read one whole once, and keep it.
            return kept if kept is not None else self.term_docs(field, btext) & wanted
        found: set[int] = set()
        for ids, _, _ in self.blocks_holding(field, btext, wanted):
            found.update(compress(ids, map(wanted.__contains__, ids)))
        return found

    def doc_id_arrays(self, field: str, btext: bytes) -> list[DocIds]:
        """A term's document numbers as arrays, read afresh (for counting them under a mask)."""
        return list(self.reading.doc_id_arrays(field, btext)) if self.has(field, btext) else []

    def expand(self, query: Any) -> list[bytes]:
        """The index terms of a stemmed word, prefix, wildcard or date range in this segment (cached)."""
        return self._shared.expansion(self.reader, self.id, query)

    def has(self, field: str, btext: bytes) -> bool:
        """Whether any document of this segment has the term (deleted ones included)."""
        return self.frequency(field, btext) > 0

    def frequency(self, field: str, btext: bytes) -> int:
        """How many documents of this segment have the term (deleted ones included; asked often in a
        search, and each answer is a lookup in the term index: kept for the search)."""
        key = (field, btext)
        found = self._frequencies.get(key)
        if found is None:
            found = self._frequencies[key] = int(self.reader.doc_frequency(field, btext))
        return found

    def live_count(self, what: Hashable, count: Callable[[], int]) -> int:
        """A count over this segment's live documents, made with ``count`` unless kept from a search
        before, with the same deletions (see ``SegmentCache.live_count``)."""
        return self._shared.live_count(self.id, len(self.deleted), what, count)

    def _read_postings(self, field: str, btext: bytes) -> set[int]:
        docs: set[int] = set()
        for ids in self.doc_id_arrays(field, btext):
            docs.update(ids.tolist())
        return docs

    def column(self, field: str) -> Sequence[int]:
        """The whole numeric column ``field`` by local document number (read once per segment)."""
        return self._shared.column(self.id, field, lambda: self.reading.numeric_column(field))

    def words(self) -> WordSequences:
        """Each post's words in order, as hashes (the text field's column), for phrases and word look-ups."""
        if self._words is None:
            self._words = WordSequences(self.reading.word_column(WORDS_FIELD), self.id, self._shared.sequences)
        return self._words

    def length_bytes(self, field: str) -> Sequence[int]:
        """Each document's length of ``field`` as Whoosh's one-byte code (``LENGTH_OF_CODE`` decodes it)."""
        return self._shared.column(self.id, f"length of {field}", lambda: self.reading.length_codes(field))

    def cached(self, query: wq.Query) -> set[int] | None:
        return self._cache.get(query)

    def remember(self, query: wq.Query, docs: set[int]) -> set[int]:
        """Keep a leaf query's documents for the rest of this search (the same words often come twice)."""
        self._cache[query] = docs
        return docs


def segments(searcher: Any, cache: SegmentCache | None = None) -> list[Segment]:
    """The searcher's segments (none for an empty index)."""
    if searcher.doc_count_all() == 0:
        return []
    found = [Segment(sub, offset, cache) for sub, offset in searcher.leaf_searchers()]
    if cache is not None and not cache.fast and any(segment.reading.kind == "fast" for segment in found):
        # A segment's self-test failed after others had passed: read them all the public way, as the
        # searches after this one will, so that one search never mixes the two readings.
        found = [Segment(sub, offset, cache) for sub, offset in searcher.leaf_searchers()]
    if cache is not None:
        cache.keep_only({segment.id for segment in found})
    return found
