"""Whoosh-Reloaded 2.7.5's private insides, as the search engine reads them: the one module that may touch them.

The engine (``index.engine``) reads postings and columns a block or a segment at a time, faster than Whoosh's
public interface hands them over, by decoding Whoosh's files itself: posting blocks (a length, a pickled
header, a pickle of gaps, weights and values, maybe zlib-compressed), fixed-width numeric columns, the
column of the text's word hashes, the one-byte length codes. It also patches Whoosh's ``BufferFile`` to read
segment files in place. All of that rests on private names and layouts that another Whoosh may change, so
it is all here, behind a small typed interface (``SegmentReading``, ``WordColumn``), and nowhere else in
``index/`` (checked by ``tests/index/test_whoosh_walls.py`` and an import-linter contract). Whether to trust
it is decided elsewhere: ``index.engine.format_check`` compares it with Whoosh's public reader on each
segment opened, and falls back to that reader (``index.engine.public_reading``) when they disagree.
"""

from __future__ import annotations

import bisect
import pickle
import re
import struct
import sys
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.filedb import structfile
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import SegmentReader
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte

from index.analysis import matches_at_term
from index.mapped_files import MappedFile

__all__ = [  # the interface; ``wq``: Whoosh's public query classes, for the engine, which imports no Whoosh
    "LENGTH_OF_CODE",
    "Block",
    "BlockDirectory",
    "DirectoryKeeper",
    "DocIds",
    "Ends",
    "FastReading",
    "LexiconTerms",
    "SegmentReading",
    "WordColumn",
    "Words",
    "frequency_bytes",
    "indexed_document_count",
    "length_code",
    "merge_segments_into",
    "read_segments_in_place",
    "segment_id",
    "wq",
]

# (document numbers, term frequencies or None when all are 1, encoded positions or None) of one posting block
Block = tuple[Sequence[int], Sequence[float] | None, Sequence[bytes] | None]
DocIds = npt.NDArray[np.int64]
Ends = npt.NDArray[np.int32]
Words = npt.NDArray[np.uint32]
_BLOCK_LENGTH = struct.Struct("!i")  # a posting block's length, negative for a term's last block
_HEADER_MAX = 96  # a posting block's pickled header is some 20 to 40 bytes
# What each of Whoosh's 256 one-byte length codes stands for (a field's length in a document, rounded).
LENGTH_OF_CODE: tuple[int, ...] = tuple(byte_to_length(code) for code in range(256))


@dataclass(slots=True)
class BlockDirectory:
    """A term's posting blocks in one segment: the last document of each and where its data lies."""

    last: list[int] = field(default_factory=list)
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # data start, end, zlib level (0: none)


# Keeps block directories between searches: (field, term, how to read it when not kept) -> the directory.
DirectoryKeeper = Callable[[str, bytes, Callable[[], BlockDirectory]], BlockDirectory]


class WordColumn(Protocol):
    """One segment's column of word hashes: each document's terms in order, 4 bytes each (little-endian)."""

    def sequence(self, doc: int) -> bytes: ...  # the packed hashes of one document

    def word_ends(self) -> Ends: ...  # where each document's words end in the column, counted in words

    def all_words(self, count: int) -> Words:
        """The first ``count`` words of the column as one array. Made for one call and dropped with it: a
        live view of a memory map would keep the index file from closing."""
        ...

    def docs_holding(self, docs: Iterable[int], pattern: re.Pattern[bytes]) -> set[int]:
        """The documents of ``docs`` whose sequence matches ``pattern`` at a term boundary."""
        ...


