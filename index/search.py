"""Searching a project: totals, ranking by relevance or date, paging, snippets and facets.

A search goes through the index a segment at a time. ``index.engine.docsets`` finds the segment's matching
posts as sets (the exact total comes from there); ranking by relevance scores them with BM25 over the
query's words (``index.engine.ranking``); posts found only through filters (a hashtag, an author, a date) have
no words to score and follow, newest first; ranking by date reads the time column. ``index.engine.paging`` keeps
the candidates for the page, and the segment's sets are let go before the next segment. Facets keep each
segment's matches as a mask of a byte per post. Then the page's texts come from SQLite for the snippets.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from whoosh import query as wq

from archive.coding.blind import blind_mode
from archive.errors import ThreadcoderError
from archive.store.project import Project
from archive.store.sql import chunks, marks
from index.coding_fields import code_names
from index.documents import fold_label
from index.engine.docsets import filter_matching, matching, pass_ahead
from index.engine.paging import PagePicker, Ranked
from index.engine.ranking import Statistics, scores
from index.engine.segments import Segment, SegmentCache, segments
from index.facets import Facets, as_mask, count_facets
from index.query import CodingView, CompiledQuery, compile_query
from index.schema import ID_FIELD
from index.snippets import Snippet, make_snippet
from index.storage import index_build, open_index

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


class ProjectSearch:
    """Searches one project's index. Open once, search many times; each search sees the latest commit.

    ``viewer`` is the coder using the app: in blind mode, coding searches and the code facet are limited
    to that coder's own coding. Texts for snippets are read through ``conn`` (a reader connection of the
    caller's thread), by default the project's own connection, which only its own thread may use.
    """

    def __init__(self, project: Project, *, viewer: str | None = None, conn: sqlite3.Connection | None = None) -> None:
        self.conn: sqlite3.Connection = conn if conn is not None else project.db.conn
        self.viewer = viewer
        self.folder = project.index_path
        self.build = index_build(self.folder)  # read before opening: a rebuild swapped in between is seen next
        self.index = open_index(self.folder)
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
        coding = CodingView(blind_mode(self.conn), self.viewer, code_names(self.conn))
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
        start = (page - 1) * page_size
        total, picker = self._picked(compiled, sort, start + page_size)
        hits = self._hits(picker.page(start), compiled if snippets else None)
        elapsed = (time.perf_counter() - started) * 1000
        return SearchResults(query, sort, total, page, page_size, hits, elapsed)

    def all_hits(self, query: str, *, sort: str = "relevance", include_context: bool = False) -> list[Hit]:
        """Every post matching ``query`` in ``sort`` order, without snippets (for exports)."""
        _check_sort(sort)
        compiled = self.compile(query, include_context=include_context)
        _, picker = self._picked(compiled, sort, sys.maxsize)
        return self._hits(picker.page(0), None)

    def facets(self, query: str, *, limit: int = 10, include_context: bool = False) -> Facets:
        """Top hashtags, authors, languages and codes, and posts per day, of the posts matching ``query``."""
        compiled = self.compile(query, include_context=include_context)
        coder = fold_label(self.viewer) if self.viewer and blind_mode(self.conn) else None
        each = self._each_found(compiled, self._segments())
        found = [(segment, as_mask(docs, segment.size)) for segment, docs in each]
        if coder is None and blind_mode(self.conn):
            return _without_codes(count_facets(self.conn, found, limit))
        return count_facets(self.conn, found, limit, coder)

    # ---- steps ------------------------------------------------------------------------------------------
    def _segments(self) -> list[Segment]:
        """The segments of the latest commit, for one search."""
        return segments(self._fresh_searcher(), self.cache)

    def _each_found(self, compiled: CompiledQuery, found: list[Segment]) -> Iterator[tuple[Segment, set[int]]]:
        """Each segment and the documents of it that match, one segment at a time: what the search kept
        for a segment (its parts' sets, decoded posting blocks) is let go before the next one."""
        self.cache.postings.begin_search()
        pass_ahead(compiled.match, found)
        for segment in found:
            yield segment, matching(compiled.match, segment)
            segment.let_go()

    def _fresh_searcher(self) -> Any:
        build = index_build(self.folder)
        if build != self.build:
            # A rebuild was swapped in. Its generations start again at 1, so up_to_date() may compare
            # equal with the old index's; its stamp never does. Opened first: should that fail, the old
            # searcher stays usable.
            index = open_index(self.folder)
            self.searcher.close()
            self.index, self.build = index, build
            self.searcher = index.searcher()
        elif not self.searcher.up_to_date():
            # A fresh searcher, not Whoosh's refresh(): that reuses the readers of unchanged segments but
            # keeps their old deletions (an updated post would be found twice), and fails on an empty index.
            # What is slow to read again (columns, posting sets) is kept by segment in self.cache.
            self.searcher.close()
            self.searcher = self.index.searcher()
        return self.searcher

    def _picked(self, compiled: CompiledQuery, sort: str, stop: int) -> tuple[int, PagePicker]:
        """The total and the candidates for the first ``stop`` posts in ``sort`` order."""
        scoring = sort == "relevance" and compiled.score is not None
        picker = PagePicker(stop, scoring=scoring, newest_first=sort != "date")
        # When the match requires a scoring word, every post found has one: no need to ask.
        implied = compiled.score is not None and _implied(compiled.score, compiled.match)
        total = 0
        found = self._segments()
        statistics: Statistics | None = None
        for segment, docs in self._each_found(compiled, found):
            total += len(docs)
            if not docs:
                continue
            if not scoring or compiled.score is None:
                picker.add_dated(segment, docs)
                continue
            statistics = statistics or Statistics(found)
            words = docs if implied else filter_matching(compiled.score, segment, docs)
            if words:
                picker.add_scored(segment, words, scores(compiled.leaves, segment, words, statistics))
            if len(words) < len(docs):
                rest = docs - words
                picker.add_dated(segment, rest)
        return total, picker

    def _hits(self, ranked: Ranked, compiled: CompiledQuery | None) -> list[Hit]:
        stored = self.searcher.stored_fields
        hits = [Hit(stored(docnum)[ID_FIELD], score, when) for docnum, score, when in ranked]
        if compiled is not None and hits:
            texts = _texts(self.conn, [hit.id for hit in hits])
            for hit in hits:
                hit.snippet = make_snippet(texts.get(hit.id, ""), compiled.highlight)
        return hits


def _implied(score: wq.Query, match: wq.Query) -> bool:
    """Whether every post matching ``match`` also matches ``score``: ``score`` (or, for an OR of words,
    one of them) is a part that an AND of ``match`` requires."""
    if score == match:
        return True
    if isinstance(match, wq.And) and any(_implied(score, child) for child in match.subqueries):
        return True
    return isinstance(score, wq.Or) and any(_implied(child, match) for child in score.subqueries)


def _texts(conn: sqlite3.Connection, keys: list[str]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for chunk in chunks(keys):
        texts.update(conn.execute(f"SELECT id, text FROM posts WHERE id IN ({marks(len(chunk))})", chunk).fetchall())
    return texts


def _check_sort(sort: str) -> None:
    if sort not in SORTS:
        raise ThreadcoderError(f"unknown sort '{sort}'; use one of {', '.join(SORTS)}")


def _without_codes(facets: Facets) -> Facets:
    """In blind mode without a known coder, the code facet would show other coders' work: leave it out."""
    facets.codes = []
    return facets
