"""The main window: opens one project as its writer, and assembles the posts table, import and job progress."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.import_plan import PlannedInput
from app.import_run import ImportReport, import_plan
from app.jobs import JobOutcome, JobStatus
from app.status_text import status_details, status_text
from app.thread_data import ThreadReader
from archive.errors import ProjectLockedError, ThreadcoderError
from archive.store.project import DB_NAME, Project
from ui.coding.coding_controller import CodingController
from ui.coding.coding_panel import CodingPanel
from ui.coding.packages import PackageActions
from ui.common.job_runner import JobRunner, outcome_text
from ui.common.notice import Notice
from ui.common.progress_panel import ProgressPanel
from ui.importing.import_dialog import ImportDialog
from ui.importing.import_report_dialog import ImportReportDialog
from ui.reading.highlight_delegate import HighlightDelegate
from ui.reading.list_controller import ListController
from ui.reading.posts_model import Column, PostIdRole, PostsModel
from ui.reading.thread_view import ThreadView
from ui.search.facets_panel import FacetsPanel
from ui.search.search_bar import SearchBar
from ui.search.search_controller import SearchController
from ui.window.main_menus import MainMenus
from ui.window.preferences import apply_font_size, font_size
from ui.window.recent_projects import RecentProjects
from ui.window.welcome import WelcomePage
from ui.window.window_dialogs import WindowDialogs

WINDOW_TITLE = "Threadcoder"
PROJECT_SUFFIX = ".threadcoder"


class MainWindow(QMainWindow):
    """One project at a time, opened for writing (or read-only when another process is writing it)."""

    #: Check and catch up the search index when a project opens (tests of other things turn it off).
    auto_index = True
    #: List posts and count them in the background (a million posts take seconds); tests list at once.
    background_lists = True

    def __init__(
        self,
        settings: QSettings | None = None,
        *,
        csv_presets: Path | None = None,
        log_file: Path | None = None,
        make_demo: Callable[[], Path] | None = None,
        starter_codebooks: dict[str, Path] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings if settings is not None else QSettings()
        apply_font_size(font_size(self.settings))
        self.recent = RecentProjects(self.settings)
        self.csv_presets = csv_presets
        self._make_demo = make_demo
        self.starter_codebooks = dict(starter_codebooks or {})
        self.project: Project | None = None
        self.model: PostsModel | None = None
        self.report_dialog: ImportReportDialog | None = None
        self.runner = JobRunner(self, log_file=log_file)
        self.runner.unrouted.connect(self._on_job_finished)
        self.welcome = WelcomePage(offer_demo=make_demo is not None, parent=self)
        self.table = self._make_table()
        self.highlight = HighlightDelegate(self.table)
        self.table.setItemDelegateForColumn(Column.TEXT, self.highlight)
        self.search_bar = SearchBar(self)
        self.facets = FacetsPanel(self)
        self.facets_dock = self._make_facets_dock()
        self.thread_view = ThreadView(self)
        self.coding_panel = CodingPanel(self)
        self.coding: CodingController = CodingController(self, self)
        self.search: SearchController = SearchController(self, self)
        self.dialogs: WindowDialogs = WindowDialogs(self, self)
        self.lists: ListController = ListController(self, self)
        self.packages: PackageActions = PackageActions(self, self)
        self.thread_view.post_selected.connect(self.coding_panel.set_post)
        self.thread_view.post_selected.connect(self._follow_thread)
        self._following_thread = False  # the list's selection is being set to the thread's post
        self.workspace = self._make_workspace()
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(self.workspace)
        self.setCentralWidget(self.pages)
        self.notice = Notice(self)
        self.statusBar().addWidget(self.notice, 1)
        self.status_label = QLabel("No project open.", self)
        self.statusBar().addPermanentWidget(self.status_label)
        self.progress = ProgressPanel(self.runner, self)
        self.statusBar().addPermanentWidget(self.progress)
        self.menus: MainMenus = MainMenus(self)
        self._connect_welcome()
        self._show_project_state()
        self.resize(1280, 800)

    @property
    def read_only(self) -> bool:
        return self.project is not None and not self.project.writable

    # Projects -------------------------------------------------------------------------------------------------

    def open_project(self, folder: Path, *, create: bool = False) -> bool:
        """Open ``folder`` for writing; a problem is shown as a message, never raised."""
        folder = Path(folder)
        try:
            project = self._open(folder, create)
        except (ThreadcoderError, OSError) as error:
            self.warn(f"Cannot open the project.\n\n{error}")
            return False
        if project is None:
            return False
        self.close_project()
        self.project = project
        self.thread_view.set_reader(ThreadReader(project.db.conn))
        self.model = self.lists.open(project)
        self.table.setModel(self.model)
        self.model.modelReset.connect(self.lists.on_listed)
        self.table.selectionModel().currentRowChanged.connect(self._on_post_changed)
        self._size_columns()
        self.recent.add(folder)
        self._show_project_state()
        self.lists.count()
        self.search.start()  # first: indexing and the search process need no answer from the coder
        self.coding.start()
        self.lists.on_listed()  # the first post, or what to do when there is none
        return True

    def _open(self, folder: Path, create: bool) -> Project | None:
        try:
            # quick_check reads the whole file (seconds at a million posts): the counts job runs it instead.
            return Project(folder, writable=True, create=create, check=False)
        except ProjectLockedError as error:
            question = (
                f"{error}.\n\nYou can open it read-only to read and search it; importing and coding "
                "need the project to be closed in the other window first."
            )
            if not self.confirm(question, yes="Open read-only"):
                return None
            return Project(folder, writable=False, check=False)

    def new_project(self, folder: Path) -> bool:
        """Create a project in ``folder`` (``.threadcoder`` is added to a bare name) and open it."""
        if folder.suffix != PROJECT_SUFFIX:
            folder = folder.with_name(folder.name + PROJECT_SUFFIX)
        if folder.exists() and any(folder.iterdir()) and not (folder / DB_NAME).exists():
            self.warn(f"{folder} already exists and holds other files; choose another name.")
            return False
        return self.open_project(folder, create=True)

    def close_project(self) -> None:
        self.notice.clear()
        if self.project is None:
            return
        self.runner.shutdown()
        self.search.stop()
        self.lists.close()
        self.coding_panel.save_memo()
        self.coding.stop()
        self.thread_view.set_reader(None)
        self.table.setModel(None)
        if self.model is not None:
            self.model.deleteLater()
        self.model = None
        self.project.close()
        self.project = None
        self._show_project_state()

    def refresh(self) -> None:
        """Read the project again after it changed underneath (an import)."""
        if self.project is None or self.model is None:
            return
        self.lists.keep_selection()
        self.model.reload()
        self.lists.count()

    def current_post_id(self) -> str | None:
        """The post selected in the posts table."""
        index = self.table.currentIndex()
        return index.data(PostIdRole) if index.isValid() else None

    def select_row(self, row: int) -> None:
        """Select a row of the posts table (its thread shows)."""
        if self.model is not None and 0 <= row < self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(row, Column.TEXT))
            self.table.scrollTo(self.table.currentIndex())

    def focus_search(self) -> None:
        self.search_bar.edit.setFocus()
        self.search_bar.edit.selectAll()

    def step_post(self, delta: int) -> None:
        """Move ``delta`` rows down (up when negative) in the posts table."""
        self.select_row(max(0, self.table.currentIndex().row() + delta))

    def go_to_uncoded(self, forward: bool = True) -> None:
        """Select the nearest post after (or before) the current one that the coder has not marked as coded."""
        if self.model is None:
            return
        row = self.model.uncoded_row(self.table.currentIndex().row(), forward)
        if row is None:
            where = "after" if forward else "before"
            self.notify(f"Every post {where} this one is coded (by you) in this list.", 8000)
            return
        self.select_row(row)

    def go_to_post(self, post_id: str) -> None:
        """Select ``post_id`` in the table, or at least show its thread when the table does not list it."""
        row = self.model.row_of(post_id) if self.model is not None else None
        if row is not None and row != self.table.currentIndex().row():
            self.select_row(row)
        else:
            self.thread_view.show_post(post_id)

    def _on_post_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._following_thread:
            return  # the thread already shows this post: opening it again would lose the reader's place
        self.thread_view.show_post(current.data(PostIdRole) if current.isValid() else None)

    def _follow_thread(self, post_id: str) -> None:
        """Keep the list in step with the thread: the post read there is the one marked here.

        A reply the list does not hold leaves no other post marked (the coding panel codes the reply).
        """
        row = self.model.row_of(post_id) if self.model is not None else None
        if row is None:
            self.table.selectionModel().clearSelection()
            return
        if row == self.table.currentIndex().row():
            return
        self._following_thread = True
        try:
            self.select_row(row)
        finally:
            self._following_thread = False

    def choose_new_project(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "New project: choose where and a name", "", f"Threadcoder projects (*{PROJECT_SUFFIX})"
        )
        if name and self.new_project(Path(name)):
            self.show_import_dialog()

    def choose_project(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a Threadcoder project (a folder ending in .threadcoder)")
        if folder:
            self.open_project(Path(folder))

    def open_demo(self) -> None:
        if self._make_demo is None:
            return
        self.close_project()  # making the demo replaces its folder, which may be the project open here
        try:
            folder = self._make_demo()
        except (ThreadcoderError, OSError) as error:
            self.warn(f"Cannot make the demo project.\n\n{error}")
            return
        self.open_project(folder)

    # Import ---------------------------------------------------------------------------------------------------

    def show_import_dialog(self, paths: Sequence[Path] = ()) -> None:
        if self.project is None or not self._require_writable("import"):
            return
        dialog = ImportDialog(self.project.folder.name, self.csv_presets, self)
        dialog.add_paths(list(paths))
        if dialog.exec() == ImportDialog.DialogCode.Accepted:
            self.start_import(dialog.inputs(), force=dialog.force)

    def start_import(self, plan: Sequence[PlannedInput], *, force: bool = False) -> None:
        """Import ``plan`` on the worker thread; the report opens when it ends."""
        if self.project is None or not plan or not self._require_writable("import"):
            return
        job = import_plan(self.project.folder, plan, force=force)
        self.runner.submit(f"Import into {self.project.folder.name}", job, self._imported)

    def _imported(self, outcome: JobOutcome) -> None:
        self.refresh()
        if isinstance(outcome.result, ImportReport):
            self.search.catch_up()
            self.show_report(outcome.result)
            self.notify(outcome.result.headline(), 15_000)
        else:
            self._on_job_finished(outcome)

    def _on_job_finished(self, outcome: JobOutcome) -> None:
        """A job submitted without a handler of its own: say how it ended."""
        self.refresh()
        if outcome.status is JobStatus.FAILED:
            self.warn(outcome_text(outcome))
        else:
            self.notify(outcome_text(outcome), 10_000)

    def show_report(self, report: ImportReport) -> None:
        if self.report_dialog is not None:
            self.report_dialog.close()
        self.report_dialog = ImportReportDialog(report, self)
        self.report_dialog.show()

    # Messages, overridable in tests -----------------------------------------------------------------------------

    def notify(self, text: str, timeout_ms: int = 10_000, *, path: Path | None = None) -> None:
        """Say what happened in the status bar; ``path``: a file written, with a button to its folder."""
        self.notice.show_message(text, timeout_ms, path=path)

    def ask_text(self, title: str, label: str) -> str | None:
        """A line of text from the user, or None when they cancel."""
        text, ok = QInputDialog.getText(self, title, label)
        return text if ok else None

    def warn(self, text: str) -> None:
        QMessageBox.warning(self, WINDOW_TITLE, text)

    def confirm(self, text: str, yes: str = "OK") -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, WINDOW_TITLE, text, QMessageBox.StandardButton.Cancel, self)
        accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.exec()
        return box.clickedButton() is accept

    def _require_writable(self, what: str) -> bool:
        if self.read_only:
            self.warn(
                f"This project is open read-only, so you cannot {what} here. Close it in the other "
                "Threadcoder window, then open it again."
            )
            return False
        return True

    # Layout -----------------------------------------------------------------------------------------------------

    def _make_workspace(self) -> QSplitter:
        """The post list above the thread, the coding panel on the right."""
        listing = QWidget(self)
        column = QVBoxLayout(listing)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.search_bar)
        column.addWidget(self.table, 1)
        reading = QSplitter(Qt.Orientation.Vertical, self)
        reading.addWidget(listing)
        reading.addWidget(self.thread_view)
        reading.setSizes([300, 460])
        workspace = QSplitter(self)
        workspace.addWidget(reading)
        workspace.addWidget(self.coding_panel)
        workspace.setSizes([900, 380])
        workspace.setStretchFactor(0, 1)
        return workspace

    def _make_facets_dock(self) -> QDockWidget:
        dock = QDockWidget("Filters", self)
        dock.setObjectName("filters")
        dock.setWidget(self.facets)
        dock.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        dock.hide()  # shown with the first search's counts
        return dock

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(24)
        table.setSortingEnabled(True)  # a header click re-runs the list's query in that order
        return table

    def show_counts(self, info: dict[str, object]) -> None:
        """The status line's figures; one platform hides the Platform column (it would say nothing)."""
        if self.project is not None:
            self.status_label.setText(status_text(info))
            self.status_label.setToolTip(status_details(info))
            platforms = info.get("platforms")
            self.table.setColumnHidden(Column.PLATFORM, not isinstance(platforms, dict) or len(platforms) < 2)

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        header.setSectionResizeMode(Column.TEXT, QHeaderView.ResizeMode.Stretch)
        date_width = self.table.fontMetrics().horizontalAdvance("2017-10-16 19:00:00") + 16
        for column, width in (
            (Column.CREATED, date_width),
            (Column.AUTHOR, 130),
            (Column.CODED, 80),
            (Column.TYPE, 56),
            (Column.LANG, 44),
        ):
            self.table.setColumnWidth(column, width)
        self.table.setColumnHidden(Column.PLATFORM, True)  # until the counts say there are several

    def _connect_welcome(self) -> None:
        self.welcome.new_requested.connect(self.choose_new_project)
        self.welcome.open_requested.connect(self.choose_project)
        self.welcome.demo_requested.connect(self.open_demo)
        self.welcome.recent_chosen.connect(self.open_project)

    def _show_project_state(self) -> None:
        project = self.project
        self.menus.update(project_open=project is not None, writable=project is not None and project.writable)
        if project is None:
            self.welcome.set_recent(self.recent.paths())
            self.pages.setCurrentWidget(self.welcome)
            self.status_label.setText("No project open.")
            self.setWindowTitle(WINDOW_TITLE)
            return
        self.pages.setCurrentWidget(self.workspace)
        mode = " (read-only)" if not project.writable else ""
        self.setWindowTitle(f"{project.folder.name}{mode} — {WINDOW_TITLE}")

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.runner.busy and not self.confirm(
            f"{self.runner.current_title} is still running. Stop it and close? What was done so far is kept; "
            "importing the same files again finishes the import.",
            yes="Stop and close",
        ):
            event.ignore()
            return
        self.close_project()
        super().closeEvent(event)