class SegmentReading(Protocol):
    """How the engine reads one segment's postings and columns. Document numbers are local to the segment;
    posting lists may include deleted documents (the engine removes those once, at the end)."""

    kind: str  # "fast": decoded here; "public": through Whoosh's public reader
    hides_deleted: bool  # whether posting lists leave deleted documents out (then they are the live ones)

    def deleted(self) -> frozenset[int]: ...

    def doc_id_arrays(self, field: str, btext: bytes) -> Iterator[DocIds]: ...  # ascending, in one or more arrays

    def blocks(self, field: str, btext: bytes) -> Iterator[Block]: ...  # positions only where the field keeps them

    def blocks_holding(self, field: str, btext: bytes, wanted: list[int], decoded: dict[int, Block]) -> Iterator[Block]:
        """The blocks of a term's postings that may hold one of ``wanted`` (ascending), skipping the others
        where that is cheap; ``decoded`` keeps decoded blocks for the rest of the search."""
        ...

    def numeric_column(self, field: str) -> Sequence[int]: ...  # every document's value (the default without a column)

    def length_codes(self, field: str) -> Sequence[int]: ...  # one-byte codes, decoded by ``LENGTH_OF_CODE``

    def word_column(self, field: str) -> WordColumn | None: ...  # None when no document of the segment has one


class FastReading:
    """One segment read by decoding Whoosh-Reloaded 2.7.5's structures straight from its mapped files. A
    posting list or column not laid out that way (inlined in the term dictionary, a segment not
    memory-mapped) is read through Whoosh's own objects instead, still with the same results."""

    kind = "fast"
    hides_deleted = False

    def __init__(self, reader: Any, directories: DirectoryKeeper | None = None) -> None:
        self._reader = reader
        self._directories: DirectoryKeeper = directories or (lambda _field, _btext, build: build())

    def deleted(self) -> frozenset[int]:
        found = getattr(self._reader, "deleted_docs_set", None)  # SegmentReader's, kept by the reader
        if isinstance(found, frozenset):
            return found
        is_deleted = self._reader.is_deleted
        return frozenset(doc for doc in range(self._reader.doc_count_all()) if is_deleted(doc))

    def doc_id_arrays(self, field: str, btext: bytes) -> Iterator[DocIds]:
        matcher = _raw_postings(self._reader, field, btext)
        if not _in_blocks(matcher):
            yield np.fromiter(matcher.all_ids(), np.int64)
            return
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            yield np.cumsum(np.asarray(matcher._data[0], dtype=np.int64))  # gaps within each block
            _next_block(matcher)

    def blocks(self, field: str, btext: bytes) -> Iterator[Block]:
        positions = _keeps_positions(self._reader, field)
        matcher = _raw_postings(self._reader, field, btext)
        if not _in_blocks(matcher):
            yield from _one_at_a_time(matcher, positions)
            return
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            yield _decode_block(matcher._data, positions)
            _next_block(matcher)

    def blocks_holding(self, field: str, btext: bytes, wanted: list[int], decoded: dict[int, Block]) -> Iterator[Block]:
        positions = _keeps_positions(self._reader, field)
        matcher = _raw_postings(self._reader, field, btext)
        if not _in_blocks(matcher):
            yield from _one_at_a_time(matcher, positions)
            return
        view = getattr(matcher._postfile, "_buf", None)
        if view is None:
            yield from _skipping_blocks(matcher, wanted, decoded, positions)
            return
        directory = self._directories(field, btext, lambda: _read_directory(matcher))
        yield from _directed_blocks(view, directory, wanted, decoded, positions)

    def numeric_column(self, field: str) -> Sequence[int]:
        size = self._reader.doc_count_all()
        if not self._reader.has_column(field):  # no document of the segment had a value: all the default
            return [self._reader.schema[field].column_type.default_value()] * size
        return _read_whole(self._reader.column_reader(field, translate=False), size)

    def length_codes(self, field: str) -> Sequence[int]:
        size = self._reader.doc_count_all()
        perdoc = getattr(self._reader, "_perdoc", None)
        if perdoc is not None and hasattr(perdoc, "_cached_reader"):
            column = perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
            return _read_whole(column, size) if column is not None else [0] * size
        field_length = self._reader.doc_field_length
        return [length_code(field_length(doc, field)) for doc in range(size)]

    def word_column(self, field: str) -> WordColumn | None:
        if not self._reader.has_column(field):
            return None
        return _MappedWordColumn(self._reader.column_reader(field, translate=False))


