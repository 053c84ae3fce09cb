"""Each post's words in order, as the text field's column of packed hashes, searched in place.

A phrase's word order and the few posts of a query that a common word's posting blocks would spread over
are checked here: one regular-expression search per post over the memory-mapped column, matches counted
only at a word boundary (4 bytes). ``index.analysis.word_sequence`` writes what this reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from index.analysis import has_sequence
from index.schema import WORDS_FIELD


class WordSequences:
    """One segment's word sequences (empty when no post of the segment has text: there is no column)."""

    def __init__(self, reader: Any) -> None:
        has = reader.has_column(WORDS_FIELD)
        self._column: Any = reader.column_reader(WORDS_FIELD, translate=False) if has else None

    def with_any(self, docs: Iterable[int], needles: Sequence[bytes]) -> set[int]:
        """The documents of ``docs`` whose sequence holds one of ``needles`` (packed hashes of one or more
        words side by side, ``index.analysis.packed``) at a word boundary."""
        column = self._column
        if column is None:
            return set()
        view = getattr(getattr(column, "_dbfile", None), "_buf", None)
        if view is None:  # not a memory-mapped segment: read each sequence
            return {doc for doc in docs if any(has_sequence(column[doc], needle) for needle in needles)}
        pattern = re.compile(b"|".join(map(re.escape, needles)), re.DOTALL)
        return _in_order(view, column._basepos, column._offsets, column._lengths, docs, pattern)

    def counts(self, docs: Iterable[int], word: bytes) -> dict[int, int]:
        """How often the packed hash of one word occurs in each document of ``docs`` that has it."""
        if self._column is None:
            return {}
        found: dict[int, int] = {}
        for doc in docs:
            sequence = bytes(self._column[doc])
            count = sum(1 for at in range(0, len(sequence), 4) if sequence[at : at + 4] == word)
            if count:
                found[doc] = count
        return found


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
