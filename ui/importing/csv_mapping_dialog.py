"""The column-mapping dialog for a generic CSV: which column holds what, saved mappings, and a live preview."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.csv_preview import FIELD_LABELS, CsvLayout, initial_mapping, preview, read_layout
from archive.errors import ThreadcoderError
from archive.formats import ReadOptions
from archive.formats.csv_generic import FIELDS, REQUIRED
from archive.formats.csv_presets import delete_preset, list_presets, load_preset, save_preset
from archive.importing.sources import Source
from ui.importing.csv_preview_model import Column, CsvPreviewModel

NOT_USED = "— not in this file —"
DELIMITERS = {"Detect": None, "Comma ( , )": ",", "Semicolon ( ; )": ";", "Tab": "\t"}
ENCODINGS = {"Detect": None, "UTF-8": "utf-8", "Windows (cp1252)": "cp1252", "UTF-16": "utf-16", "Latin-1": "latin-1"}


class CsvMappingDialog(QDialog):
    """Edits the ReadOptions of one CSV input; ``options()`` gives the result after the dialog is accepted."""

    def __init__(self, source: Source, options: ReadOptions, presets: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Column mapping — {source.basename}")
        self.resize(1000, 680)
        self._source = source
        self._presets = presets
        self._platform = options.platform
        self.delimiter = _combo(DELIMITERS, options.csv_delimiter)
        self.encoding = _combo(ENCODINGS, options.csv_encoding)
        self.layout_label = QLabel(self)
        self.fields: dict[str, QComboBox] = {name: QComboBox(self) for name in FIELDS}
        self.preset_box = QComboBox(self)
        self.model = CsvPreviewModel(self)
        self.table = QTableView(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self._build()
        self._layout: CsvLayout | None = None
        self._reload_layout(options)

    def options(self) -> ReadOptions:
        mapping = {name: box.currentText() for name, box in self.fields.items() if box.currentIndex() > 0}
        return ReadOptions(
            csv_mapping=mapping,
            csv_delimiter=DELIMITERS[self.delimiter.currentText()],
            csv_encoding=ENCODINGS[self.encoding.currentText()],
            platform=self._platform,
        )

    def set_mapping(self, mapping: dict[str, str]) -> None:
        """Select these columns (fields whose column the file lacks are left unused), then refresh the preview."""
        for name, box in self.fields.items():
            box.blockSignals(True)
            found = box.findText(mapping.get(name, "")) if mapping.get(name) else -1
            box.setCurrentIndex(max(found, 0))
            box.blockSignals(False)
        self._refresh_preview()

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("Delimiter:"))
        top.addWidget(self.delimiter)
        top.addWidget(QLabel("Encoding:"))
        top.addWidget(self.encoding)
        top.addWidget(self.layout_label, 1)
        columns = QGroupBox("Which column holds what (fields marked * are needed)", self)
        grid = QGridLayout(columns)
        for number, (name, box) in enumerate(self.fields.items()):
            label = FIELD_LABELS[name] + (" *" if name in REQUIRED else "")
            grid.addWidget(QLabel(label), number // 3, (number % 3) * 2)
            grid.addWidget(box, number // 3, (number % 3) * 2 + 1)
            box.currentIndexChanged.connect(self._refresh_preview)
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(Column.PROBLEM, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(Column.TEXT, 300)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self._preset_row())
        layout.addWidget(columns)
        layout.addWidget(QLabel("Preview: the first rows as they will be imported"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.delimiter.currentIndexChanged.connect(lambda _i: self._reload_layout(self.options()))
        self.encoding.currentIndexChanged.connect(lambda _i: self._reload_layout(self.options()))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _preset_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        use, save, delete = QPushButton("Use", self), QPushButton("Save as…", self), QPushButton("Delete", self)
        row.addWidget(QLabel("Saved mappings:"))
        row.addWidget(self.preset_box, 1)
        for button in (use, save, delete):
            row.addWidget(button)
            button.setEnabled(self._presets is not None)
        use.clicked.connect(lambda: self.use_preset(self.preset_box.currentText()))
        save.clicked.connect(self._ask_preset_name)
        delete.clicked.connect(self._delete_preset)
        self._fill_presets()
        return row

    def _fill_presets(self, current: str = "") -> None:
        self.preset_box.clear()
        if self._presets is None:
            return
        try:
            self.preset_box.addItems(list_presets(self._presets))
        except ThreadcoderError as error:
            self.status.setText(str(error))
        if current:
            self.preset_box.setCurrentText(current)

    def use_preset(self, name: str) -> bool:
        if self._presets is None or not name:
            return False
        found = load_preset(self._presets, name)
        if found is not None:
            self.set_mapping(found)
        return found is not None

    def save_preset(self, name: str) -> None:
        if self._presets is not None:
            save_preset(self._presets, name, self.options().csv_mapping)
            self._fill_presets(name.strip())

    def _ask_preset_name(self) -> None:
        name, ok = QInputDialog.getText(self, "Save the column mapping", "Name for this mapping:")
        if ok and name.strip():
            self._guarded(lambda: self.save_preset(name))

    def _delete_preset(self) -> None:
        name, presets = self.preset_box.currentText(), self._presets
        if presets is not None and name:
            self._guarded(lambda: delete_preset(presets, name))
            self._fill_presets()

    def _guarded(self, do: Callable[[], object]) -> None:
        try:
            do()
        except (ThreadcoderError, ValueError, OSError) as error:
            QMessageBox.warning(self, "Saved mappings", str(error))

    def _reload_layout(self, options: ReadOptions) -> None:
        try:
            self._layout = read_layout(self._source, options)
        except ThreadcoderError as error:
            self._layout = None
            self.layout_label.setText(str(error))
            self._set_columns([])
            return
        self.layout_label.setText(self._layout.description)
        self._set_columns(self._layout.header)
        self.set_mapping(initial_mapping(self._layout, options))

    def _set_columns(self, header: list[str]) -> None:
        for box in self.fields.values():
            box.blockSignals(True)
            box.clear()
            box.addItems([NOT_USED, *header])
            box.blockSignals(False)

    def _refresh_preview(self) -> None:
        shown = preview(self._source, self.options())
        self.model.set_rows(shown.rows)
        for column in (Column.LINE, Column.POST_ID, Column.DATE, Column.AUTHOR):
            self.table.resizeColumnToContents(column)
        problems = sum(1 for row in shown.rows if row.problem)
        ok = not shown.error and bool(shown.rows)
        self.status.setText(
            shown.error
            or (
                f"{problems} of the first {len(shown.rows)} rows have a problem."
                if problems
                else "The first rows read cleanly."
            )
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)


def _combo(choices: dict[str, str | None], current: str | None) -> QComboBox:
    box = QComboBox()
    box.addItems(list(choices))
    for label, value in choices.items():
        if value == current:
            box.setCurrentText(label)
    return box
