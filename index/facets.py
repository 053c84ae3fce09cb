"""Facet counts for the posts a query found: top hashtags, authors, languages and codes, posts per day.

Counts are exact. Authors and days come from numeric columns (one number per post, counted at C speed);
hashtags, languages and codes from the ``facts`` terms of their kind, intersected with the result set,
largest terms first, stopping once no remaining term can enter the top list.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from index.schema import AUTHOR_HASH_FIELD, CODE, CODE_CODER, DAY_FIELD, FACTS_FIELD, ID_FIELD, LANG, TAG, fact
from index.segments import Segment, term_ids

_EPOCH = date(1970, 1, 1)


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


Found = Sequence[tuple[Segment, set[int]]]


def count_facets(conn: sqlite3.Connection, found: Found, limit: int = 10, coder: str | None = None) -> Facets:
    """Facets of the documents ``found`` per segment; ``coder`` limits codes to one coder (blind mode)."""
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
    for segment, docs in found:
        if docs:
            for btext, info in segment.reader.iter_prefix(FACTS_FIELD, prefix):
                frequencies[btext] += info.doc_frequency()
    top: list[tuple[int, str]] = []
    for btext, frequency in sorted(frequencies.items(), key=lambda item: -item[1]):
        if len(top) >= limit and frequency <= top[-1][0]:
            break  # a term in fewer posts than the current last place cannot enter the list
        matched = sum(len(docs.intersection(term_ids(segment, FACTS_FIELD, btext))) for segment, docs in found if docs)
        if matched:
            top.append((matched, btext.decode("utf-8")[len(prefix) :]))
            top.sort(key=lambda item: (-item[0], item[1]))
            del top[limit:]
    return [(term, n) for n, term in top]


def _days(found: Found) -> list[tuple[str, int]]:
    counts: Counter[int] = Counter()
    for segment, docs in found:
        counts.update(map(segment.column(DAY_FIELD).__getitem__, docs))
    counts.pop(-1, None)  # posts without a date
    return [((_EPOCH + timedelta(days=day)).isoformat(), n) for day, n in sorted(counts.items())]


def _authors(conn: sqlite3.Connection, found: Found, limit: int) -> list[tuple[str, int]]:
    counts: Counter[tuple[int, int]] = Counter()
    for index, (segment, docs) in enumerate(found):
        column = segment.column(AUTHOR_HASH_FIELD)
        for value, n in Counter(map(column.__getitem__, docs)).items():
            counts[(value, index)] += n
    totals: Counter[int] = Counter()
    for (value, _), n in counts.items():
        totals[value] += n
    totals.pop(0, None)  # posts without a known author
    top = totals.most_common(limit)
    handles = _handles(conn, found, {value for value, _ in top})
    return [(handles.get(value, "?"), n) for value, n in top]


def _handles(conn: sqlite3.Connection, found: Found, wanted: set[int]) -> dict[int, str]:
    """Author hashes back to handles: through one post of each author, then the store."""
    posts: dict[int, str] = {}
    for segment, docs in found:
        column = segment.column(AUTHOR_HASH_FIELD)
        for doc in docs:
            value = column[doc]
            if value in wanted and value not in posts:
                posts[value] = segment.searcher.stored_fields(doc)[ID_FIELD]
                if len(posts) == len(wanted):
                    break
    handles: dict[int, str] = {}
    for value, post_key in posts.items():
        row = conn.execute(
            "SELECT coalesce(a.handle, a.id) FROM posts AS p JOIN authors AS a ON a.id = p.author_id WHERE p.id = ?",
            (post_key,),
        ).fetchone()
        if row is not None:
            handles[value] = row[0]
    return handles
