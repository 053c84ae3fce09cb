"""File › Export…: coded data and reliability reports in the shapes of ``archive.export``, written off the UI thread."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from app.jobs import Job
from archive.coding.samples import Sample
from archive.export.context import ExportResult
from archive.export.jobs import SHAPES, export_job
from archive.export.options import MISSING_TOKENS, ExportOptions
from archive.export.spreadsheet import neutralise_by_default
from archive.jobs import CancelToken
from archive.store.project import Project

# Shapes that write one file per code or variable into a folder (docs/export.md).
FOLDER_SHAPES = {"units_x_coders", "coders_x_units", "recal3", "recal_oir"}
LABELS = {
    "dataset": "Coded dataset: a row per post and coder, a column per code (R, SPSS, Stata, pandas)",
    "report": "Reliability report: agreement per code and variable (Krippendorff's alpha and more)",
    "pairwise": "Agreement between each pair of coders",
    "rounds": "Agreement per coding round (sample and codebook version)",
    "long": "Long table: post, coder, variable, value",
    "completion": "Completion: each coder's status on each post",
    "by_unit_coder": "A row per post and coder, a column per code (tidycomm)",
    "units_x_coders": "Posts × coders, a file per code (irr, irrCAC, SPSS, Stata)",
    "coders_x_units": "Coders × posts, a file per code (Python krippendorff, R kripp.alpha)",
    "recal2": "ReCal2 (two coders)",
    "recal3": "ReCal3 (three or more coders)",
    "recal_oir": "ReCal OIR (ordinal, interval, ratio)",
    "code_sets": "Code sets: one row per code applied (MASI)",
    "disagreements": "Disagreements: the adjudication queue",
    "gold": "Gold standard: the adjudicated values",
    "gold_audit": "Gold standard audit trail",
    "memos": "Memos: one row per memo on a post, thread, code or the project",
    "qdpx": "REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder",
}


def shape_labels() -> dict[str, str]:
    """Every shape the core writes, with a label (a shape added to the core shows under its own name)."""
    ordered = [name for name in LABELS if name in SHAPES] + [name for name in SHAPES if name not in LABELS]
    return {name: LABELS.get(name, name) for name in ordered}


def export_run(folder: Path, shape: str, target: Path, options: ExportOptions) -> Job:
    """A job that writes one export from a read-only connection of its own; returns the ExportResult."""

    def job(cancel: CancelToken) -> Generator[object, None, ExportResult]:
        with Project.attach(folder, writable=False) as project:
            result: ExportResult = yield from export_job(project.db.conn, shape, target, options, cancel)
        return result

    return job


def result_text(result: ExportResult) -> str:
    if result.cancelled:
        return f"The {result.shape} export was cancelled; no file was written."
    files = ", ".join(path.name for path in result.files)
    notes = " ".join(result.notes)
    rows = f"{result.rows:,} row" + ("" if result.rows == 1 else "s")
    return f"Exported {rows} to {files}." + (f" {notes}" if notes else "")


class ExportDialog(QDialog):
    """Chooses a shape, the posts (all, or one sample) and the file options; the window runs the export.

    Signals:
        export_requested(str, object, object): the shape, the target Path and the ExportOptions.
    """

    export_requested = Signal(str, object, object)

    def __init__(self, samples: list[Sample], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.shape = QComboBox(self)
        for name, label in shape_labels().items():
            self.shape.addItem(label, name)
        self.sample = QComboBox(self)
        self.sample.addItem("Every post", None)
        for sample in samples:
            self.sample.addItem(f"Sample {sample.name} ({sample.size:,} posts)", sample.name)
        self.missing = QComboBox(self)
        for label, token in MISSING_TOKENS.items():
            self.missing.addItem(f"{label!r}" if token else "blank cell", token)
        self.bom = QCheckBox("For Excel (UTF-8 with a byte-order mark)", self)
        self.pseudonymise = QCheckBox("Replace authors and mentions by pseudonyms", self)
        self.drop_text = QCheckBox("Leave the post texts out", self)
        self.neutralise = QCheckBox("Protect against spreadsheet formulas (an apostrophe before = + - @)", self)
        self.neutralise.setToolTip(
            "For files opened in Excel or LibreOffice. Leave it off for R, SPSS, Stata or pandas: it changes "
            "texts that begin with @ (most replies)."
        )
        self.shape.currentIndexChanged.connect(self._shape_chosen)
        self._shape_chosen()
        self.bootstrap = QSpinBox(self)
        self.bootstrap.setRange(0, 100_000)
        self.bootstrap.setSpecialValueText("none")
        self.bootstrap.setToolTip("Reliability report: bootstrap resamples for the interval of Krippendorff's alpha")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._choose_target)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Shape:", self.shape)
        form.addRow("Posts:", self.sample)
        form.addRow("Missing values as:", self.missing)
        form.addRow("Bootstrap resamples:", self.bootstrap)
        for box in (self.bom, self.neutralise, self.pseudonymise, self.drop_text):
            form.addRow(box)
        form.addRow(QLabel("Each shape and its columns are described in docs/export.md.", self))
        form.addRow(buttons)

    def options(self) -> ExportOptions:
        resamples = self.bootstrap.value() or None
        return ExportOptions(
            sample=self.sample.currentData(),
            bom=self.bom.isChecked(),
            missing=str(self.missing.currentData()),
            pseudonymise=self.pseudonymise.isChecked(),
            drop_text=self.drop_text.isChecked(),
            bootstrap=resamples,
            neutralise=self.neutralise.isChecked(),
        )

    def _shape_chosen(self) -> None:
        """Each shape starts with the protection its readers need: on for reports, off for analysis data."""
        self.neutralise.setChecked(neutralise_by_default(str(self.shape.currentData())))

    def export_to(self, target: Path) -> None:
        self.export_requested.emit(str(self.shape.currentData()), target, self.options())
        self.accept()

    def _choose_target(self) -> None:
        shape = str(self.shape.currentData())
        if shape in FOLDER_SHAPES:
            chosen = QFileDialog.getExistingDirectory(self, "Export into a folder (one file per code or variable)")
        else:
            suffix = ".qdpx" if shape == "qdpx" else ".csv"
            chosen, _ = QFileDialog.getSaveFileName(self, "Export to", f"{shape}{suffix}", f"*{suffix}")
        if chosen:
            self.export_to(Path(chosen))
