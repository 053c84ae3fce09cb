"""The index's segments as the search reads them: posting lists a block at a time, whole columns, caches.

Posting blocks are read by ``index.engine.posting_blocks`` and word sequences by ``index.engine.word_sequences``; this
module keeps what one search and the searches after it reuse. Whoosh-Reloaded 2.7.5 stores a numeric
column as fixed-width big-endian numbers, read here whole; where a column is not of that kind (another
Whoosh fork) Whoosh's public, slower interface is used.
"""

from __future__ import annotations

import sys
from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from itertools import compress
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.searching import Searcher
from whoosh.util.numeric import length_to_byte

from index.engine.posting_blocks import (
    Block,
    BlockDirectory,
    blocks_within,
    directed_blocks,
    id_arrays,
    mapped_view,
    posting_blocks,
    raw_postings,
    read_directory,
)
from index.engine.posting_cache import HOT_DOCS, POSTING_BYTES, PostingCache
from index.engine.word_sequences import SequenceCache, WordSequences
from index.schema import FACTS_FIELD

EXPANSIONS = 20_000  # expanded queries remembered, over all segments
DIRECTORY_BLOCKS = 200_000  # posting block positions kept between searches (some 20 MB)


class SegmentCache:
    """What stays valid between searches, by segment (a segment never changes once written; deletions are
    applied after the cache): whole columns, and the posting sets of recently used facts such as
    ``lang:en`` or ``is:repost``, which researchers keep while they refine the words of a query.
    """

    def __init__(self, budget: int = POSTING_BYTES, hot_docs: int = HOT_DOCS) -> None:
        self._columns: dict[tuple[str, str], Sequence[int]] = {}
        self._expansions: OrderedDict[tuple[str, Any], list[bytes]] = OrderedDict()
        self.postings = PostingCache(budget, hot_docs)
        self._directories: OrderedDict[tuple[str, str, bytes], BlockDirectory] = OrderedDict()
        self._directory_blocks = 0
        self.sequences = SequenceCache()

    def column(self, reader: Any, name: str, read: Callable[[], Sequence[int]]) -> Sequence[int]:
        key = (reader.segment().segment_id(), name)
        if key not in self._columns:
            self._columns[key] = read()
        return self._columns[key]

    def expansion(self, reader: Any, query: Any) -> list[bytes]:
        """The terms a stemmed word, prefix, wildcard or date range stands for in this segment."""
        key = (reader.segment().segment_id(), query)
        found = self._expansions.get(key)
        if found is None:
            found = self._expansions[key] = list(query._btexts(reader))
            if len(self._expansions) > EXPANSIONS:
                self._expansions.popitem(last=False)
        return found

    def directory(self, reader: Any, field: str, btext: bytes, build: Callable[[], BlockDirectory]) -> BlockDirectory:
        """Where each posting block of a term is and the last document it holds (read once, then kept)."""
        key = (reader.segment().segment_id(), field, btext)
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


