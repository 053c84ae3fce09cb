"""Searching a project: totals, ranking by relevance or date, paging, snippets and facets.

A search runs in three steps. ``index.docsets`` finds every matching post as sets (the exact total and
the facets come from there). Ranking by relevance asks Whoosh for the best BM25 scores of the query's
words, restricted to those posts; posts found only through filters (a hashtag, an author, a date) have
no words to score and follow, newest first. Ranking by date reads the time column. Then the page's texts
come from SQLite for the snippets.
"""

from __future__ import annotations

import bisect
import heapq
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType

from whoosh import query as wq

from archive.coding.index_view import blind_mode
from archive.errors import ThreadcoderError
from archive.project import Project
from index.docsets import matching, matching_within, pass_ahead
from index.documents import SQL_CHUNK, fold_label
from index.facets import Facets, count_facets
from index.query import CodingView, CompiledQuery, compile_query
from index.ranking import Statistics, scores, top
from index.schema import ID_FIELD, TIME_FIELD
from index.segments import Segment, SegmentCache, segments
from index.snippets import Snippet, make_snippet
from index.storage import open_index

SORTS = ("relevance", "-date", "date")  # -date: newest first
PAGE_SIZE = 50


@dataclass(slots=True)
class Hit:
    """One post found: its key, relevance score (None when ranked by date or unscored), time, snippet."""

    id: str
    score: float | None
    time: int
    snippet: Snippet | None = None


@dataclass(slots=True)
class SearchResults:
    """One page of results and the total over all pages."""

    query: str
    sort: str
    total: int
    page: int
    page_size: int
    hits: list[Hit]
    elapsed_ms: float

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


Found = list[tuple[Segment, set[int]]]
Ranked = list[tuple[int, float | None, int]]  # global document number, score, time


class ProjectSearch:
    """Searches one project's index. Open once, search many times; each search sees the latest commit.

    ``viewer`` is the coder using the app: in blind mode, coding searches and the code facet are limited
    to that coder's own coding. Texts for snippets are read through ``conn`` (a reader connection of the
    caller's thread), by default the project's own connection, which only its own thread may use.
    """

    def __init__(self, project: Project, *, viewer: str | None = None, conn: sqlite3.Connection | None = None) -> None:
        self.conn: sqlite3.Connection = conn if conn is not None else project.db.conn
        self.viewer = viewer
        self.index = open_index(project.index_path)
        self.searcher = self.index.searcher()
        self.cache = SegmentCache()

    def close(self) -> None:
        self.searcher.close()

    def __enter__(self) -> ProjectSearch:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def compile(self, query: str, *, include_context: bool = False) -> CompiledQuery:
        """The compiled query; raises ``QuerySyntaxError`` pointing at the problem."""
        coding = CodingView(blind_mode(self.conn), self.viewer)
        return compile_query(query, coding=coding, include_context=include_context)

    def search(
        self,
        query: str,
        *,
        sort: str = "relevance",
        page: int = 1,
        page_size: int = PAGE_SIZE,
        include_context: bool = False,
        snippets: bool = True,
    ) -> SearchResults:
        """One page (1-based) of the posts matching ``query``, in ``sort`` order, with snippets."""
        started = time.perf_counter()
        _check_sort(sort)
        if page < 1 or page_size < 1:
            raise ThreadcoderError("page and page size start at 1")
        compiled = self.compile(query, include_context=include_context)
        found = self._found(compiled)
        total = sum(len(docs) for _, docs in found)
        start = (page - 1) * page_size
        ranked = self._ranked(compiled, found, sort, start, start + page_size)
        hits = self._hits(ranked, compiled if snippets else None)
        elapsed = (time.perf_counter() - started) * 1000
        return SearchResults(query, sort, total, page, page_size, hits, elapsed)

    def all_hits(self, query: str, *, sort: str = "relevance", include_context: bool = False) -> list[Hit]:
        """Every post matching ``query`` in ``sort`` order, without snippets (for exports)."""
        _check_sort(sort)
        compiled = self.compile(query, include_context=include_context)
        found = self._found(compiled)
        total = sum(len(docs) for _, docs in found)
        return self._hits(self._ranked(compiled, found, sort, 0, total), None)

    def facets(self, query: str, *, limit: int = 10, include_context: bool = False) -> Facets:
        """Top hashtags, authors, languages and codes, and posts per day, of the posts matching ``query``."""
        compiled = self.compile(query, include_context=include_context)
        coder = fold_label(self.viewer) if self.viewer and blind_mode(self.conn) else None
        if coder is None and blind_mode(self.conn):
            return _without_codes(count_facets(self.conn, self._found(compiled), limit))
        return count_facets(self.conn, self._found(compiled), limit, coder)

    # ---- steps ------------------------------------------------------------------------------------------
    def _found(self, compiled: CompiledQuery) -> Found:
        if not self.searcher.up_to_date():
            # A fresh searcher, not Whoosh's refresh(): that reuses the readers of unchanged segments but
            # keeps their old deletions (an updated post would be found twice), and fails on an empty index.
            # What is slow to read again (columns, posting sets) is kept by segment in self.cache.
            self.searcher.close()
            self.searcher = self.index.searcher()
        found = segments(self.searcher, self.cache)
        pass_ahead(compiled.match, found)
        return [(segment, matching(compiled.match, segment)) for segment in found]

    def _ranked(self, compiled: CompiledQuery, found: Found, sort: str, start: int, stop: int) -> Ranked:
        if sort != "relevance" or compiled.score is None:
            return by_date(found, start, stop, newest_first=sort != "date")
        if _implied(compiled.score, compiled.match):  # every post found has a scoring word: no need to ask
            scored = found
        else:
            scored = [(segment, matching_within(compiled.score, segment, docs)) for segment, docs in found]
        scored_total = sum(len(docs) for _, docs in scored)
        ranked: Ranked = []
        if start < scored_total:
            statistics = Statistics(self.searcher)
            # One segment's scores at a time: a million scores at once were the peak of a big search's memory.
            tables = ((s.offset, docs, scores(compiled.leaves, s, docs, statistics)) for s, docs in scored if docs)
            ranked = [(docnum, score, _time_of(found, docnum)) for docnum, score in top(tables, stop)[start:stop]]
        if stop > scored_total:
            rest = [(segment, docs - words) for (segment, docs), (_, words) in zip(found, scored, strict=True)]
            ranked += by_date(rest, max(0, start - scored_total), stop - scored_total, newest_first=True)
        return ranked

    def _hits(self, ranked: Ranked, compiled: CompiledQuery | None) -> list[Hit]:
        stored = self.searcher.stored_fields
        hits = [Hit(stored(docnum)[ID_FIELD], score, when) for docnum, score, when in ranked]
        if compiled is not None and hits:
            texts = _texts(self.conn, [hit.id for hit in hits])
            for hit in hits:
                hit.snippet = make_snippet(texts.get(hit.id, ""), compiled.highlight)
        return hits


