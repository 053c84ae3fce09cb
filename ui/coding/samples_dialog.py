"""Coding › Samples and Assignments: draw reproducible samples, assign them to coders, follow their progress."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from archive.coding.assignments import assign_sample, progress
from archive.coding.coders import list_coders
from archive.coding.samples import ALLOCATIONS, METHODS, STRATA, Sample, SampleRule, list_samples
from archive.errors import ThreadcoderError
from ui.coding.sample_models import ProgressModel, SampleColumn, SamplesModel


class SamplesDialog(QDialog):
    """Samples of the open project. Drawing runs as a job (``draw_requested``); assigning is immediate.

    Signals:
        draw_requested(str, object, int, bool): name, SampleRule, seed, and whether to draw from the search.
        list_requested(object): list this Sample's posts in the post list, in draw order.
    """

    draw_requested = Signal(str, object, int, bool)
    list_requested = Signal(object)

    def __init__(
        self, db: Database, search_label: str | None, warn: Callable[[str], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Samples and assignments")
        self.resize(900, 640)
        self.db = db
        self._warn = warn
        self.samples = SamplesModel([], self)
        self.progress = ProgressModel([], self)
        self.samples_view = _table(self, self.samples)
        self.progress_view = _table(self, self.progress)
        self.name, self.sample_size, self.seed = QLineEdit(self), QSpinBox(self), QSpinBox(self)
        self.method, self.by, self.allocation = QComboBox(self), QComboBox(self), QComboBox(self)
        self.hashtags, self.min_posts = QLineEdit(self), QSpinBox(self)
        self.reposts = QCheckBox("Include reposts", self)
        self.from_search = QCheckBox(f"Draw from the posts found by {search_label}" if search_label else "", self)
        self.from_search.setVisible(search_label is not None)
        self.coder = QComboBox(self)
        self.status = QLabel(self)
        self._build()
        self.reload()

    def selected(self) -> Sample | None:
        index = self.samples_view.currentIndex()
        return self.samples.row(index.row()) if index.isValid() else None

    def reload(self, select: str | None = None) -> None:
        self.samples.set_rows(list_samples(self.db.conn))
        self.samples_view.resizeColumnsToContents()
        names = [self.samples.row(r).name for r in range(self.samples.rowCount())]
        if names:
            self.samples_view.selectRow(names.index(select) if select in names else len(names) - 1)
        self.coder.clear()
        for coder in list_coders(self.db.conn):
            self.coder.addItem(coder.name, coder.id)
        self._show_progress()

    def rule(self) -> SampleRule:
        tags = tuple(t.strip().lstrip("#") for t in self.hashtags.text().split(",") if t.strip())
        method = self.method.currentText()
        return SampleRule(
            method=method,
            size=self.sample_size.value(),
            by=self.by.currentText() if method == "stratified" else None,
            hashtags=tags,
            allocation=self.allocation.currentText(),
            include_reposts=self.reposts.isChecked(),
            min_thread_posts=self.min_posts.value(),
        )

    def draw(self) -> None:
        try:
            self.rule().check()
        except ThreadcoderError as error:
            self._warn(str(error))
            return
        self.status.setText("Drawing…")
        self.draw_requested.emit(self.name.text().strip(), self.rule(), self.seed.value(), self.from_search.isChecked())

    def drawn(self, sample: Sample) -> None:
        self.status.setText(f"Drew {sample.size:,} posts from {sample.population:,} with seed {sample.seed}.")
        self.name.clear()
        self.seed.setValue(secrets.randbelow(1_000_000))
        self.reload(select=sample.name)

    def assign(self) -> None:
        sample, coder_id = self.selected(), self.coder.currentData()
        if sample is None or coder_id is None:
            return
        try:
            added = assign_sample(self.db, int(coder_id), sample)
        except ThreadcoderError as error:
            self._warn(str(error))
            return
        self.status.setText(f"Assigned {added:,} more posts of {sample.name} to {self.coder.currentText()}.")
        self._show_progress()

    def _list_selected(self) -> None:
        sample = self.selected()
        if sample is not None:
            self.list_requested.emit(sample)

    def _show_progress(self) -> None:
        self.progress.set_rows(progress(self.db.conn, sample=self.selected()))

    def _build(self) -> None:
        self.sample_size.setRange(1, 10_000_000)
        self.sample_size.setValue(100)
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(secrets.randbelow(1_000_000))
        self.seed.setToolTip("The same seed on the same posts draws the same sample; it is stored with the sample")
        self.min_posts.setRange(1, 10_000)
        self.min_posts.setValue(2)
        self.method.addItems(list(METHODS))
        self.by.addItems(list(STRATA))
        self.allocation.addItems(list(ALLOCATIONS))
        self.hashtags.setPlaceholderText("MeToo, MenToo (for strata by hashtag)")
        self.name.setPlaceholderText("e.g. pilot-200")
        self.samples_view.horizontalHeader().setSectionResizeMode(SampleColumn.METHOD, QHeaderView.ResizeMode.Stretch)
        self.samples_view.selectionModel().currentRowChanged.connect(lambda _c, _p: self._show_progress())
        form = QFormLayout()
        fields = (
            ("Name", self.name),
            ("Size (posts, or threads)", self.sample_size),
            ("Method", self.method),
            ("Strata by", self.by),
            ("Hashtags", self.hashtags),
            ("Allocation", self.allocation),
            ("Threads of at least (posts)", self.min_posts),
            ("Seed", self.seed),
        )
        for label, field in fields:
            form.addRow(label, field)
        form.addRow(self.reposts)
        form.addRow(self.from_search)
        draw = QPushButton("Draw sample", self)
        draw.clicked.connect(self.draw)
        form.addRow(draw)
        drawing = QGroupBox("Draw a new sample", self)
        drawing.setLayout(form)
        show, assign = QPushButton("List its posts", self), QPushButton("Assign to", self)
        show.clicked.connect(self._list_selected)
        assign.clicked.connect(self.assign)
        actions = QHBoxLayout()
        for widget in (show, assign, self.coder):
            actions.addWidget(widget)
        actions.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(QLabel("Samples", self))
        left.addWidget(self.samples_view, 2)
        left.addLayout(actions)
        left.addWidget(QLabel("Progress of the coders on the selected sample", self))
        left.addWidget(self.progress_view, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addWidget(drawing, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.status)


def _table(parent: QWidget, model: SamplesModel | ProgressModel) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(False)
    return view
