"""The window's secondary dialogs: charts, samples, adjudication, preferences and help (each opened from a menu)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from app.chart_data import ChartData, chart_job
from app.doctor import doctor_job
from app.jobs import JobOutcome, JobStatus
from app.posts_query import rowids_of
from archive.coding.assignments import assigned_posts
from archive.coding.blind import blind_mode
from archive.coding.samples import Sample, list_samples, sample_posts
from archive.export.context import ExportResult
from archive.export.options import ExportOptions
from ui.adjudication.adjudication_dialog import AdjudicationDialog, AdjudicationHost
from ui.coding.codebook_editor import CodebookEditor
from ui.coding.coders_dialog import CodersDialog
from ui.coding.coding_controller import CoderSeat
from ui.coding.sample_models import draw_job
from ui.coding.samples_dialog import SamplesDialog
from ui.common.host import WindowHost
from ui.common.job_runner import JobRunner
from ui.exporting.export_dialog import ExportDialog, export_run, result_text
from ui.reading.list_controller import ReaderSeat
from ui.reports.charts_dialog import ChartsDialog
from ui.window.doctor_dialog import DoctorDialog
from ui.window.help_dialog import HelpDialog, search_help_html, shortcuts_html
from ui.window.preferences import PreferencesDialog

if TYPE_CHECKING:
    from array import array

    from PySide6.QtCore import QSettings

    from app.search_run import SearchOutcome
    from ui.reading.posts_model import PostsModel

CHARTS_TITLE = "Charts"
DOCTOR_TITLE = "Check project"
DRAW_TITLE = "Draw sample"
EXPORT_TITLE = "Export"


class _SearchSeat(Protocol):
    """What the dialogs need of searching: the last search, and listing given posts."""

    @property
    def last(self) -> SearchOutcome | None: ...

    def show_list(self, rowids: array[int], text: str) -> None: ...


class _CodingSwitches(CoderSeat, Protocol):
    """What the dialogs need of coding: the coder, and switching coders, blind mode and the Edit menu."""

    def update_actions(self) -> None: ...

    def stop(self) -> None: ...

    def set_coder(self, coder_id: int) -> None: ...

    def set_blind(self, on: bool) -> None: ...


class _CodebookView(Protocol):
    def reload_codebook(self) -> None: ...


class DialogsHost(WindowHost, AdjudicationHost, Protocol):
    """What the secondary dialogs need of the window (besides a parent widget)."""

    model: PostsModel | None
    runner: JobRunner
    settings: QSettings

    @property
    def lists(self) -> ReaderSeat: ...

    @property
    def search(self) -> _SearchSeat: ...

    @property
    def coding(self) -> _CodingSwitches: ...

    @property
    def coding_panel(self) -> _CodebookView: ...


class WindowDialogs(QObject):
    """Opens the secondary dialogs and feeds them what background jobs read for them."""

    def __init__(self, window: DialogsHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = window
        self._parent = parent
        self.charts: ChartsDialog | None = None
        self.help: HelpDialog | None = None
        self.samples: SamplesDialog | None = None
        self.export: ExportDialog | None = None
        self.coders: CodersDialog | None = None
        self.codebook: CodebookEditor | None = None
        self.adjudication: AdjudicationDialog | None = None
        self.doctor: DoctorDialog | None = None

    def show_charts(self) -> None:
        window = self.window
        if window.project is None:
            return
        if self.charts is not None:
            self.charts.close()
        last = window.search.last
        scope = f"the {last.listed:,} posts found by {last.query}" if last is not None else "every collected post"
        self.charts = ChartsDialog(scope, self._read_charts, self._parent)
        self.charts.show()
        self.charts.refresh()

    def _read_charts(self, stack: str) -> None:
        window = self.window
        if window.project is None or window.model is None:
            return
        session = window.coding.session
        viewer = session.coder_id if session is not None else None
        job = chart_job(window.project.folder, window.model.scope, stack, viewer)
        window.lists.reader.submit(CHARTS_TITLE, job, self._charted)

    def show_samples(self) -> None:
        window = self.window
        if window.project is None:
            return
        last = window.search.last
        self.samples = SamplesDialog(window.project.db, last.query if last else None, window.warn, self._parent)
        self.samples.draw_requested.connect(self._draw)
        self.samples.list_requested.connect(self._list_sample)
        self.samples.show()

    def _draw(self, name: str, rule: object, seed: int, from_search: bool) -> None:
        window = self.window
        if window.project is None or window.model is None:
            return
        session = window.coding.session
        population = window.model.scope if from_search else None
        coder_id = session.coder_id if session else None
        job = draw_job(window.project.folder, name, rule, seed, coder_id, population)  # type: ignore[arg-type]
        window.runner.submit(DRAW_TITLE, job, self._drawn)

    def _list_sample(self, sample: Sample) -> None:
        conn = self.window.project.db.conn if self.window.project is not None else None
        if conn is not None:
            rowids = rowids_of(conn, sample_posts(conn, sample.id))
            self.window.search.show_list(rowids, f"Sample {sample.name}: {len(rowids):,} posts in draw order")

    def show_assigned(self) -> None:
        """List the coder's assigned posts, the ones not coded yet first in line."""
        window, session = self.window, self.window.coding.session
        if window.project is None or session is None:
            window.warn("Choose who you are (the Coder list) to see the posts assigned to you.")
            return
        conn = window.project.db.conn
        rowids = rowids_of(conn, assigned_posts(conn, session.coder_id))
        window.search.show_list(rowids, f"Assigned to {session.coder.name}: {len(rowids):,} posts")

    def show_codebook_editor(self) -> None:
        window, session = self.window, self.window.coding.session
        if window.project is None or session is None:
            window.warn("Choose who you are (the Coder list) first: every codebook change is kept under a name.")
            return
        self.codebook = CodebookEditor(window.project.db, session.coder_id, self._parent)
        self.codebook.changed.connect(self._codebook_changed)
        self.codebook.show()

    def _codebook_changed(self) -> None:
        self.window.coding_panel.reload_codebook()
        self.window.coding.update_actions()

    def show_coders(self) -> None:
        window = self.window
        if window.project is None or not window.project.writable:
            return
        self.coders = CodersDialog(window.project.db, self._parent)
        self.coders.changed.connect(self._coders_changed)
        self.coders.blind_change_requested.connect(self._set_blind)
        self.coders.show()

    def _coders_changed(self) -> None:
        session = self.window.coding.session
        if session is None or session.coder.retired:  # a retired coder makes no new codings
            self.window.coding.stop()
        else:
            self.window.coding.set_coder(session.coder_id)  # reads the coder list again

    def _set_blind(self, on: bool) -> None:
        if self.window.coding.session is None:
            self.window.warn("Choose who you are (the Coder list) first: blind mode records who changed it.")
            return
        self.window.coding.set_blind(on)
        if self.coders is not None:
            self.coders.reload()

    def show_adjudication(self) -> None:
        """The disagreement list of the open project (asking first while blind coding is on)."""
        window = self.window
        if window.project is None or not window.project.writable:
            return
        shown = self.adjudication
        if shown is not None and shown.isVisible() and shown.project is window.project:
            shown.raise_()
            shown.activateWindow()
            return
        if blind_mode(window.project.db.conn) and not window.confirm(
            "Blind coding is on, and the disagreement list shows every coder's values. Open it anyway? Lift blind "
            "coding (Coding › Blind Coding) once independent coding is done.",
            yes="Show the disagreements",
        ):
            return
        if shown is not None:
            shown.deleteLater()  # closed, or left from a project closed since
        self.adjudication = AdjudicationDialog(window, self._parent)
        self.adjudication.show()
        self.adjudication.reload()

    def show_export(self) -> None:
        window = self.window
        if window.project is None:
            return
        self.export = ExportDialog(list_samples(window.project.db.conn), self._parent)
        self.export.export_requested.connect(self._export)
        self.export.open()

    def _export(self, shape: str, target: Path, options: ExportOptions) -> None:
        if self.window.project is not None:
            job = export_run(self.window.project.folder, shape, target, options)
            self.window.runner.submit(EXPORT_TITLE, job, self._exported)

    def _exported(self, outcome: JobOutcome) -> None:
        if outcome.status is JobStatus.FAILED:
            self.window.warn(f"The export failed: {outcome.message}")
        elif isinstance(outcome.result, ExportResult):
            files = outcome.result.files
            self.window.notify(result_text(outcome.result), 30_000, path=files[0] if files else None)

    def _drawn(self, outcome: JobOutcome) -> None:
        if outcome.status is JobStatus.FAILED:
            self.window.warn(outcome.message)
        elif isinstance(outcome.result, Sample) and self.samples is not None:
            self.samples.drawn(outcome.result)

    def _charted(self, outcome: JobOutcome) -> None:
        if self.charts is None:
            return
        if outcome.status is JobStatus.FAILED:
            self.charts.note.setText(outcome.message)
        elif isinstance(outcome.result, ChartData):
            self.charts.show_data(outcome.result)

    def show_doctor(self) -> None:
        """Help › Check Project: the doctor's report, read by a read-only job so the window stays usable."""
        window = self.window
        if window.project is None:
            window.warn("Open a project first: Check Project looks at the open one.")
            return
        if self.doctor is not None:
            self.doctor.close()
        dialog = self.doctor = DoctorDialog(window.project.folder.name, self._parent)
        dialog.show()
        window.lists.reader.submit(DOCTOR_TITLE, doctor_job(window.project.folder), dialog.show_outcome)

    def show_preferences(self) -> None:
        PreferencesDialog(self.window.settings, self._parent).exec()

    def show_search_help(self) -> None:
        self._show_help("Search language", search_help_html())

    def show_shortcuts(self) -> None:
        self._show_help("Keyboard shortcuts", shortcuts_html(self._parent.findChildren(QAction)))

    def _show_help(self, title: str, body: str) -> None:
        if self.help is not None:
            self.help.close()
        self.help = HelpDialog(title, body, self._parent)
        self.help.show()
