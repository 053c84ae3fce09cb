"""Coding › Adjudicate Disagreements: the disagreement list, decisions with reasons, and the bulk rules.

The gold standard is written through ``archive.adjudication`` only; the coders' own codings are never touched.
Reading the list and settling by a rule are jobs on the window's runners (a big project takes seconds); a
single decision is one short transaction on the window's connection.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.adjudication_jobs import (
    READ_TITLE,
    SETTLE_TITLE,
    DisagreementList,
    read_job,
    settle_job,
    settle_question,
    settle_text,
    value_text,
)
from app.adjudication_log import log_text
from app.coding_session import CodingSession
from app.jobs import JobOutcome, JobStatus
from app.status_text import counted
from archive.adjudication import Disagreement, SettleReport, adjudicate, clear_gold, gold_log
from archive.coding.codebook import get_code
from archive.errors import ThreadcoderError
from archive.store.project import Project
from ui.adjudication.adjudication_decision import DecisionPanel
from ui.adjudication.disagreement_model import DisagreementModel
from ui.adjudication.disagreement_view import DisagreementView
from ui.common.job_runner import JobRunner
from ui.reading.list_controller import ReaderSeat


class _Coding(Protocol):
    @property
    def session(self) -> CodingSession | None: ...


class AdjudicationHost(Protocol):
    """What the dialog needs of the main window: its project, coder, runners, messages and thread view."""

    @property
    def project(self) -> Project | None: ...
    @property
    def coding(self) -> _Coding: ...
    @property
    def runner(self) -> JobRunner: ...
    @property
    def lists(self) -> ReaderSeat: ...
    def warn(self, text: str) -> None: ...
    def confirm(self, text: str, yes: str = ...) -> bool: ...
    def go_to_post(self, post_id: str) -> None: ...


class AdjudicationDialog(QDialog):
    """Non-modal: the adjudicator reads each post in its thread in the main window while deciding here."""

    def __init__(self, host: AdjudicationHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert host.project is not None
        self.setWindowTitle("Adjudicate disagreements")
        self.resize(1100, 700)
        self._host = host
        self.project = host.project
        self._reading = self._settling = False
        self.model = DisagreementModel(self)
        self.view = DisagreementView(self.model, self)
        self.filter = QComboBox(self)
        self.counts = QLabel("Reading the disagreements…", self)
        self.show_button = QPushButton("Show in thread", self)
        self.unanimous_button = QPushButton("Settle unanimous…", self)
        self.majority_button = QPushButton("Settle by majority…", self)
        self.refresh_button = QPushButton("Read again", self)
        self.decision = DecisionPanel(self)
        self.trail = QPlainTextEdit(self)
        self.trail_label = QLabel("Audit trail", self)
        self.note = QLabel(self)
        self._build()
        host.lists.reader.idle.connect(self._on_reader_idle)
        host.runner.idle.connect(self._on_writer_idle)
        self.follow_coder()

    # Reading the list -----------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the list again in the background (the coders may have coded more since)."""
        if not self._live() or self._reading:
            return
        self._reading = True
        self.counts.setText("Reading the disagreements…")
        self._update_buttons()
        self._host.lists.reader.submit(READ_TITLE, read_job(self.project.folder), self._read)

    def _listed(self, found: DisagreementList) -> None:
        keep = self.selected()
        self.model.set_list(found)
        self.view.size_columns()
        self._reselect(keep)

    def _set_open_only(self, open_only: bool) -> None:
        keep = self.selected()
        self.model.set_open_only(open_only)
        self._reselect(keep)

    def _reselect(self, keep: Disagreement | None) -> None:
        """After the list changed: stay on the same disagreement when it is still listed, else the first."""
        row = self.model.row_of(keep.post_id, keep.unit.target.name) if keep is not None else None
        if row is not None or self.model.rowCount():
            self.view.selectRow(row if row is not None else 0)
        self._on_selected()

    def selected_row(self) -> int | None:
        return self.view.selected_row()

    def selected(self) -> Disagreement | None:
        row = self.selected_row()
        return self.model.disagreement(row) if row is not None else None

    # Actions --------------------------------------------------------------------------------------------------

    def show_in_thread(self) -> None:
        """Open the selected post in the main window's thread view (its conversation, the post selected)."""
        found = self.selected()
        if found is not None and self._live():
            self._host.go_to_post(found.post_id)

    def record(self, value: str, reason: str, method: str) -> None:
        row, coder = self.selected_row(), self._coder_id()
        if row is None or coder is None or not self._live():
            return
        if not value:
            self._refuse("Choose the final value first.", self.decision.value)
            return
        if not reason.strip():
            self._refuse("Give the reason for the decision: it is kept in the audit trail.", self.decision.reason)
            return
        found = self.model.disagreement(row)
        try:
            gold = adjudicate(
                self.project.db, found.post_id, found.unit.target.name, value, coder, reason, method=method
            )
        except ThreadcoderError as error:
            self._refuse(str(error), self.decision.reason)
            return
        self.model.set_gold(row, gold)
        self.decision.decided()
        self.note.setText(f"Recorded {gold.target}: {value_text(gold.value, gold.kind)} on {gold.post_id}.")
        following = self.model.next_open(row)
        self.view.selectRow(following if following is not None else row)
        self._on_selected()

    def clear_decision(self, reason: str) -> None:
        row, coder = self.selected_row(), self._coder_id()
        if row is None or coder is None or not self._live():
            return
        if not reason.strip():
            self._refuse(
                "Give the reason for withdrawing the decision: it is kept in the audit trail.", self.decision.reason
            )
            return
        found = self.model.disagreement(row)
        try:
            clear_gold(self.project.db, found.post_id, found.unit.target.name, coder, reason)
        except ThreadcoderError as error:
            self._refuse(str(error), self.decision.reason)
            return
        self.model.set_gold(row, None)
        self.decision.decided()
        self.note.setText(f"Withdrew the decision on {found.unit.target.name} of {found.post_id}; it is open again.")
        self._on_selected()

    def settle(self, rule: str) -> None:
        """Ask, then settle by ``rule`` on the writer runner; the list is read again when it is done."""
        coder = self._coder_id()
        if coder is None or not self._live() or self._settling:
            return
        if not self._host.confirm(settle_question(rule), yes=f"Settle by the {rule} rule"):
            return
        self._settling = True
        self.note.setText(f"Settling by the {rule} rule…")
        self._update_buttons()
        self._host.runner.submit(SETTLE_TITLE, settle_job(self.project.folder, rule, coder), self._settled)

    def _refuse(self, message: str, field: QWidget) -> None:
        self._host.warn(message)
        field.setFocus()

    # Jobs -----------------------------------------------------------------------------------------------------

    def _read(self, outcome: JobOutcome) -> None:
        if not self._reading:
            return
        self._reading = False
        if outcome.status is JobStatus.FAILED:
            self.counts.setText(f"Cannot read the disagreements: {outcome.message}")
        elif isinstance(outcome.result, DisagreementList):
            self._listed(outcome.result)
        self._update_buttons()

    def _settled(self, outcome: JobOutcome) -> None:
        if self._settling:
            self._settling = False
            if outcome.status is JobStatus.FAILED:
                self.note.setText("The rule recorded nothing.")
                self._host.warn(outcome.message)
            elif isinstance(outcome.result, SettleReport):
                self.note.setText(settle_text(outcome.result))
            self._update_buttons()
            self.reload()

    def _on_reader_idle(self) -> None:
        if self._reading:  # the job was dropped (Cancel in the status bar) without finishing
            self._reading = False
            self.counts.setText("The read was stopped; press Read again.")
            self._update_buttons()

    def _on_writer_idle(self) -> None:
        if self._settling:
            self._settling = False
            self.note.setText("The rule was stopped before it ran; nothing was recorded.")
            self._update_buttons()

    # State ----------------------------------------------------------------------------------------------------

    def _live(self) -> bool:
        """False (and everything off) once the window has closed the project this dialog was opened on."""
        if self._host.project is self.project:
            return True
        self.note.setText("The project was closed; open this dialog again from the Coding menu.")
        for widget in (
            self.view,
            self.decision,
            self.show_button,
            self.refresh_button,
            self.unanimous_button,
            self.majority_button,
        ):
            widget.setEnabled(False)
        return False

    def _coder_id(self) -> int | None:
        session = self._host.coding.session
        return session.coder_id if session is not None else None

    def follow_coder(self) -> None:
        """Decide as the window's coder now (or say that one must be chosen)."""
        session = self._host.coding.session
        self.decision.set_adjudicator(session.coder.name if session is not None else None)
        self._update_buttons()

    def changeEvent(self, event: QEvent) -> None:
        # The coder is chosen in the main window; coming back to the dialog picks up the change.
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self._live():
            self.follow_coder()
        super().changeEvent(event)

    def _update_buttons(self) -> None:
        busy = self._reading or self._settling
        has_row = self.selected_row() is not None
        self.show_button.setEnabled(has_row)
        self.refresh_button.setEnabled(not busy)
        for button in (self.unanimous_button, self.majority_button):
            button.setEnabled(not busy and self._coder_id() is not None)
        self.decision.set_busy(busy)
        open_count, total = self.model.counts()
        if self._reading:
            return
        none = "No disagreements among the posts that two or more coders marked as coded."
        self.counts.setText(f"{open_count:,} open of {counted(total, 'disagreement')}" if total else none)

    def _on_selected(self) -> None:
        found = self.selected()
        self.decision.show_disagreement(found)
        self._update_buttons()
        if found is None or not self._live():
            self.trail_label.setText("Audit trail")
            self.trail.clear()
            return
        conn = self.project.db.conn
        self.trail_label.setText(f"Audit trail of {found.post_id}: every decision on it, oldest first")
        entries = gold_log(conn, found.post_id)
        self.trail.setPlainText(log_text(entries, lambda code: get_code(conn, code).name, found.unit.target.name))

    # Layout ---------------------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.filter.addItem("Open only", True)
        self.filter.addItem("All disagreements", False)
        self.filter.currentIndexChanged.connect(lambda _i: self._set_open_only(bool(self.filter.currentData())))
        self.view.selectionModel().currentRowChanged.connect(lambda _c, _p: self._on_selected())
        self.view.show_requested.connect(self.show_in_thread)
        self.show_button.setToolTip("Open the post in the main window's thread view (Enter, or double-click a row)")
        self.show_button.clicked.connect(self.show_in_thread)
        self.unanimous_button.setToolTip("Record the agreed value wherever every coder gave the same one")
        self.unanimous_button.clicked.connect(lambda: self.settle("unanimous"))
        self.majority_button.setToolTip("Also record the value more than half of the coders gave")
        self.majority_button.clicked.connect(lambda: self.settle("majority"))
        self.refresh_button.setToolTip("Read the list again (after more coding)")
        self.refresh_button.clicked.connect(self.reload)
        for button in (self.show_button, self.unanimous_button, self.majority_button, self.refresh_button):
            button.setAutoDefault(False)  # Enter belongs to the list (show the post), never to a button
        self.decision.record_requested.connect(self.record)
        self.decision.clear_requested.connect(self.clear_decision)
        self.trail.setReadOnly(True)
        self.trail.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.note.setWordWrap(True)
        self._lay_out()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("Show", self))
        top.addWidget(self.filter)
        top.addWidget(self.counts, 1)
        top.addWidget(self.refresh_button)
        actions = QHBoxLayout()
        actions.addWidget(self.show_button)
        actions.addStretch(1)
        actions.addWidget(self.unanimous_button)
        actions.addWidget(self.majority_button)
        trail = QWidget(self)
        column = QVBoxLayout(trail)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.trail_label)
        column.addWidget(self.trail, 1)
        lower = QHBoxLayout()
        lower.addWidget(self.decision, 2)
        lower.addWidget(trail, 3)
        bottom = QWidget(self)
        bottom.setLayout(lower)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.view)
        split.addWidget(bottom)
        split.setSizes([400, 260])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(split, 1)
        layout.addWidget(self.note)