class _MappedWordColumn:
    """Whoosh's ``VarBytesColumn`` reader: the documents' byte strings one after the other from ``_basepos``,
    with arrays of their offsets and lengths."""

    def __init__(self, column: Any) -> None:
        self._column = column

    def sequence(self, doc: int) -> bytes:
        return bytes(self._column[doc])

    def word_ends(self) -> Ends:
        lengths = np.asarray(self._column._lengths, dtype=np.int64)
        return (np.cumsum(lengths) // 4).astype(np.int32)  # a segment holds fewer than 2^31 words

    def all_words(self, count: int) -> Words:
        column = self._column
        view = _mapped(column)
        if view is None:  # not memory-mapped: a copy
            return np.frombuffer(column._dbfile.get(column._basepos, count * 4), dtype="<u4")
        return np.frombuffer(view, dtype="<u4", count=count, offset=column._basepos)

    def docs_holding(self, docs: Iterable[int], pattern: re.Pattern[bytes]) -> set[int]:
        column = self._column
        view = _mapped(column)
        if view is None:  # not memory-mapped: each sequence read on its own
            return {doc for doc in docs if matches_at_term(sequence := self.sequence(doc), 0, len(sequence), pattern)}
        base, offsets, lengths, search = column._basepos, column._offsets, column._lengths, pattern.search
        found: set[int] = set()
        for doc in docs:  # one regular expression over the mapped bytes, written out: a few thousand posts
            start = base + offsets[doc]
            end = start + lengths[doc]
            match = search(view, start, end)
            while match is not None and (match.start() - start) % 4:  # bytes that straddle two words
                match = search(view, match.start() + 1, end)
            if match is not None:
                found.add(doc)
        return found


def _mapped(column: Any) -> memoryview | None:
    view = getattr(getattr(column, "_dbfile", None), "_buf", None)
    return view if isinstance(view, memoryview) else None


def _raw_postings(reader: Any, field: str, btext: bytes) -> Any:
    """A term's posting matcher including deleted documents: Whoosh hides those one posting at a time,
    which would force the slow path; the engine removes them once per query instead. Made the way
    ``SegmentReader.postings`` makes it, without the ``FilterMatcher``: the matcher that one wraps has
    already been moved past the deleted documents at the start of the list (all of them, when all are)."""
    terms = getattr(reader, "_terms", None)
    if terms is not None and hasattr(terms, "matcher"):
        return terms.matcher(field, btext, reader.schema[field].format)
    matcher = reader.postings(field, btext)
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def _in_blocks(matcher: Any) -> bool:
    """Whether the postings are Whoosh 2.7.5's on-disk blocks (not inlined, not terms of a vector)."""
    return hasattr(matcher, "_read_data") and hasattr(matcher, "_next_block") and not matcher._byteids


def _keeps_positions(reader: Any, field: str) -> bool:
    return bool(reader.schema[field].format.supports("positions"))


def _one_at_a_time(matcher: Any, positions: bool) -> Iterator[Block]:
    while matcher.is_active():
        yield [matcher.id()], [matcher.weight()], [matcher.value()] if positions else None
        matcher.next()


def _decode_block(data: tuple[Sequence[int], Any, Any], positions: bool) -> Block:
    """A decoded block (gaps between document numbers, weights, values): document numbers, frequencies, and
    the positions only where the field keeps them (a list of ints iterates faster than a packed array,
    which was measured and left: it saved no peak memory)."""
    gaps, weights, values = data
    ids = list(accumulate(gaps))
    return ids, _weights(weights, len(ids)), values if positions else None


def _weights(weights: Any, count: int) -> Sequence[float] | None:
    if weights is None or weights == 1.0:
        return None
    if isinstance(weights, (int, float)):
        return [float(weights)] * count
    return weights  # type: ignore[no-any-return]


def _skipping_blocks(matcher: Any, wanted: list[int], decoded: dict[int, Block], positions: bool) -> Iterator[Block]:
    """The blocks that may hold a wanted document, found by walking the block headers."""
    at = 0
    while matcher.is_active() and at < len(wanted):
        if wanted[at] <= matcher._maxid:
            block = decoded.get(matcher._dataoffset)
            if block is None:
                if matcher._data is None:
                    matcher._read_data()
                block = decoded[matcher._dataoffset] = _decode_block(matcher._data, positions)
            yield block
            while at < len(wanted) and wanted[at] <= matcher._maxid:
                at += 1
        _next_block(matcher)


def _read_directory(matcher: Any) -> BlockDirectory:
    """Every block header of a posting list, read once: later searches go straight to the blocks they need."""
    found = BlockDirectory()
    while matcher.is_active():
        found.last.append(matcher._maxid)
        found.spans.append((matcher._dataoffset, matcher._nextoffset, matcher._compression))
        _next_block(matcher)
    return found


def _directed_blocks(
    view: memoryview, directory: BlockDirectory, wanted: list[int], decoded: dict[int, Block], positions: bool
) -> Iterator[Block]:
    """The blocks that may hold a wanted document, found in the directory."""
    last, at = directory.last, 0
    index = bisect.bisect_left(last, wanted[0]) if wanted else len(last)
    while index < len(last):
        start, end, level = directory.spans[index]
        block = decoded.get(start)
        if block is None:
            data = view[start:end]
            block = decoded[start] = _decode_block(pickle.loads(zlib.decompress(data) if level else data), positions)
        yield block
        at = bisect.bisect_right(wanted, last[index], at)
        if at == len(wanted):
            return
        index = bisect.bisect_left(last, wanted[at], index + 1)


def _next_block(matcher: Any) -> None:
    """Move a posting matcher to its next block, reading the block's header straight from the mapped file:
    Whoosh's own ``_next_block`` reads it (the block's length, then a pickled tuple: postings, last
    document, top weight, compression, shortest and longest length) through a file object, 4 µs a block."""
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


def _read_whole(column: Any, size: int) -> Sequence[int]:
    """A fixed-width numeric column as one array, straight from its bytes (another kind of column, or a
    layout this does not know, is read a document at a time through the column's public interface)."""
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


def length_code(length: int) -> int:
    """The one-byte code Whoosh stores for a field's length in a document."""
    return int(length_to_byte(length))


# How Whoosh's ``Frequency`` and ``Positions`` formats begin a posting's value: the count, as a 4-byte
# unsigned number (Whoosh reads frequencies back from there). The struct's own method: called per term.
frequency_bytes: Callable[[int], bytes] = pack_uint


def segment_id(reader: Any) -> str:
    """The id of a segment reader's segment (stable for the segment's life; new segments get new ids)."""
    return str(reader.segment().segment_id())


def indexed_document_count(index: Any) -> int:
    """Documents in the index (deletions left out), from its table of contents: opening a reader to ask
    would take 1.7 s on a million posts."""
    segments = getattr(index, "_segments", None)
    if segments is None:
        return int(index.doc_count())
    return sum(int(segment.doc_count()) for segment in segments())


def merge_segments_into(writer: Any, segments: Iterable[Any]) -> None:
    """Add the documents of ``segments`` to ``writer``, as a Whoosh merge policy does with the segments
    it merges away."""
    for segment in segments:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()


class LexiconTerms:
    """Mix-in for a Whoosh ``MultiTerm`` query whose index terms Threadcoder computes: Whoosh asks a
    MultiTerm for them through a private method, which here asks ``index_terms``."""

    def index_terms(self, reader: Any) -> Iterator[bytes]:
        """The index terms this query stands for in ``reader``'s segment or index."""
        raise NotImplementedError

    def _btexts(self, ixreader: Any) -> Iterator[bytes]:
        return self.index_terms(ixreader)


def _buffer_file_init(self: Any, buf: Any, name: str | None = None, onclose: Any = None) -> None:
    self._buf = buf
    self._name = name
    self.file = MappedFile(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def _buffer_file_read_pickle(self: Any) -> Any:
    if isinstance(self.file, MappedFile):
        return self.file.load_pickle()
    return pickle.load(self.file)


def read_segments_in_place() -> None:
    """Make Whoosh's ``BufferFile`` read segment files in place instead of copying them (idempotent).

    Whoosh-Reloaded 2.7.5 hands each file of a memory-mapped segment to ``BufferFile``, which wraps the
    mapped bytes in a ``BytesIO``, a copy: opening a searcher read the whole index into memory (1.3 GB for
    a million posts). A ``MappedFile`` reads them in place; the rest of ``BufferFile`` is unchanged."""
    structfile.BufferFile.__init__ = _buffer_file_init
    structfile.BufferFile.read_pickle = _buffer_file_read_pickle
