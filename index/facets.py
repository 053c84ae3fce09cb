"""Facet counts for the posts a query found: top hashtags, authors, languages and codes, posts per day.

Counts are exact. The posts found are a mask per segment (a byte per post). Authors and days come from
numeric columns (one number per post), counted under the mask with numpy; hashtags, languages and codes
from the ``facts`` terms of their kind, their document numbers looked up in the mask, largest terms
first, stopping once no remaining term can enter the top list.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from index.engine.segments import Segment
from index.schema import AUTHOR_HASH_FIELD, CODE, CODE_CODER, DAY_FIELD, FACTS_FIELD, ID_FIELD, LANG, TAG, fact

_EPOCH = date(1970, 1, 1)
Mask = npt.NDArray[np.bool_]


@dataclass(slots=True)
class Facets:
    """Facet counts, most frequent first (days in date order): lists of (value, number of posts)."""

    hashtags: list[tuple[str, int]] = field(default_factory=list)
    authors: list[tuple[str, int]] = field(default_factory=list)
    languages: list[tuple[str, int]] = field(default_factory=list)
    days: list[tuple[str, int]] = field(default_factory=list)
    codes: list[tuple[str, int]] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[tuple[str, int]]]:
        return {
            "hashtags": self.hashtags,
            "authors": self.authors,
            "languages": self.languages,
            "days": self.days,
            "codes": self.codes,
        }


Found = Sequence[tuple[Segment, Mask]]  # each segment's matching documents, as a mask


def as_mask(docs: set[int], size: int) -> Mask:
    """A byte per document of a segment, true for ``docs``: a millionth of the memory of a set of
    hundreds of thousands of documents, and counted against columns at C speed."""
    mask = np.zeros(size, dtype=np.bool_)
    if docs:
        mask[np.fromiter(docs, np.int64, len(docs))] = True
    return mask


def count_facets(conn: sqlite3.Connection, found: Found, limit: int = 10, coder: str | None = None) -> Facets:
    """Facets of the documents ``found`` per segment; ``coder`` limits codes to one coder (blind mode)."""
    found = [(segment, mask) for segment, mask in found if mask.any()]
    facets = Facets()
    facets.hashtags = top_terms(found, fact(TAG, ""), limit)
    facets.languages = top_terms(found, fact(LANG, ""), limit)
    if coder is None:
        facets.codes = top_terms(found, fact(CODE, ""), limit)
    else:
        suffix = f"|{coder}"
        pairs = top_terms(found, fact(CODE_CODER, ""), 10**9)
        facets.codes = [(name[: -len(suffix)], n) for name, n in pairs if name.endswith(suffix)][:limit]
    facets.days = _days(found)
    facets.authors = _authors(conn, found, limit)
    return facets


def top_terms(found: Found, prefix: str, limit: int) -> list[tuple[str, int]]:
    """The ``limit`` terms starting with ``prefix`` that most of the found documents have."""
    frequencies: Counter[bytes] = Counter()
    for segment, _ in found:
        for btext, info in segment.reader.iter_prefix(FACTS_FIELD, prefix):
            frequencies[btext] += info.doc_frequency()
    top: list[tuple[int, str]] = []
    for btext, frequency in sorted(frequencies.items(), key=lambda item: -item[1]):
        if len(top) >= limit and frequency <= top[-1][0]:
            break  # a term in fewer posts than the current last place cannot enter the list
        matched = sum(_count(segment, mask, btext) for segment, mask in found)
        if matched:
            top.append((matched, btext.decode("utf-8")[len(prefix) :]))
            top.sort(key=lambda item: (-item[0], item[1]))
            del top[limit:]
    return [(term, n) for n, term in top]


def _count(segment: Segment, mask: Mask, btext: bytes) -> int:
    """How many documents of ``mask`` have the fact ``btext``."""
    if not segment.has(FACTS_FIELD, btext):
        return 0
    return sum(int(np.count_nonzero(mask[ids])) for ids in segment.doc_id_arrays(FACTS_FIELD, btext))


def _days(found: Found) -> list[tuple[str, int]]:
    counts: Counter[int] = Counter()
    for segment, mask in found:
        days, numbers = np.unique(np.asarray(segment.column(DAY_FIELD))[mask], return_counts=True)
        counts.update(dict(zip(days.tolist(), numbers.tolist(), strict=True)))
    counts.pop(-1, None)  # posts without a date
    return [((_EPOCH + timedelta(days=day)).isoformat(), n) for day, n in sorted(counts.items())]


def _authors(conn: sqlite3.Connection, found: Found, limit: int) -> list[tuple[str, int]]:
    totals: Counter[int] = Counter()
    for segment, mask in found:
        authors, numbers = np.unique(np.asarray(segment.column(AUTHOR_HASH_FIELD))[mask], return_counts=True)
        totals.update(dict(zip(authors.tolist(), numbers.tolist(), strict=True)))
    totals.pop(0, None)  # posts without a known author
    top = totals.most_common(limit)
    handles = _handles(conn, found, {value for value, _ in top})
    return [(handles.get(value, "?"), n) for value, n in top]


def _handles(conn: sqlite3.Connection, found: Found, wanted: set[int]) -> dict[int, str]:
    """Author hashes back to handles: through one post of each author, then the store."""
    posts: dict[int, str] = {}
    for segment, mask in found:
        left = [value for value in wanted if value not in posts]
        if not left:
            break
        column = np.asarray(segment.column(AUTHOR_HASH_FIELD))
        for doc in np.flatnonzero(mask & np.isin(column, left)).tolist():
            value = int(column[doc])
            if value not in posts:
                posts[value] = segment.searcher.stored_fields(doc)[ID_FIELD]
    handles: dict[int, str] = {}
    for value, post_key in posts.items():
        row = conn.execute(
            "SELECT coalesce(a.handle, a.id) FROM posts AS p JOIN authors AS a ON a.id = p.author_id WHERE p.id = ?",
            (post_key,),
        ).fetchone()
        if row is not None:
            handles[value] = row[0]
    return handles
