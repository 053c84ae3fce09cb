"""Posting lists read a block at a time, straight from the memory-mapped segment files.

Whoosh-Reloaded 2.7.5 stores a posting list as blocks of up to 128 postings, each a zlib-compressed pickle
(gaps between document numbers, weights, values) behind a small pickled header (the block's last document
number, where its data ends). Reading them here, a whole block per call, is what makes ``index.engine.docsets``
fast; where a matcher is not of that kind (another Whoosh fork, a posting list inlined in the term
dictionary, a segment that is not memory-mapped) Whoosh's public, slower interface is used instead.
"""

from __future__ import annotations

import bisect
import pickle
import struct
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

# (document numbers, term frequencies or None when all are 1, encoded positions or None) of one block
Block = tuple[Sequence[int], Sequence[float] | None, Sequence[bytes] | None]
_BLOCK_LENGTH = struct.Struct("!i")  # a posting block's length, negative for a term's last block
_HEADER_MAX = 96  # a posting block's pickled header is some 20 to 40 bytes


def mapped_view(matcher: Any) -> Any:
    """The memory-mapped bytes of a matcher's posting file, or None when they are not at hand."""
    if not hasattr(matcher, "_read_data") or matcher._byteids:
        return None
    return getattr(getattr(matcher, "_postfile", None), "_buf", None)


def raw_postings(reader: Any, field: str, btext: bytes) -> Any:
    """A term's posting matcher including deleted documents: Whoosh hides those one posting at a time,
    which would force the slow path; this module removes them once per query instead."""
    matcher = reader.postings(field, btext)
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def id_arrays(matcher: Any) -> Iterator[npt.NDArray[np.int64]]:
    """Document numbers of a posting list as numpy arrays, a block at a time when the format allows it."""
    if not (hasattr(matcher, "_read_data") and hasattr(matcher, "_next_block") and not matcher._byteids):
        yield np.fromiter(matcher.all_ids(), np.int64)
        return
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        yield np.cumsum(np.asarray(matcher._data[0], dtype=np.int64))  # gaps within each block
        next_block(matcher)


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
        next_block(matcher)


def blocks_within(matcher: Any, wanted: list[int], decoded: dict[int, Block], positions: bool) -> Iterator[Block]:
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
        next_block(matcher)


@dataclass(slots=True)
class BlockDirectory:
    """A term's posting blocks in one segment: the last document of each and where its data lies."""

    last: list[int] = field(default_factory=list)
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # data start, end, zlib level (0: none)


def read_directory(matcher: Any) -> BlockDirectory:
    """Every block header of a posting list, read once: later searches go straight to the blocks they need."""
    found = BlockDirectory()
    while matcher.is_active():
        found.last.append(matcher._maxid)
        found.spans.append((matcher._dataoffset, matcher._nextoffset, matcher._compression))
        next_block(matcher)
    return found


def _block(data: tuple[Sequence[int], Any, Any], positions: bool) -> Block:
    """A decoded block (gaps between document numbers, weights, values): document numbers, frequencies, and
    the positions only where the field keeps them (a list of ints iterates faster than a packed array,
    which was measured and left: it saved no peak memory)."""
    gaps, weights, values = data
    ids = list(accumulate(gaps))
    return ids, _weights(weights, len(ids)), values if positions else None


def directed_blocks(
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


def next_block(matcher: Any) -> None:
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