class Segment:
    """One segment of the index as seen by one searcher: local document numbers and their offset."""

    def __init__(self, searcher: Searcher, offset: int, cache: SegmentCache | None = None) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.offset = offset
        self.size: int = self.reader.doc_count_all()
        self.deleted: frozenset[int] = _deleted(self.reader, self.size) if self.reader.has_deletions() else frozenset()
        self._shared = cache if cache is not None else SegmentCache(budget=0, hot_docs=0)
        self._cache: dict[wq.Query, set[int]] = {}
        self._blocks: dict[tuple[str, bytes], list[Block]] = {}
        self._decoded: dict[tuple[str, bytes], dict[int, Block]] = {}  # by block offset, for blocks_within
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
        """Documents with the term (deleted ones included: callers remove them once, at the end)."""
        if field != FACTS_FIELD:
            docs: set[int] = set()
            for ids, _, _ in self.blocks(field, btext):
                docs.update(ids)
            return docs
        key = (self.reader.segment().segment_id(), field, btext)
        return self._shared.postings.docs(key, self.size, lambda: self._read_postings(field, btext))

    def blocks(self, field: str, btext: bytes) -> list[Block]:
        """A term's postings block by block, decoded once per search: matching, phrases and scoring all
        need the words' postings, and decoding them is most of the cost of a search."""
        key = (field, btext)
        if key not in self._blocks:
            found = self.has(field, btext)
            matcher = raw_postings(self.reader, field, btext) if found else None
            self._blocks[key] = [] if matcher is None else list(posting_blocks(matcher, self._positions(field)))
        return self._blocks[key]

    def blocks_within(self, field: str, btext: bytes, wanted: set[int]) -> list[Block]:
        """Only the blocks of a term's postings that can hold one of the documents ``wanted``: the
        others are skipped on their header, undecoded. Cheap when ``wanted`` is small."""
        key = (field, btext)
        if key in self._blocks:
            return self._blocks[key]
        if not self.has(field, btext):
            return []
        decoded = self._decoded.setdefault(key, {})
        matcher = raw_postings(self.reader, field, btext)
        view = mapped_view(matcher)
        if view is None:
            return list(blocks_within(matcher, sorted(wanted), decoded, self._positions(field)))
        directory = self._shared.directory(self.reader, field, btext, lambda: read_directory(matcher))
        return list(directed_blocks(view, directory, sorted(wanted), decoded, self._positions(field)))

    def _positions(self, field: str) -> bool:
        return bool(self.reader.schema[field].format.supports("positions"))

    def kept_within(self, field: str, btext: bytes, wanted: set[int]) -> set[int] | None:
        """The documents of ``wanted`` that have a fact whose posting list is kept; None when it is not."""
        if field != FACTS_FIELD:
            return None
        return self._shared.postings.within((self.reader.segment().segment_id(), field, btext), wanted)

    def term_docs_within(self, field: str, btext: bytes, wanted: set[int]) -> set[int]:
        """The documents of ``wanted`` that have the term."""
        if field == FACTS_FIELD:
            kept = self.kept_within(field, btext, wanted)
            # Facts (is:repost, lang:en) come back in the next searches: read one whole once, and keep it.
            return kept if kept is not None else self.term_docs(field, btext) & wanted
        found: set[int] = set()
        for ids, _, _ in self.blocks_within(field, btext, wanted):
            found.update(compress(ids, map(wanted.__contains__, ids)))
        return found

    def expand(self, query: Any) -> list[bytes]:
        """The index terms of a stemmed word, prefix, wildcard or date range in this segment (cached)."""
        return self._shared.expansion(self.reader, query)

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

    def _read_postings(self, field: str, btext: bytes) -> set[int]:
        docs: set[int] = set()
        if self.has(field, btext):
            for ids in id_arrays(raw_postings(self.reader, field, btext)):
                docs.update(ids.tolist())
        return docs

    def column(self, field: str) -> Sequence[int]:
        """The whole numeric column ``field`` by local document number (read once per segment)."""
        return self._shared.column(self.reader, field, lambda: _column_values(self.reader, field, self.size))

    def words(self) -> WordSequences:
        """Each post's words in order, as hashes (the text field's column), for phrases and word look-ups."""
        if self._words is None:
            self._words = WordSequences(self.reader, self._shared.sequences)
        return self._words

    def length_bytes(self, field: str) -> Sequence[int]:
        """Each document's length of ``field`` as Whoosh's one-byte code (``byte_to_length`` decodes it)."""
        return self._shared.column(
            self.reader, f"length of {field}", lambda: _length_bytes(self.reader, field, self.size)
        )

    def cached(self, query: wq.Query) -> set[int] | None:
        return self._cache.get(query)

    def remember(self, query: wq.Query, docs: set[int]) -> set[int]:
        """Keep a leaf query's documents for the rest of this search (the same words often come twice)."""
        self._cache[query] = docs
        return docs


def _deleted(reader: Any, size: int) -> frozenset[int]:
    found = getattr(reader, "deleted_docs_set", None)
    if isinstance(found, frozenset):
        return found
    return frozenset(doc for doc in range(size) if reader.is_deleted(doc))


def segments(searcher: Searcher, cache: SegmentCache | None = None) -> list[Segment]:
    """The searcher's segments (none for an empty index)."""
    if searcher.doc_count_all() == 0:
        return []
    found = [Segment(sub, offset, cache) for sub, offset in searcher.leaf_searchers()]
    if cache is not None:
        cache.keep_only({segment.reader.segment().segment_id() for segment in found})
    return found


def _column_values(reader: Any, field: str, size: int) -> Sequence[int]:
    if not reader.has_column(field):
        return [0] * size
    return _read_whole(reader.column_reader(field, translate=False), size)


def _length_bytes(reader: Any, field: str, size: int) -> Sequence[int]:
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        column = perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
        return _read_whole(column, size) if column is not None else [0] * size
    return [length_to_byte(reader.doc_field_length(doc, field)) for doc in range(size)]


def _read_whole(column: Any, size: int) -> Sequence[int]:
    """A fixed-width numeric column as one array, straight from its bytes."""
    typecode = getattr(column, "_typecode", None)
    inner = getattr(column, "_dbfile", None)
    if inner is None or typecode not in ("B", "i", "q") or array(typecode).itemsize != column._fixedlen:
        return [column[docnum] for docnum in range(size)]
    count = min(column._count, size)
    values = array(typecode, inner.get(column._basepos, count * column._fixedlen))
    if sys.byteorder == "little":
        values.byteswap()  # Whoosh writes columns big-endian
    values.extend([column._default] * (size - count))
    return values
