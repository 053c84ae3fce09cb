"""Whoosh queries that expand against the index's lexicon: stemmed words and date ranges.

Both are resolved per index reader, when the search runs: the word forms and the days that exist in
this index are found in its sorted term list, so a query never names a term that no post has.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from whoosh.query import MultiTerm, Variations

from index.analysis import stem
from index.schema import DAY, FACTS_FIELD, MONTH, fact
from index.whoosh_format import LexiconTerms


class Stemmed(LexiconTerms, Variations):  # type: ignore[misc]
    """A word and the index's other words with the same Porter2 stem: ``work`` finds works, worked, working."""

    def __init__(self, fieldname: str, text: str, boost: float = 1.0) -> None:
        super().__init__(fieldname, text, boost)
        self.stem = stem(text) or text

    def index_terms(self, reader: Any) -> Iterator[bytes]:
        word = self.text.encode("utf-8")
        if (self.fieldname, word) in reader:
            yield word
        # Forms of one stem nearly always begin with the stem less its last letter (happy, happiness ->
        # happi); short stems are used whole, or "ru" would sweep in every word that starts with it.
        prefix = self.stem if len(self.stem) <= 3 else self.stem[:-1]
        for btext in reader.expand_prefix(self.fieldname, prefix):
            if btext != word and stem(btext.decode("utf-8")) == self.stem:
                yield btext


def parse_day(text: str) -> date:
    """A ``YYYY-MM-DD`` day; ValueError otherwise."""
    return date.fromisoformat(text)


class DateRange(LexiconTerms, MultiTerm):  # type: ignore[misc]
    """Posts from ``start`` to ``end`` (ISO days, both included; None = open): whole months, then days."""

    constantscore = True

    def __init__(self, start: str | None, end: str | None, boost: float = 1.0) -> None:
        self.fieldname = FACTS_FIELD
        self.start = start or "0000-00-00"
        self.end = end or "9999-99-99"
        self.text = f"{self.start}..{self.end}"
        self.boost = boost

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateRange) and (self.start, self.end) == (other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.start, self.end))

    def __repr__(self) -> str:
        return f"DateRange({self.start!r}, {self.end!r})"

    def index_terms(self, reader: Any) -> Iterator[bytes]:
        month_prefix = fact(MONTH, "")
        months = [b.decode()[len(month_prefix) :] for b in reader.expand_prefix(FACTS_FIELD, month_prefix)]
        for month in months:
            first, last = f"{month}-01", f"{month}-31"
            if last < self.start or first > self.end:
                continue
            if self.start <= first and last <= self.end:
                yield fact(MONTH, month).encode()
                continue
            for btext in reader.expand_prefix(FACTS_FIELD, fact(DAY, month)):
                day = btext.decode()[len(DAY) + 1 :]
                if self.start <= day <= self.end:
                    yield btext