def by_date(found: Found, start: int, stop: int, *, newest_first: bool) -> Ranked:
    """Documents ``start:stop`` of ``found`` by time (then document number); posts without a date are oldest."""
    total = sum(len(docs) for _, docs in found)
    stop = min(stop, total)
    if start >= stop:
        return []
    candidates: list[tuple[int, int]] = []
    for segment, docs in found:
        times = segment.column(TIME_FIELD)
        chosen: Iterable[int] = docs
        if stop * 4 < len(docs):
            pick = heapq.nlargest if newest_first else heapq.nsmallest
            chosen = pick(stop, docs, key=times.__getitem__)
        candidates += [(times[doc], segment.offset + doc) for doc in chosen]
    candidates.sort(reverse=newest_first)
    return [(docnum, None, when) for when, docnum in candidates[start:stop]]


def _implied(score: wq.Query, match: wq.Query) -> bool:
    """Whether every post matching ``match`` also matches ``score``: ``score`` (or, for an OR of words,
    one of them) is a part that an AND of ``match`` requires."""
    if score == match:
        return True
    if isinstance(match, wq.And) and any(_implied(score, child) for child in match.subqueries):
        return True
    return isinstance(score, wq.Or) and any(_implied(child, match) for child in score.subqueries)


def _time_of(found: Found, docnum: int) -> int:
    offsets = [segment.offset for segment, _ in found]
    segment = found[bisect.bisect_right(offsets, docnum) - 1][0]
    return int(segment.column(TIME_FIELD)[docnum - segment.offset])


def _texts(conn: sqlite3.Connection, keys: list[str]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for begin in range(0, len(keys), SQL_CHUNK):
        chunk = keys[begin : begin + SQL_CHUNK]
        marks = ", ".join("?" * len(chunk))
        texts.update(conn.execute(f"SELECT id, text FROM posts WHERE id IN ({marks})", chunk).fetchall())
    return texts


def _check_sort(sort: str) -> None:
    if sort not in SORTS:
        raise ThreadcoderError(f"unknown sort '{sort}'; use one of {', '.join(SORTS)}")


def _without_codes(facets: Facets) -> Facets:
    """In blind mode without a known coder, the code facet would show other coders' work: leave it out."""
    facets.codes = []
    return facets
