"""Posting sets of recently used facts (``lang:en``, ``is:repost``, ``#metoo``), kept between searches.

Researchers keep such filters while they refine the words of a query, and a fact in half the posts costs
tens of milliseconds to read again on a million posts. As a Python set it would also cost some 60 bytes
per post, so a dense posting list is kept as a byte per document of its segment instead (a tenth of the
memory for ``lang:en``), and turned back into a set, at C speed, when a search needs it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from itertools import compress

import numpy as np

SET_BYTES = 60  # what a Python set holds per document, roughly (table slot and int object)
HOT_DOCS = 400_000  # documents kept as ready sets, the most recently used (about 40 MB with the sets' ints)
POSTING_BYTES = 32 * 1024 * 1024  # memory for the other kept posting lists, over all segments

Held = bytearray | set[int]


class PostingCache:
    """Posting lists by key (segment, field, term): the most recently used as ready sets, up to
    ``hot_docs`` documents; older ones packed, a byte per document when that is smaller, within ``budget``
    bytes; least recently used first out."""

    def __init__(self, budget: int = POSTING_BYTES, hot_docs: int = HOT_DOCS) -> None:
        # documents, segment size, and the search that last used them
        self._hot: OrderedDict[Hashable, tuple[set[int], int, int]] = OrderedDict()
        self._hot_docs = 0
        self._search = 0
        self._packed: OrderedDict[Hashable, Held] = OrderedDict()
        self._bytes = 0
        self.budget = budget
        self.hot_limit = hot_docs

    def begin_search(self) -> None:
        """A new search starts: what the searches before it used may make room for what it uses."""
        self._search += 1

    def docs(self, key: Hashable, size: int, read: Callable[[], set[int]]) -> set[int]:
        """The documents of a term (local numbers below ``size``), read with ``read`` when not kept.
        The set returned may be shared: callers must not change it in place."""
        hot = self._hot.get(key)
        if hot is not None:
            self._touch(key, hot)
            return hot[0]
        packed = self._packed.get(key)
        if packed is None:
            docs = read()
        else:
            docs = _unmarked(packed) if isinstance(packed, bytearray) else packed
            if not self._room_for(len(docs)):  # too big to be kept ready, or this search's sets fill it
                self._packed.move_to_end(key)
                return docs
            self._bytes -= _cost(self._packed.pop(key))
        self._keep(key, docs, size)
        return docs

    def filter_kept(self, key: Hashable, wanted: set[int]) -> set[int] | None:
        """Exactly the documents of ``wanted`` that have the term, or None when the term is not kept."""
        hot = self._hot.get(key)
        if hot is not None:
            self._touch(key, hot)
            return hot[0] & wanted
        held = self._packed.get(key)
        if held is None:
            return None
        self._packed.move_to_end(key)
        if isinstance(held, bytearray):
            return set(compress(wanted, map(held.__getitem__, wanted)))
        return held & wanted

    def forget(self, drop: Callable[[Hashable], bool]) -> None:
        """Forget the keys ``drop`` chooses (the segments merged away)."""
        for key in [key for key in self._hot if drop(key)]:
            self._hot_docs -= len(self._hot.pop(key)[0])
        for key in [key for key in self._packed if drop(key)]:
            self._bytes -= _cost(self._packed.pop(key))

    @property
    def packed_bytes(self) -> int:
        return self._bytes

    def _room_for(self, count: int) -> bool:
        """Whether ``count`` more documents fit among the ready sets, once earlier searches' make room."""
        room = self.hot_limit - self._hot_docs
        for docs, _, used in self._hot.values():
            if room >= count or used == self._search:
                break
            room += len(docs)
        return room >= count

    def _touch(self, key: Hashable, hot: tuple[set[int], int, int]) -> None:
        self._hot[key] = (hot[0], hot[1], self._search)
        self._hot.move_to_end(key)

    def _keep(self, key: Hashable, docs: set[int], size: int) -> None:
        """Keep ``docs`` ready, making room from the least recently used sets of earlier searches; when
        only this search's sets are left, keep it packed instead: a search whose facts do not all fit
        would otherwise pack and unpack the same sets, segment after segment, at every search."""
        if not self._room_for(len(docs)):  # too big, or this search's sets fill the room: packed at once
            self._pack(key, docs, size)
            return
        self._hot[key] = (docs, size, self._search)
        self._hot_docs += len(docs)
        while self._hot_docs > self.hot_limit:  # earlier searches' sets: there is room among them
            old_key, (old, old_size, _) = self._hot.popitem(last=False)
            self._hot_docs -= len(old)
            self._pack(old_key, old, old_size)

    def _pack(self, key: Hashable, docs: set[int], size: int) -> None:
        held: Held = _marks(docs, size) if len(docs) * SET_BYTES > size else docs
        cost = _cost(held)
        if cost > self.budget:
            return
        self._packed[key] = held
        self._bytes += cost
        while self._bytes > self.budget:
            self._bytes -= _cost(self._packed.popitem(last=False)[1])


def _marks(docs: set[int], size: int) -> bytearray:
    """One byte per document of the segment: 1 where the term is."""
    marks = np.zeros(size, np.uint8)
    marks[np.fromiter(docs, np.int64, len(docs))] = 1
    return bytearray(marks)


def _unmarked(marks: bytearray) -> set[int]:
    return set(np.flatnonzero(np.frombuffer(marks, np.uint8)).tolist())


def _cost(held: Held) -> int:
    return len(held) if isinstance(held, bytearray) else len(held) * SET_BYTES
