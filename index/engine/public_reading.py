"""A segment read through Whoosh's public interface only: the fallback when the fast reading is not trusted.

It gives the engine what ``index.whoosh_format.FastReading`` gives (``SegmentReading``), through calls any
Whoosh documents: a term's matcher (``postings``, then ``id``, ``weight``, ``value``, ``next``,
``skip_to``), ``column_reader``, ``doc_field_length``, ``is_deleted``. It is several times slower, a
posting at a time in Python where the fast reading decodes whole blocks, and it leaves deleted documents
out of posting lists (Whoosh's matchers hide them), which the engine allows: it removes them anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from index.analysis import matches_at_term
from index.whoosh_format import Block, DocIds, Ends, WordColumn, Words, length_code

BLOCK = 128  # postings per block handed to the engine: as many as Whoosh writes per block


class PublicReading:
    """One segment read through its reader's public methods."""

    kind = "public"
    hides_deleted = True  # Whoosh's matchers skip them

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._size: int = reader.doc_count_all()

    def deleted(self) -> frozenset[int]:
        is_deleted = self._reader.is_deleted
        return frozenset(doc for doc in range(self._size) if is_deleted(doc))

    def doc_id_arrays(self, field: str, btext: bytes) -> Iterator[DocIds]:
        yield np.fromiter(self._reader.postings(field, btext).all_ids(), np.int64)

    def blocks(self, field: str, btext: bytes) -> Iterator[Block]:
        matcher = self._reader.postings(field, btext)
        positions = self._positions(field)
        ids: list[int] = []
        weights: list[float] = []
        values: list[bytes] = []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if positions:
                values.append(matcher.value())
            if len(ids) == BLOCK:
                yield _block(ids, weights, values if positions else None)
                ids, weights, values = [], [], []
            matcher.next()
        if ids:
            yield _block(ids, weights, values if positions else None)

    def blocks_holding(
        self,
        field: str,
        btext: bytes,
        wanted: list[int],
        decoded: dict[int, Block],  # noqa: ARG002  (the fast reading's memo; skipping is Whoosh's own here)
    ) -> Iterator[Block]:
        """One single-posting block for each wanted document that has the term, found with ``skip_to``
        (Whoosh skips whole blocks on their headers)."""
        matcher = self._reader.postings(field, btext)
        positions = self._positions(field)
        for doc in wanted:
            if matcher.is_active() and matcher.id() < doc:
                matcher.skip_to(doc)
            if not matcher.is_active():
                return
            if matcher.id() == doc:
                yield _block([doc], [matcher.weight()], [matcher.value()] if positions else None)

    def numeric_column(self, field: str) -> Sequence[int]:
        if not self._reader.has_column(field):  # no document of the segment had a value: all the default
            return [self._reader.schema[field].column_type.default_value()] * self._size
        column = self._reader.column_reader(field, translate=False)
        return [int(column[doc]) for doc in range(self._size)]

    def length_codes(self, field: str) -> Sequence[int]:
        field_length = self._reader.doc_field_length
        return [length_code(field_length(doc, field)) for doc in range(self._size)]

    def word_column(self, field: str) -> WordColumn | None:
        if not self._reader.has_column(field):
            return None
        return PublicWordColumn(self._reader.column_reader(field, translate=False))

    def _positions(self, field: str) -> bool:
        return bool(self._reader.schema[field].format.supports("positions"))


class PublicWordColumn:
    """The text's column of word hashes, a document's bytes at a time through the column reader."""

    def __init__(self, column: Any) -> None:
        self._column = column

    def sequence(self, doc: int) -> bytes:
        return bytes(self._column[doc])

    def word_ends(self) -> Ends:
        lengths = np.fromiter((len(value) for value in self._column), np.int64)
        return (np.cumsum(lengths) // 4).astype(np.int32)

    def all_words(self, count: int) -> Words:
        """A copy of the whole column, made afresh for each pass (about 4 bytes a word)."""
        return np.frombuffer(b"".join(bytes(value) for value in self._column), dtype="<u4", count=count)

    def docs_holding(self, docs: Iterable[int], pattern: re.Pattern[bytes]) -> set[int]:
        found: set[int] = set()
        for doc in docs:
            sequence = self.sequence(doc)
            if matches_at_term(sequence, 0, len(sequence), pattern):
                found.add(doc)
        return found


def _block(ids: list[int], weights: list[float], values: list[bytes] | None) -> Block:
    """A block as the engine takes it: frequencies left out (None) when every one is 1, as Whoosh does."""
    return ids, None if all(weight == 1.0 for weight in weights) else weights, values
