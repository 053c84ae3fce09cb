"""The index's segments as the search reads them: posting lists a block at a time, whole columns, caches.

Whoosh-Reloaded 2.7.5 stores a posting list as pickled blocks of up to 128 postings behind a small
header (the block's last document number), and a numeric column as fixed-width big-endian numbers.
This module reads both directly, which is what makes ``index.docsets`` fast; where a matcher or column
is not of that kind (another Whoosh fork, a posting list inlined in the term dictionary) it falls back
to Whoosh's public, slower, one-posting-at-a-time interface.
"""

from __future__ import annotations

import bisect
import pickle
import re
import struct
import sys
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, compress
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length, length_to_byte

from index.analysis import has_sequence
from index.posting_cache import HOT_DOCS, POSTING_BYTES, PostingCache
from index.schema import FACTS_FIELD, WORDS_FIELD

# (document numbers, term frequencies or None when all are 1, encoded positions or None) of one block
Block = tuple[Sequence[int], Sequence[float] | None, Sequence[bytes] | None]
EXPANSIONS = 20_000  # expanded queries remembered, over all segments
_BLOCK_LENGTH = struct.Struct("!i")  # a posting block's length, negative for a term's last block
_HEADER_MAX = 96  # a posting block's pickled header is some 20 to 40 bytes
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
        self._words: Any = None
        self._frequencies: dict[tuple[str, bytes], int] = {}

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
            self._blocks[key] = list(posting_blocks(matcher, self._positions(field))) if found else []
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
        view = getattr(getattr(matcher, "_postfile", None), "_buf", None)
        if view is None or not hasattr(matcher, "_read_data") or matcher._byteids:
            return list(_blocks_within(matcher, sorted(wanted), decoded, self._positions(field)))
        directory = self._shared.directory(self.reader, field, btext, lambda: _directory(matcher))
        return list(_directed_blocks(view, directory, sorted(wanted), decoded, self._positions(field)))

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
            for block in _posting_blocks(raw_postings(self.reader, field, btext)):
                docs.update(block)
        return docs

    def column(self, field: str) -> Sequence[int]:
        """The whole numeric column ``field`` by local document number (read once per segment)."""
        return self._shared.column(self.reader, field, lambda: _column_values(self.reader, field, self.size))

    def in_order(self, docs: Iterable[int], needle: bytes) -> set[int]:
        """The documents of ``docs`` whose word sequence (``index.analysis.word_sequence``) holds the
        packed hashes ``needle`` at a word boundary: a regular expression over the mapped column, in place."""
        return self.with_any(docs, [needle])

    def with_any(self, docs: Iterable[int], needles: Sequence[bytes]) -> set[int]:
        """The documents of ``docs`` whose word sequence holds one of ``needles`` at a word boundary."""
        words = self._word_column()
        if not words:
            return set()
        view = getattr(getattr(words, "_dbfile", None), "_buf", None)
        if view is None:  # not a memory-mapped segment: read each sequence
            return {doc for doc in docs if any(has_sequence(words[doc], needle) for needle in needles)}
        pattern = re.compile(b"|".join(map(re.escape, needles)), re.DOTALL)
        return _in_order(view, words._basepos, words._offsets, words._lengths, docs, pattern)

    def word_counts(self, docs: Iterable[int], word: bytes) -> dict[int, int]:
        """How often the packed hash of one word occurs in each document of ``docs`` that has it."""
        words = self._word_column()
        if not words:
            return {}
        counts: dict[int, int] = {}
        for doc in docs:
            sequence = bytes(words[doc])
            count = sum(1 for at in range(0, len(sequence), 4) if sequence[at : at + 4] == word)
            if count:
                counts[doc] = count
        return counts

    def _word_column(self) -> Any:
        if self._words is None:
            # A segment whose posts have no text at all has no such column.
            has = self.reader.has_column(WORDS_FIELD)
            self._words = self.reader.column_reader(WORDS_FIELD, translate=False) if has else False
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


def term_ids(segment: Segment, field: str, btext: bytes) -> Iterator[int]:
    """Documents with the term, streamed (for intersecting with a set without building another)."""
    if segment.has(field, btext):
        for block in _posting_blocks(raw_postings(segment.reader, field, btext)):
            yield from block


def raw_postings(reader: Any, field: str, btext: bytes) -> Any:
    """A term's posting matcher including deleted documents: Whoosh hides those one posting at a time,
    which would force the slow path; this module removes them once per query instead."""
    matcher = reader.postings(field, btext)
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


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


def _posting_blocks(matcher: Any) -> Iterator[Iterable[int]]:
    """Document numbers of a posting list, a whole block at a time when the format allows it."""
    if not (hasattr(matcher, "_read_data") and hasattr(matcher, "_next_block") and not matcher._byteids):
        yield matcher.all_ids()
        return
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        yield accumulate(matcher._data[0])  # ids are stored as gaps within each block
        _next_block(matcher)


