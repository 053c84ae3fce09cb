"""Searches answered by a separate process, so that the window never waits for one (Qt-free).

A search over a million posts builds sets of hundreds of thousands of posts. Run on a thread of the
window's process, its long C calls (a set operation, a sort) held the interpreter lock for up to 180 ms
at a time, freezing the window, and the memory it used stayed with the window. A ``SearchService`` starts
one child process per project (``spawn``: no Qt, no inherited locks) that opens the index once and
answers requests over a pipe; the job thread that asks waits on the pipe without holding the lock.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import multiprocessing
import sys
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from archive.errors import ThreadcoderError
from archive.jobs import CancelToken
from archive.lean_imports import leave_out_pandas

POLL_SECONDS = 0.05  # how often a waiting job looks at its cancel token
STOP_SECONDS = 5.0


class SearchProcessError(RuntimeError):
    """The search process failed in a way that is a bug (its traceback is in the message, for the log)."""


class SearchService:
    """Asks one project's search process; starts it when first asked and again after it stopped."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._process: Any = None
        self._conn: Connection | None = None

    def ask(self, request: tuple[Any, ...], cancel: CancelToken | None = None) -> Any:
        """The answer to ``request`` (see ``answer``); None when cancelled, which stops the process."""
        if cancel is not None and cancel.cancelled:
            return None
        conn = self._start()
        try:
            conn.send(request)
            while not conn.poll(POLL_SECONDS):
                if cancel is not None and cancel.cancelled:
                    self.stop(force=True)  # it would go on with the search it was given: start afresh next time
                    return None
                if not self._process.is_alive():
                    raise EOFError
            kind, value = conn.recv()
        except (EOFError, OSError) as error:
            self.stop(force=True)
            raise ThreadcoderError("the search process stopped unexpectedly; search again") from error
        if kind == "refused":
            raise ThreadcoderError(value)
        if kind == "failed":
            raise SearchProcessError(value)
        return value

    def stop(self, *, force: bool = False) -> None:
        """End the process: ask it to close (it finishes the request it is on first) or, with ``force``,
        terminate it at once; it holds nothing that needs saving."""
        if self._conn is not None:
            if not force:
                with contextlib.suppress(OSError):  # the process has already gone
                    self._conn.send(("close",))
            self._conn.close()
            self._conn = None
        if self._process is not None:
            if force:
                self._process.terminate()
            self._process.join(STOP_SECONDS)
            if self._process.is_alive():
                self._process.terminate()
                self._process.join(STOP_SECONDS)
            self._process = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def _start(self) -> Connection:
        if self._conn is not None and self.running:
            return self._conn
        self.stop()
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        self._process = context.Process(
            target=serve, args=(str(self.folder), theirs), name="threadcoder-search", daemon=True
        )
        self._process.start()
        theirs.close()
        self._conn = ours
        return ours


def serve(folder: str, conn: Connection) -> None:
    """The search process: open the project read-only and its index at the first request that needs them,
    so that a reason not to (no index yet, an unreadable project) is answered, not lost; answer until told
    to close or until the window's process has gone."""
    leave_out_pandas()
    opened: list[Any] = []  # the Project, then the ProjectSearch
    try:
        while True:
            try:
                request = conn.recv()
            except EOFError:
                return
            if request[0] == "close":
                return
            conn.send(_reply(folder, opened, request))
            give_back_memory()
    finally:
        for resource in reversed(opened):
            resource.close()


def give_back_memory() -> None:
    """Return the heap a search freed to the operating system (glibc keeps it otherwise: after a search of
    700,000 posts the process held 346 MB, 221 MB after this). Elsewhere the allocator decides alone."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        return libc if hasattr(libc, "malloc_trim") else None  # glibc only (musl has none)
    except OSError:
        return None


def _reply(folder: str, opened: list[Any], request: tuple[Any, ...]) -> tuple[str, Any]:
    try:
        if request[0] == "ping":
            return "answer", True
        if not opened:
            from archive.store.project import Project

            opened.append(Project.attach(Path(folder), writable=False, shared=True))
        if len(opened) == 1:
            from index.search import ProjectSearch

            opened.append(ProjectSearch(opened[0]))
        return "answer", answer(opened[0], opened[1], request)
    except ThreadcoderError as error:
        return "refused", str(error)
    except Exception as error:  # a bug: reported to the window, which logs it with this traceback
        return "failed", f"{type(error).__name__}: {error}\n{traceback.format_exc()}"


def answer(project: Any, search: Any, request: tuple[Any, ...]) -> Any:
    """``("search", query, sort, viewer, limit)``: (total, rowids, elapsed ms) of the first ``limit``
    posts found; ``("page", query, sort, viewer, page, page_size)``: the rowids of that page;
    ``("facets", query, viewer)``: the query's Facets. (``("ping",)`` is answered True.)"""
    from app.posts_query import rowids_of

    kind = request[0]
    if kind == "search":
        _, query, sort, viewer, limit = request
        search.viewer = viewer  # the coder at the window now (blind mode limits coding searches to them)
        results = search.search(query, sort=sort, page=1, page_size=limit, snippets=False)
        return results.total, rowids_of(project.db.conn, [hit.id for hit in results.hits]), results.elapsed_ms
    if kind == "page":
        _, query, sort, viewer, page, page_size = request
        search.viewer = viewer
        results = search.search(query, sort=sort, page=page, page_size=page_size, snippets=False)
        return rowids_of(project.db.conn, [hit.id for hit in results.hits])
    if kind == "facets":
        _, query, viewer = request
        search.viewer = viewer
        return search.facets(query)
    raise ThreadcoderError(f"unknown search request {kind!r}")
