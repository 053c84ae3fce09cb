"""The report after an import: a headline, the counts per input and the errors with file and line, exportable."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.import_run import ImportReport, write_errors_csv, write_summary_csv
from ui.importing.import_report_models import ErrorColumn, ImportErrorsModel, ImportSummaryModel, SummaryColumn


def _table(parent: QWidget, model: ImportSummaryModel | ImportErrorsModel, stretch: int) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.horizontalHeader().setResizeContentsPrecision(200)  # fit the first rows, not 100,000 of them
    table.resizeColumnsToContents()
    return table


class ImportReportDialog(QDialog):
    """Shows one ImportReport; the two export buttons write the tables as CSV for a spreadsheet or R."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import report")
        self.resize(1000, 520)
        self.report = report
        self.headline = QLabel(report.headline(), self)
        self.headline.setWordWrap(True)
        self.summary_model = ImportSummaryModel(report, self)
        self.errors_model = ImportErrorsModel(report, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(_table(self, self.summary_model, SummaryColumn.NOTE), f"Files ({len(report.files)})")
        errors_title = f"Errors ({report.errors_total:,})"
        self.tabs.addTab(_table(self, self.errors_model, ErrorColumn.REASON), errors_title)
        if report.errors_total > len(report.errors):
            shown = f"The first {len(report.errors):,} of {report.errors_total:,} errors are listed and exported; "
            self.headline.setText(f"{report.headline()}\n{shown}`threadcoder info PROJECT --errors` lists them all.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        counts = QPushButton("Export counts as CSV…", self)
        errors = QPushButton("Export errors as CSV…", self)
        errors.setEnabled(bool(report.errors))
        buttons.addButton(counts, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(errors, QDialogButtonBox.ButtonRole.ActionRole)
        counts.clicked.connect(lambda: self._export("import-counts.csv", write_summary_csv))
        errors.clicked.connect(lambda: self._export("import-errors.csv", write_errors_csv))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

    def _export(self, suggested: str, write: Callable[[ImportReport, Path], None]) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export as CSV", suggested, "CSV files (*.csv)")
        if not name:
            return
        try:
            write(self.report, Path(name))
        except OSError as error:
            QMessageBox.warning(self, "Export", f"Could not write {name}: {error.strerror or error}")
