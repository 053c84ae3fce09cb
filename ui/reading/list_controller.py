"""The post list and the status line of the open project, read in the background on big projects.

Read-only jobs (the list, the counts, the charts' numbers) run on a runner of their own, so they never wait
behind an import or the indexing that the writer runner is busy with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt

from app.jobs import JobOutcome, JobStatus
from app.list_jobs import PostList, ProjectCounts, counts_job, list_job
from app.posts_query import Column, PostListReader
from archive.errors import ProjectCorruptError
from archive.store.project import Project
from archive.store.stats import project_info
from ui.common.host import WindowHost
from ui.common.job_runner import JobRunner
from ui.reading.posts_model import Order, PostsModel

if TYPE_CHECKING:
    from array import array

    from PySide6.QtWidgets import QLabel, QTableView

    from ui.reading.thread_view import ThreadView

DEFAULT_ORDER: Order = (Column.CREATED, False)  # every post, oldest first, as a conversation reads


class ListHost(WindowHost, Protocol):
    """What the post list needs of the window: its table, thread view and status line."""

    model: PostsModel | None
    runner: JobRunner
    background_lists: bool
    table: QTableView
    thread_view: ThreadView
    status_label: QLabel

    def show_counts(self, info: dict[str, object]) -> None: ...

    def select_row(self, row: int) -> None: ...

    def current_post_id(self) -> str | None: ...


class ReaderSeat(Protocol):
    """What other rooms may ask of the post list: its runner for read-only jobs."""

    @property
    def reader(self) -> JobRunner: ...


class ListController(QObject):
    """Makes the window's PostsModel and keeps the selection sensible when the list changes."""

    def __init__(self, window: ListHost, parent: QObject) -> None:
        super().__init__(parent)
        self.window = window
        self.reader = JobRunner(self, log_file=window.runner.log_file)
        self._keep: str | None = None  # the post to keep selected when the next list arrives (a sort)

    def open(self, project: Project) -> PostsModel:
        """The model of the project's posts (listed now, or in the background on ``background_lists``)."""
        loader = self._load if self.window.background_lists else None
        model = PostsModel(PostListReader(project.db.conn), self.parent(), order=DEFAULT_ORDER, loader=loader)
        header = self.window.table.horizontalHeader()
        header.blockSignals(True)  # the indicator shows the model's order; setting it must not sort again
        header.setSortIndicator(Column.CREATED, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        header.sortIndicatorChanged.connect(self._on_sorted)
        return model

    def close(self) -> None:
        self.reader.shutdown()
        self.window.table.horizontalHeader().sortIndicatorChanged.disconnect(self._on_sorted)

    def count(self) -> None:
        """The status line's figures; on a big project they take seconds, so they come from a job there."""
        project = self.window.project
        if project is None:
            return
        if self.window.background_lists:
            self.window.status_label.setText("Counting posts…")
            self.reader.submit("Count posts", counts_job(project.folder), self._counted)
        else:  # a small project: checking and counting take milliseconds
            try:
                project.check_integrity()
            except ProjectCorruptError as error:
                self.window.warn(f"{error}\n\nCopy the project folder before you go on working.")
            self.window.show_counts(project_info(project.db))

    def _load(self, token: int, order: Order | None, coder_id: int | None, scope: array[int] | None) -> None:
        project = self.window.project
        if project is not None:
            self.reader.submit("List posts", list_job(project.folder, token, order, coder_id, scope), self._listed)

    def keep_selection(self) -> None:
        """When the next list arrives (a new order, an import), stay on the post selected now."""
        self._keep = self.window.current_post_id()

    def _on_sorted(self, _column: int, _order: Qt.SortOrder) -> None:
        self.keep_selection()

    def _listed(self, outcome: JobOutcome) -> None:
        model = self.window.model
        if outcome.status is JobStatus.FAILED:
            self.window.notify(outcome.message, 15_000)
        elif isinstance(outcome.result, PostList) and model is not None:
            model.set_list(outcome.result.token, outcome.result.rowids, outcome.result.first_page)

    def _counted(self, outcome: JobOutcome) -> None:
        if outcome.status is JobStatus.FAILED:
            self.window.notify(outcome.message, 15_000)
        elif isinstance(outcome.result, ProjectCounts):
            self.window.show_counts(outcome.result.info)
            if outcome.result.problem:
                self.window.warn(f"{outcome.result.problem}\n\nCopy the project folder before you go on working.")

    def on_listed(self) -> None:
        """A new list is on screen: select the post kept across a sort, else the first one.

        Connected after the view has the model, so it runs after the view has reset its own selection.
        """
        model, keep, self._keep = self.window.model, self._keep, None
        if model is None or model.rowCount() == 0:
            self.window.thread_view.show_post(None)
            self.window.thread_view.header.setText(
                "No posts are listed. Import an archive (File › Import…)."
                if model is None or model.scope is None
                else "The search found no posts. Change it, or show all posts."
            )
            return
        row = model.row_of(keep) if keep else None
        self.window.select_row(row if row is not None else 0)