def posting_blocks(matcher: Any, positions: bool = True) -> Iterator[Block]:
    """A posting list as blocks: document numbers, frequencies (None: all 1) and encoded positions (None
    without ``positions``: a field without them only stores frequencies there again)."""
    if not hasattr(matcher, "_read_data") or matcher._byteids:
        while matcher.is_active():
            yield [matcher.id()], [matcher.weight()], [matcher.value()]
            matcher.next()
        return
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        yield _block(matcher._data, positions)
        _next_block(matcher)


def _blocks_within(matcher: Any, wanted: list[int], decoded: dict[int, Block], positions: bool) -> Iterator[Block]:
    """The blocks that may hold a wanted document, decoded once per search (``decoded`` keeps them)."""
    if not hasattr(matcher, "_read_data") or matcher._byteids:
        yield from posting_blocks(matcher, positions)
        return
    at = 0
    while matcher.is_active() and at < len(wanted):
        if wanted[at] <= matcher._maxid:
            block = decoded.get(matcher._dataoffset)
            if block is None:
                if matcher._data is None:
                    matcher._read_data()
                block = decoded[matcher._dataoffset] = _block(matcher._data, positions)
            yield block
            while at < len(wanted) and wanted[at] <= matcher._maxid:
                at += 1
        _next_block(matcher)


@dataclass(slots=True)
class BlockDirectory:
    """A term's posting blocks in one segment: the last document of each and where its data lies."""

    last: list[int] = field(default_factory=list)
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # data start, end, zlib level (0: none)


def _directory(matcher: Any) -> BlockDirectory:
    """Every block header of a posting list, read once: later searches go straight to the blocks they need."""
    found = BlockDirectory()
    while matcher.is_active():
        found.last.append(matcher._maxid)
        found.spans.append((matcher._dataoffset, matcher._nextoffset, matcher._compression))
        _next_block(matcher)
    return found


def _block(data: tuple[Sequence[int], Any, Any], positions: bool) -> Block:
    """A decoded block (gaps between document numbers, weights, values): document numbers, frequencies, and
    the positions only where the field keeps them (a list of ints iterates faster than a packed array,
    which was measured and left: it saved no peak memory)."""
    gaps, weights, values = data
    ids = list(accumulate(gaps))
    return ids, _weights(weights, len(ids)), values if positions else None


def _directed_blocks(
    view: Any, directory: BlockDirectory, wanted: list[int], decoded: dict[int, Block], positions: bool
) -> Iterator[Block]:
    """The blocks that may hold a wanted document, found in the directory, decoded once per search."""
    last, at = directory.last, 0
    index = bisect.bisect_left(last, wanted[0]) if wanted else len(last)
    while index < len(last):
        start, end, level = directory.spans[index]
        block = decoded.get(start)
        if block is None:
            data = view[start:end]
            block = decoded[start] = _block(pickle.loads(zlib.decompress(data) if level else data), positions)
        yield block
        at = bisect.bisect_right(wanted, last[index], at)
        if at == len(wanted):
            return
        index = bisect.bisect_left(last, wanted[at], index + 1)


def _next_block(matcher: Any) -> None:
    """Move a posting matcher to its next block, reading the block's header straight from the mapped file.

    Whoosh's own ``_next_block`` reads the header (the block's length, then a pickled tuple: postings,
    last document, top weight, compression, shortest and longest length) through a file object, some
    four microseconds a block; the blocks of every word a search reads pass through here.
    """
    view = getattr(matcher._postfile, "_buf", None)
    if view is None or matcher._atend or matcher._lastblock:
        matcher._next_block()
        return
    position = matcher._nextoffset
    length = _BLOCK_LENGTH.unpack_from(view, position)[0]
    info = pickle.loads(view[position + 4 : position + 4 + _HEADER_MAX])  # bytes after the pickle are ignored
    # The header's size: the same tuple pickles to the same bytes again (ints and floats only).
    matcher._dataoffset = position + 4 + len(pickle.dumps(info, 2))
    matcher._nextoffset = position + 4 + abs(length)
    matcher._lastblock = length < 0
    matcher._blocklength, matcher._maxid, matcher._maxweight, matcher._compression = info[:4]
    matcher._minlength, matcher._maxlength = byte_to_length(info[4]), byte_to_length(info[5])
    matcher._data = matcher._ids = matcher._weights = matcher._values = None
    matcher._i = 0


def _weights(weights: Any, count: int) -> Sequence[float] | None:
    if weights is None or weights == 1.0:
        return None
    if isinstance(weights, (int, float)):
        return [float(weights)] * count
    return weights  # type: ignore[no-any-return]


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


def _in_order(
    view: Any,
    base: int,
    offsets: Sequence[int],
    lengths: Sequence[int],
    docs: Iterable[int],
    pattern: re.Pattern[bytes],
) -> set[int]:
    search = pattern.search
    found: set[int] = set()
    for doc in docs:
        start = base + offsets[doc]
        end = start + lengths[doc]
        match = search(view, start, end)
        while match is not None and (match.start() - start) % 4:  # bytes that straddle two words
            match = search(view, match.start() + 1, end)
        if match is not None:
            found.add(doc)
    return found
