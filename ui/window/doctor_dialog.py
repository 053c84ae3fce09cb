"""Help › Check Project: the doctor's report on the open project, read in a background job."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.doctor import Report, report_text
from app.jobs import JobOutcome, JobStatus

CHECKING = "Checking the project: this reads the whole database (seconds on a million posts)…"


class DoctorDialog(QDialog):
    """Shows "checking…" until the job's report arrives, then the report, which can be copied."""

    def __init__(self, folder_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Check Project: {folder_name}")
        self.summary = QLabel(CHECKING)
        self.summary.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy = buttons.addButton("Copy Report", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy.setEnabled(False)
        self.copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.text.toPlainText()))
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(860, 420)

    def show_outcome(self, outcome: JobOutcome) -> None:
        """The finished job: its report, or why the check could not run."""
        if outcome.status is JobStatus.FAILED or not isinstance(outcome.result, Report):
            self.summary.setText(f"The check could not run: {outcome.message or 'it was stopped'}")
            return
        report = outcome.result
        problems = [f for f in report.findings if f.level == "problem"]
        if problems:
            self.summary.setText(
                f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found. Close the project, then run "
                f"<code>threadcoder doctor &quot;{report.folder}&quot; --repair</code> in a terminal: it makes the "
                "safe repairs and never deletes data."
            )
        else:
            self.summary.setText("The project is healthy.")
        self.text.setPlainText(report_text(report))
        self.copy.setEnabled(True)
