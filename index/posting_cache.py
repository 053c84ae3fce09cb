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

SET_BYTES = 60  # what a Python set holds per document, roughly (table slot and int object)
POSTING_BYTES = 32 * 1024 * 1024  # memory for cached posting lists, over all segments

Held = bytearray | set[int]


class PostingCache:
    """Posting lists by key (segment, field, term), least recently used first out, within a byte budget."""

    def __init__(self, budget: int = POSTING_BYTES) -> None:
        self._held: OrderedDict[Hashable, Held] = OrderedDict()
        self._bytes = 0
        self.budget = budget

    def docs(self, key: Hashable, size: int, read: Callable[[], set[int]]) -> set[int]:
        """The documents of a term (local numbers below ``size``), read with ``read`` when not kept.
        The set returned may be shared: callers must not change it in place."""
        held = self._get(key)
        if held is not None:
            return set(compress(range(len(held)), held)) if isinstance(held, bytearray) else held
        docs = read()
        self._keep(key, docs, size)
        return docs

    def within(self, key: Hashable, wanted: set[int]) -> set[int] | None:
        """The documents of ``wanted`` that have the term, or None when the term is not kept."""
        held = self._get(key)
        if held is None:
            return None
        if isinstance(held, bytearray):
            return set(compress(wanted, map(held.__getitem__, wanted)))
        return held & wanted

    def forget(self, drop: Callable[[Hashable], bool]) -> None:
        """Forget the keys ``drop`` chooses (the segments merged away)."""
        for key in [key for key in self._held if drop(key)]:
            self._bytes -= _cost(self._held.pop(key))

    def _get(self, key: Hashable) -> Held | None:
        held = self._held.get(key)
        if held is not None:
            self._held.move_to_end(key)
        return held

    def _keep(self, key: Hashable, docs: set[int], size: int) -> None:
        held: Held = _marks(docs, size) if len(docs) * SET_BYTES > size else docs
        cost = _cost(held)
        if cost > self.budget:
            return
        self._held[key] = held
        self._bytes += cost
        while self._bytes > self.budget:
            self._bytes -= _cost(self._held.popitem(last=False)[1])


def _marks(docs: set[int], size: int) -> bytearray:
    """One byte per document of the segment: 1 where the term is."""
    marks = bytearray(size)
    for doc in docs:
        marks[doc] = 1
    return marks


def _cost(held: Held) -> int:
    return len(held) if isinstance(held, bytearray) else len(held) * SET_BYTES
