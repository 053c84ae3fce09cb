"""The text field: words with their frequencies, no positions, and a column of the words in order."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from whoosh.columns import VarBytesColumn
from whoosh.fields import TEXT

from index.analysis import FoldingTokenizer, packed, plain_terms, word_sequence
from index.whoosh_format import frequency_bytes

# The terms of the text last indexed in this process, for its column (Whoosh asks for the column value of
# the same text right after its postings). Kept here, not on the field: the schema is pickled with the index.
_last: list[Any] = [None, None]


class WordsText(TEXT):  # type: ignore[misc]
    """The text field. Its column (Whoosh names it after the field) holds the text's terms as hashes, in
    order, for phrases; the writer computes it where it analyses the text, in the worker processes of a
    parallel rebuild, and from the same words: a text is split into words once, not twice.
    """

    def __init__(self, analyzer: FoldingTokenizer) -> None:
        # Offsets written always: without them Whoosh derives them in a Python loop each time it opens one.
        super().__init__(analyzer=analyzer, phrase=False, sortable=VarBytesColumn(write_offsets_cutoff=0))

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        """(term, frequency, weight, encoded frequency) per distinct term, as Whoosh's ``Frequency`` format
        gives them through the analyzer, without making a token object per word."""
        found = plain_terms(value) if isinstance(value, str) and not kwargs else None
        if found is None:
            yield from super().index(value, **kwargs)
            return
        _last[:] = [value, found]
        boost = self.format.field_boost
        for term, frequency in Counter(found).items():
            yield term.encode("utf-8"), frequency, frequency * boost, frequency_bytes(frequency)

    def to_column_value(self, value: str) -> bytes:
        # Every document gives the text a value ("" when a post has none): Whoosh's VarBytesColumn writer
        # fills documents without one at the end, after taking the offsets array it then writes stale.
        text, found = _last
        if text is value:
            return packed(found)
        return word_sequence(value)
