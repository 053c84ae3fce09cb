"""Searching and indexing as jobs on the worker thread (Qt-free).

A search returns the rowids of the posts found, in the search's order, so the posts table can list them
without another query; big results are cut at ``SCOPE_LIMIT`` posts (the total is still exact). Searches
and facets are answered by the project's search process (``app.search_service``). Indexing
keeps the Whoosh index in step with the store: it runs after each import and before a search whenever
posts are queued (codings queue their posts too).
"""

from __future__ import annotations

import importlib
from array import array
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.jobs import Job
from app.search_service import SearchService
from archive.jobs import CancelToken
from archive.store.project import Project

if TYPE_CHECKING:  # Whoosh is imported on the worker thread, when the first job runs
    from index.facets import Facets
    from index.indexer import IndexProgress, IndexSummary

# One search process per open project, kept between searches (opening an index on a million posts and
# reading its columns takes a while). Only jobs of the window's writer runner use it, one at a time.
_services: dict[Path, SearchService] = {}


def _service(folder: Path) -> SearchService:
    if folder not in _services:
        _services[folder] = SearchService(folder)
    return _services[folder]


def close_searches() -> None:
    """Stop the search processes (when a project is closed); the next search starts its own again."""
    while _services:
        _, service = _services.popitem()
        service.stop()


# The post list shows this many hits at once (the total is exact); the rest follow in the background, a
# page of MORE_PAGE at a time. Listing costs the index a stored field per hit: on a million posts,
# 100,000 hits took 2 s more than 10,000, so the first page is small and the later ones large.
SCOPE_LIMIT = 10_000
MORE_PAGE = 100_000
SORT_LABELS = {"relevance": "Best match first", "-date": "Newest first", "date": "Oldest first"}


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    """The posts a query found: all of them counted, the first ``SCOPE_LIMIT`` listed."""

    query: str
    sort: str
    total: int
    rowids: array[int]
    elapsed_ms: float

    @property
    def listed(self) -> int:
        return len(self.rowids)

    def summary(self, listed: int | None = None) -> str:
        """What the search bar says; ``listed``: how many are listed by now, when the rest is still coming."""
        shown = self.listed if listed is None else listed
        found = f"{self.total:,} post" + ("" if self.total == 1 else "s") + " found"
        if shown < self.total:
            found += f"; {shown:,} listed so far, the rest are being listed"
        return f"{found} · {self.elapsed_ms:,.0f} ms"


@dataclass(frozen=True, slots=True)
class MoreHits:
    """A later page of a search's posts: the rowids of page ``page`` of ``page_size``, in the search's order."""

    query: str
    sort: str
    page: int
    page_size: int
    rowids: array[int]


@dataclass(frozen=True, slots=True)
class Busy:
    """Progress of a step whose length is not known."""

    text: str
    fraction: float | None = None


def search_job(folder: Path, query: str, sort: str, viewer: str | None, *, limit: int = SCOPE_LIMIT) -> Job:
    """A job that runs ``query`` on the project's index and returns a SearchOutcome."""

    def job(cancel: CancelToken) -> Generator[Busy, None, SearchOutcome | None]:
        yield Busy(f"Searching for {query}")
        if cancel.cancelled:
            return None
        answer = _service(folder).ask(("search", query, sort, viewer, limit), cancel)
        if answer is None:
            return None
        total, rowids, elapsed_ms = answer
        return SearchOutcome(query, sort, total, rowids, elapsed_ms)

    return job


def more_hits_job(
    folder: Path, query: str, sort: str, viewer: str | None, page: int, page_size: int = MORE_PAGE
) -> Job:
    """A job that reads page ``page`` (from 1) of ``page_size`` posts of a search already shown; MoreHits."""

    def job(cancel: CancelToken) -> Generator[Busy, None, MoreHits | None]:
        yield Busy(f"Listing more posts found by {query}")
        if cancel.cancelled:
            return None
        rowids = _service(folder).ask(("page", query, sort, viewer, page, page_size), cancel)
        return None if rowids is None else MoreHits(query, sort, page, page_size, rowids)

    return job


@dataclass(frozen=True, slots=True)
class FacetCounts:
    """The facets of a search, counted after its posts are listed (they take as long again)."""

    query: str
    facets: Facets


def facets_job(folder: Path, query: str, viewer: str | None) -> Job:
    """A job that counts the facets of ``query``; returns FacetCounts."""

    def job(cancel: CancelToken) -> Generator[Busy, None, FacetCounts | None]:
        yield Busy("Counting hashtags, authors, languages, codes and days")
        facets = _service(folder).ask(("facets", query, viewer), cancel)
        return None if facets is None else FacetCounts(query, facets)

    return job


@dataclass(frozen=True, slots=True)
class IndexStep:
    """Indexing progress as the status bar shows it."""

    progress: IndexProgress

    @property
    def text(self) -> str:
        done, total = self.progress.done, self.progress.total
        if self.progress.phase == "committing":
            return f"Search index: saving ({done:,} of {total:,} posts)"
        return f"Search index: {done:,} of {total:,} posts"

    @property
    def fraction(self) -> float | None:
        return self.progress.done / self.progress.total if self.progress.total else None


def warm_up_job(folder: Path) -> Job:
    """A job that loads the search modules (the query parser, saved searches) on the worker thread and
    starts the project's search process.

    Cold, the modules take from a quarter to most of a second to import; the UI thread needs them to check
    its first query and to list the saved searches, and stalled that long when it imported them itself.
    """

    def job(cancel: CancelToken) -> Generator[Busy, None, None]:
        yield Busy("Loading the search")
        for name in ("index.query", "index.saved"):
            importlib.import_module(name)
        _service(folder).ask(("ping",), cancel)

    return job


def index_job(folder: Path) -> Job:
    """A job that brings the search index up to date: catches up queued posts, or rebuilds when it must."""

    def job(cancel: CancelToken) -> Generator[IndexStep, None, IndexSummary]:
        from index.indexer import IndexSummary, catch_up, check, rebuild
        from index.storage import is_current

        with Project.attach(folder) as project:
            health = check(project)
            if health.state == "ok":
                return IndexSummary("up-to-date")
            steps = (
                catch_up(project, cancel=cancel)
                if health.state == "catch-up" or not is_current(project.index_path)
                else rebuild(project, cancel=cancel)
            )
            while True:
                try:
                    progress = next(steps)
                except StopIteration as stop:
                    summary: IndexSummary = stop.value
                    return summary
                yield IndexStep(progress)

    return job
