"""Search in the window: the query checked at once, the index caught up, results and facets shown, searches kept."""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QInputDialog, QWidget

from app import saved_searches
from app.jobs import JobOutcome, JobStatus
from app.posts_query import Column
from app.search_run import (
    MORE_PAGE,
    SCOPE_LIMIT,
    FacetCounts,
    MoreHits,
    SearchOutcome,
    close_searches,
    facets_job,
    index_job,
    more_hits_job,
    search_job,
    warm_up_job,
)
from archive.coding.blind import blind_mode
from archive.errors import ThreadcoderError
from ui.common.host import WindowHost
from ui.common.job_runner import JobRunner
from ui.reading.list_controller import DEFAULT_ORDER
from ui.search.search_history import RecentSearches

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QDockWidget, QTableView

    from index.errors import QuerySyntaxError
    from ui.coding.coding_controller import CoderSeat
    from ui.reading.highlight_delegate import HighlightDelegate
    from ui.reading.posts_model import PostsModel
    from ui.search.facets_panel import FacetsPanel
    from ui.search.search_bar import SearchBar

SEARCH_TITLE = "Search"
MORE_TITLE = "Listing the search's posts"
FACETS_TITLE = "Filters"
FILTERS_WIDTH = 210  # the Filters panel's first width: values elide, the post list keeps its text
INDEX_TITLE = "Search index"


class SearchHost(WindowHost, Protocol):
    """What searching needs of the window: the search bar, the Filters panel, the post list, the coder."""

    model: PostsModel | None
    runner: JobRunner
    settings: QSettings
    search_bar: SearchBar
    facets: FacetsPanel
    facets_dock: QDockWidget
    highlight: HighlightDelegate
    table: QTableView
    auto_index: bool

    @property
    def coding(self) -> CoderSeat: ...

    def resizeDocks(self, docks: Sequence[QDockWidget], sizes: Sequence[int], orientation: Qt.Orientation) -> None: ...


