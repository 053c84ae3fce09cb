"""File › Import…: choose files, folders or zips, see each input's detected format, map CSV columns, then import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.import_plan import PlannedInput, included, plan_inputs
from app.jobs import JobOutcome, JobStatus
from ui.common.job_runner import JobRunner
from ui.importing.csv_mapping_dialog import CsvMappingDialog
from ui.importing.format_delegate import FormatDelegate
from ui.importing.import_plan_model import Column, ImportPlanModel, human_size

FILE_FILTER = "Archives (*.jsonl *.json *.js *.csv *.tsv *.txt *.zip *.gz *.zst);;All files (*)"


class ImportDialog(QDialog):
    """Builds an import plan. Formats are detected on a worker thread, so a big folder never freezes the window.

    After ``exec()`` returns Accepted, ``plan()`` and ``force`` say what to import.
    """

    def __init__(self, project_name: str, presets: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import into {project_name}")
        self.resize(980, 520)
        self._presets = presets
        self.model = ImportPlanModel(self)
        self.table = QTableView(self)
        self.mapping_button = QPushButton("Column mapping…", self)
        self.force_box = QCheckBox("Read files again even if they were imported before", self)
        self.summary = QLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.detector = JobRunner(self)
        self._build()
        self.detector.finished.connect(self._on_detected)
        self.detector.progressed.connect(lambda progress: self.summary.setText(progress.text))
        self._update_summary()

    @property
    def force(self) -> bool:
        return self.force_box.isChecked()

    @property
    def detecting(self) -> bool:
        return self.detector.busy

    def plan(self) -> list[PlannedInput]:
        """The inputs that will be imported: ticked, with a format."""
        return included(self.model.items())

    def inputs(self) -> list[PlannedInput]:
        """Every input listed: the import reads the ones in ``plan`` and reports why it passed over or
        refused the others (a README in a folder, a damaged file); the ones the user unticked it leaves out."""
        return self.model.items()

    def add_paths(self, paths: list[Path]) -> None:
        """Add files, folders or zips; their formats are detected in the background."""
        if paths:
            self.detector.submit("Recognising formats", plan_inputs(paths))
            self._update_summary()

    def edit_mapping(self, row: int) -> CsvMappingDialog:
        """The mapping dialog for a CSV row; its result is stored in the plan when it is accepted."""
        item = self.model.item(row)
        dialog = CsvMappingDialog(item.source, item.options, self._presets, self)
        dialog.accepted.connect(lambda: self._store_mapping(row, dialog))
        return dialog

    def done(self, result: int) -> None:
        self.detector.shutdown()
        super().done(result)

    def _build(self) -> None:
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(Column.FORMAT, FormatDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Column.NOTE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((Column.FILE, 300), (Column.FORMAT, 260), (Column.SIZE, 80)):
            self.table.setColumnWidth(column, width)
        add_files, add_folder = QPushButton("Add files…", self), QPushButton("Add folder…", self)
        add_files.clicked.connect(self._choose_files)
        add_folder.clicked.connect(self._choose_folder)
        self.mapping_button.clicked.connect(self._open_mapping)
        self.mapping_button.setEnabled(False)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        self.table.doubleClicked.connect(self._on_double_clicked)
        self.model.dataChanged.connect(self._update_summary)
        self.model.rowsInserted.connect(self._update_summary)
        row = QHBoxLayout()
        for widget in (add_files, add_folder, self.mapping_button):
            row.addWidget(widget)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        hint = "Choose files, folders or .zip files. Each file's format is recognised from its content; "
        hint += "double-click a format to correct it, untick a file to leave it out."
        note = QLabel(hint, self)
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.force_box)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Choose archive files", "", FILE_FILTER)
        self.add_paths([Path(name) for name in names])

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a folder of archive files")
        if folder:
            self.add_paths([Path(folder)])

    def _on_detected(self, outcome: JobOutcome) -> None:
        if outcome.status is JobStatus.FAILED:
            self.summary.setText(outcome.message)
            return
        self.model.add_items(outcome.result or [])
        if self.table.currentIndex().row() < 0 and self.model.rowCount():
            self.table.selectRow(0)
        self._update_summary()

    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.mapping_button.setEnabled(current.isValid() and self.model.item(current.row()).needs_mapping)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.column() != Column.FORMAT and self.model.item(index.row()).needs_mapping:
            self.edit_mapping(index.row()).open()

    def _open_mapping(self) -> None:
        row = self.table.currentIndex().row()
        if row >= 0:
            self.edit_mapping(row).open()

    def _store_mapping(self, row: int, dialog: CsvMappingDialog) -> None:
        self.model.item(row).options = dialog.options()
        self.model.row_changed(row)

    def _update_summary(self) -> None:
        chosen = self.plan()
        busy = self.detector.busy
        self.import_button.setEnabled(bool(chosen) and not busy)
        if busy:
            self.summary.setText("Recognising formats…")
            return
        size = human_size(sum(item.size for item in chosen))
        left_out = self.model.rowCount() - len(chosen)
        text = f"{len(chosen)} file" + ("" if len(chosen) == 1 else "s") + f" to import ({size})"
        self.summary.setText(text + (f"; {left_out} left out" if left_out else "") + ".")
        self.summary.setAlignment(Qt.AlignmentFlag.AlignLeft)