class SearchController(QObject):
    """Runs searches through the window's job runner (after any indexing it needs) and lists what they find."""

    def __init__(self, window: SearchHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = window
        self._parent = parent
        self.last: SearchOutcome | None = None
        self._listed = 0  # posts of the last search listed so far (the rest arrive a page at a time)
        self.first_page, self.more_page = SCOPE_LIMIT, MORE_PAGE
        self.recent: RecentSearches | None = None
        self._filters_sized = False
        window.search_bar.search_requested.connect(self.search)
        window.search_bar.cleared.connect(self.show_all)
        window.facets.filter_chosen.connect(window.search_bar.add_filter)
        menu = window.search_bar.menu
        menu.aboutToShow.connect(self.fill_menu)
        menu.save_requested.connect(self.save_current)
        menu.delete_requested.connect(self.delete_saved)
        menu.clear_requested.connect(self.clear_recent)

    @property
    def viewer(self) -> str | None:
        session = self.window.coding.session
        return session.coder.name if session is not None else None

    def start(self) -> None:
        """A project was opened: bring its index up to date in the background (writable projects only)."""
        self.last = None
        self.window.highlight.highlight = None
        self.window.facets.show_facets(None)
        project = self.window.project
        if project is None:
            return
        self.recent = RecentSearches(self.window.settings, project.folder)
        if self.window.auto_index:
            self.window.runner.submit(INDEX_TITLE, warm_up_job(project.folder), self._indexed)  # read-only too
            self.catch_up(always=True)

    def catch_up(self, *, always: bool = False) -> None:
        """Queue an indexing job when posts are waiting for the index (or, with ``always``, to check it)."""
        project = self.window.project
        if project is None or not project.writable:
            return
        if not always:
            from index.storage import is_current

            waiting = project.db.conn.execute("SELECT EXISTS (SELECT 1 FROM index_queue)").fetchone()[0]
            if not waiting and is_current(project.index_path):
                return
        self.window.runner.submit(INDEX_TITLE, index_job(project.folder), self._indexed)

    def search(self, query: str, sort: str = "relevance") -> bool:
        """Check the query here (errors show at once), then run it after any indexing it needs."""
        from index.coding_fields import code_names
        from index.errors import QuerySyntaxError
        from index.query import CodingView, compile_query

        project = self.window.project
        if project is None:
            return False
        try:
            coding = CodingView(blind_mode(project.db.conn), self.viewer, code_names(project.db.conn))
            compiled = compile_query(query, coding=coding)
        except QuerySyntaxError as error:
            self._show_mistake(error)
            return False
        if self.recent is not None:
            self.recent.add(query, sort)
        self.window.highlight.highlight = compiled.highlight
        self.catch_up()
        job = search_job(project.folder, query, sort, self.viewer, limit=self.first_page)
        self.window.runner.submit(SEARCH_TITLE, job, self._searched)
        self.window.runner.submit(FACETS_TITLE, facets_job(project.folder, query, self.viewer), self._counted)
        return True

    def _show_mistake(self, error: QuerySyntaxError) -> None:
        self.window.search_bar.show_result(f"{error.message} (at character {error.position + 1})", error=True)
        self.window.search_bar.edit.setCursorPosition(error.position)
        self._list_nothing()

    def _list_nothing(self) -> None:
        """A query that could not run lists nothing: the last search's posts under its error would pass
        for that query's results."""
        self.last = None
        self.window.highlight.highlight = None
        self.window.facets.show_facets(None)
        model = self.window.model
        if model is not None:
            model.set_scope(array("q"), None)

    def stop(self) -> None:
        """The project is closing (its jobs have stopped): let go of its index."""
        self.last = None
        self.recent = None
        close_searches()

    # Recent and saved searches ----------------------------------------------------------------------------------

    def fill_menu(self) -> None:
        """List the recent searches and the project's saved ones (read afresh: the CLI may have saved one)."""
        project = self.window.project
        saved, problem = [], ""
        if project is not None:
            try:
                saved = saved_searches.list_saved(project)
            except ThreadcoderError as error:
                problem = f"Saved searches: {error}"
        self.window.search_bar.menu.fill(
            self.recent.entries() if self.recent is not None else [],
            saved,
            save_hint=self._why_not_save(),
            saved_problem=problem,
            writable=project is not None and project.writable,
        )

    def _why_not_save(self) -> str | None:
        if self.window.project is None:
            return "Open a project first"
        if not self.window.project.writable:
            return (
                "This project is open read-only (another window is writing it), so searches cannot be saved "
                "in it; recent searches are still kept"
            )
        if not self.window.search_bar.edit.text().strip():
            return "Type a search first; saving keeps it under a name"
        return None

    def ask_name(self, query: str) -> str | None:
        """The name to save ``query`` under (a dialog; tests replace it)."""
        name, accepted = QInputDialog.getText(self._parent, "Save search", f"Save “{query}” as:", text=query[:40])
        return name.strip() if accepted and name.strip() else None

    def save_current(self) -> None:
        """Save the query in the bar, with its order, in the project: the store `threadcoder search --saved` reads."""
        from index.errors import QuerySyntaxError

        project, bar = self.window.project, self.window.search_bar
        query = bar.edit.text().strip()
        if project is None or self._why_not_save() is not None or (name := self.ask_name(query)) is None:
            return
        try:
            taken = {entry.name.casefold() for entry in saved_searches.list_saved(project)}
            if name.casefold() in taken and not self.window.confirm(f"Replace the saved search “{name}”?", "Replace"):
                return
            saved_searches.save(project, name, query, str(bar.sort.currentData()))
        except QuerySyntaxError as error:
            self._show_mistake(error)
            return
        except ThreadcoderError as error:
            self.window.warn(f"The search could not be saved.\n\n{error}")
            return
        self.window.notify(f"Saved the search “{name}”.", 8000)

    def delete_saved(self, name: str) -> None:
        project = self.window.project
        if (
            project is None
            or not project.writable
            or not self.window.confirm(
                f"Delete the saved search “{name}” from the project? It is deleted for everyone who opens it.", "Delete"
            )
        ):
            return
        try:
            saved_searches.delete(project, name)
        except ThreadcoderError as error:
            self.window.warn(f"The search could not be deleted.\n\n{error}")
            return
        self.window.notify(f"Deleted the saved search “{name}”.", 8000)

    def clear_recent(self) -> None:
        if self.recent is not None:
            self.recent.clear()

    def _indexed(self, outcome: JobOutcome) -> None:
        if outcome.status is JobStatus.FAILED:
            message = f"The search index could not be updated: {outcome.message}"
            self.window.search_bar.show_result(message, error=True)

    def _counted(self, outcome: JobOutcome) -> None:
        result = outcome.result
        if isinstance(result, FacetCounts) and self.last is not None and result.query == self.last.query:
            self.window.facets.show_facets(result.facets)
            self._update_completion(result)

    def _searched(self, outcome: JobOutcome) -> None:
        if outcome.status is JobStatus.FAILED:
            self.window.search_bar.show_result(outcome.message, error=True)
            self._list_nothing()
        elif isinstance(outcome.result, SearchOutcome):
            self.show(outcome.result)

    def show(self, outcome: SearchOutcome) -> None:
        self.last = outcome
        self._listed = outcome.listed
        self._list(outcome, None)
        self.window.search_bar.show_result(outcome.summary(), error=False)
        self.window.facets.show_facets(None)  # counted next, by their own job
        self._show_filters()
        if outcome.listed < outcome.total:
            self._ask_more(outcome, 1)

    def _ask_more(self, outcome: SearchOutcome, page: int) -> None:
        """List the rest of a big result a page at a time, each page a job of its own, so whatever else
        the researcher asks for meanwhile runs between pages."""
        project = self.window.project
        if project is not None:
            job = more_hits_job(project.folder, outcome.query, outcome.sort, self.viewer, page, self.more_page)
            self.window.runner.submit(MORE_TITLE, job, self._got_more)

    def _got_more(self, outcome: JobOutcome) -> None:
        more, last = outcome.result, self.last
        if not isinstance(more, MoreHits) or last is None or (more.query, more.sort) != (last.query, last.sort):
            return  # another search (or none) is shown now: this one's rest is no longer wanted
        model = self.window.model
        new = more.rowids[self._listed - (more.page - 1) * more.page_size :]
        if model is None or model.scope is None or not new:
            return
        model.extend_scope(new)
        self._listed += len(new)
        self.window.search_bar.show_result(last.summary(self._listed), error=False)
        if self._listed < last.total and len(more.rowids) == more.page_size:
            self._ask_more(last, more.page + 1)

    def _show_filters(self) -> None:
        """Show the Filters panel; the first time, narrow enough to leave the post list's text readable at
        1280 pixels (its own width then is the user's)."""
        dock = self.window.facets_dock
        if dock.isVisible():
            return
        dock.show()
        if not self._filters_sized:
            self.window.resizeDocks([dock], [FILTERS_WIDTH], Qt.Orientation.Horizontal)
            self._filters_sized = True

    def show_list(self, rowids: array[int], text: str) -> None:
        """List given posts (a sample, the coder's assignments) in their order, with a line saying what they are."""
        self.last = None
        self.window.highlight.highlight = None
        self.window.facets.show_facets(None)
        self.window.search_bar.edit.clear()
        self.window.search_bar.show_result(f"{text} · Show all posts to go back", error=False)
        self.window.search_bar.clear_button.setEnabled(True)
        if self.window.model is not None:
            self.window.model.set_scope(rowids)  # the first post is selected when the list is on screen

    def show_all(self) -> None:
        """Every collected post again, oldest first."""
        self.last = None
        self.window.highlight.highlight = None
        self.window.facets.show_facets(None)
        self._list(None, DEFAULT_ORDER)

    def _list(self, outcome: SearchOutcome | None, order: tuple[Column, bool] | None) -> None:
        model = self.window.model
        if model is None:
            return
        header = self.window.table.horizontalHeader()
        header.blockSignals(True)  # the indicator follows the list; setting it must not sort it again
        if order is None:
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        else:
            header.setSortIndicator(order[0], Qt.SortOrder.DescendingOrder if order[1] else Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        header.viewport().update()
        model.set_scope(outcome.rowids if outcome is not None else None, order)

    def _update_completion(self, counted: FacetCounts) -> None:
        words = [f'code:"{name}"' for name in self.window.coding.code_names()]
        words += [f"#{tag}" for tag, _ in counted.facets.hashtags]
        words += [f"@{handle}" for handle, _ in counted.facets.authors]
        words += ["is:reply", "is:quote", "is:repost", "is:coded", "is:uncoded", "has:media", "has:link"]
        self.window.search_bar.edit.set_words(words)
