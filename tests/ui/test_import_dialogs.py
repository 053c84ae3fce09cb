"""File › Import…: the plan with detected formats, the CSV mapping with its preview, the import and its report."""

from __future__ import annotations

import csv
import zipfile

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from app.demo import demo_archive_path
from app.import_plan import plan_one
from app.import_run import ImportProblem, ImportReport, write_errors_csv
from app.jobs import JobStatus
from archive.formats import ReadOptions
from archive.formats.csv_presets import list_presets
from archive.importing.sources import Source
from ui.importing.csv_mapping_dialog import NOT_USED, CsvMappingDialog
from ui.importing.import_dialog import ImportDialog
from ui.importing.import_plan_model import Column
from ui.importing.import_report_dialog import ImportReportDialog

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "inputs"
    folder.mkdir()
    with zipfile.ZipFile(folder / "export.zip", "w") as zipped:
        zipped.write(demo_archive_path(), "data/metoo.jsonl")
    (folder / "mine.csv").write_text("ref;words;when\n11;first post;2017-10-16 09:30\n12;second;\n", encoding="utf-8")
    (folder / "notes.md").write_text("# field notes\n", encoding="utf-8")
    return folder


@pytest.fixture
def dialog(qtbot, tmp_path):
    shown = ImportDialog("study.threadcoder", tmp_path / "presets.json")
    qtbot.addWidget(shown)
    yield shown
    shown.detector.shutdown()


def detect(dialog, qtbot, *paths):
    with qtbot.waitSignal(dialog.detector.idle, timeout=10_000):
        dialog.add_paths(list(paths))
    return {dialog.model.item(r).display_name: r for r in range(dialog.model.rowCount())}


def test_the_plan_shows_each_files_detected_format_before_importing(dialog, qtbot, inputs):
    QAbstractItemModelTester(dialog.model, FATAL)
    rows = detect(dialog, qtbot, inputs)
    model = dialog.model
    assert set(rows) == {"export.zip › data/metoo.jsonl", "mine.csv", "notes.md"}
    assert model.index(rows["export.zip › data/metoo.jsonl"], Column.FORMAT).data() == (
        "twarc2 API response pages (X API v2)"
    )
    assert model.index(rows["mine.csv"], Column.FORMAT).data() == "CSV with a column mapping"
    assert "choose Column mapping" in model.index(rows["mine.csv"], Column.NOTE).data()
    assert model.index(rows["notes.md"], Column.FILE).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert [item.display_name for item in dialog.plan()] == ["export.zip › data/metoo.jsonl", "mine.csv"]
    assert dialog.import_button.isEnabled()
    assert dialog.summary.text().startswith("2 files to import")


def test_choosing_the_same_file_twice_lists_it_once(dialog, qtbot, inputs):
    detect(dialog, qtbot, inputs / "mine.csv")
    detect(dialog, qtbot, inputs / "mine.csv")
    assert dialog.model.rowCount() == 1


def test_a_file_can_be_left_out_and_a_format_corrected(dialog, qtbot, inputs):
    rows = detect(dialog, qtbot, inputs)
    model = dialog.model
    model.setData(model.index(rows["mine.csv"], Column.FILE), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert [item.display_name for item in dialog.plan()] == ["export.zip › data/metoo.jsonl"]
    model.setData(model.index(rows["notes.md"], Column.FORMAT), "twarc-csv")
    assert model.item(rows["notes.md"]).format == "twarc-csv"
    assert model.item(rows["notes.md"]).include


def test_the_csv_mapping_is_chosen_with_a_preview_and_kept_in_the_plan(dialog, qtbot, inputs):
    rows = detect(dialog, qtbot, inputs / "mine.csv")
    mapping = dialog.edit_mapping(rows["mine.csv"])
    QAbstractItemModelTester(mapping.model, FATAL)
    assert "3 columns, semicolon-separated, utf-8" in mapping.layout_label.text()
    assert not mapping.buttons.button(mapping.buttons.StandardButton.Ok).isEnabled()  # no id or text column yet
    assert "post id and the text" in mapping.status.text()
    mapping.fields["id"].setCurrentText("ref")
    mapping.fields["text"].setCurrentText("words")
    mapping.fields["created_at"].setCurrentText("when")
    assert mapping.model.rowCount() == 2
    assert mapping.model.index(0, 2).data() == "2017-10-16 09:30:00"
    assert mapping.status.text() == "The first rows read cleanly."
    mapping.accept()
    item = dialog.model.item(rows["mine.csv"])
    assert item.options.csv_mapping == {"id": "ref", "text": "words", "created_at": "when"}
    assert dialog.model.index(rows["mine.csv"], Column.NOTE).data() == "column mapping: 3 fields"


def test_the_preview_shows_problems_with_their_line(qtbot, tmp_path):
    data = tmp_path / "bad.csv"
    data.write_text("id,text\n1,fine\nnot-a-number,oops\n", encoding="utf-8")
    mapping = CsvMappingDialog(Source(data), ReadOptions(), None)
    qtbot.addWidget(mapping)
    assert mapping.fields["id"].currentText() == "id"  # guessed from the header
    problems = [mapping.model.index(r, 6).data() for r in range(mapping.model.rowCount())]
    assert problems[0] == "" and problems[1]
    assert mapping.model.index(1, 0).data() == "3"
    assert mapping.status.text() == "1 of the first 2 rows have a problem."


def test_mappings_are_saved_and_used_again_from_the_presets_file(qtbot, tmp_path, inputs):
    presets = tmp_path / "presets.json"
    mapping = CsvMappingDialog(Source(inputs / "mine.csv"), ReadOptions(), presets)
    qtbot.addWidget(mapping)
    mapping.fields["id"].setCurrentText("ref")
    mapping.fields["text"].setCurrentText("words")
    mapping.save_preset("our survey export")
    assert list_presets(presets) == ["our survey export"]
    mapping.fields["text"].setCurrentText(NOT_USED)
    assert mapping.use_preset("our survey export")
    assert mapping.options().csv_mapping == {"id": "ref", "text": "words"}


def test_importing_from_the_window_fills_the_table_and_opens_the_report(window, qtbot, tmp_path, inputs):
    window.new_project(tmp_path / "study")
    assert window.table.model().rowCount() == 0
    plan = [plan_one(Source(inputs / "export.zip", "data/metoo.jsonl"))]
    with qtbot.waitSignal(window.runner.finished, timeout=20_000) as finished:
        window.start_import(plan)
        assert not window.progress.isHidden()  # the progress strip with its Cancel button is up
        assert window.progress.label.text() == "Import into study.threadcoder…"
    assert finished.args[0].status is JobStatus.DONE
    qtbot.waitUntil(lambda: not window.runner.busy)  # the index catches up after the import
    assert window.progress.isHidden()
    assert window.table.model().rowCount() == 318
    assert "318 posts" in window.status_label.text()
    report = window.report_dialog
    assert report is not None and report.isVisible()
    assert report.tabs.tabText(1) == "Errors (0)"  # the demo's deleted post is unavailable, not an error
    assert "1 post unavailable at collection time" in window.notice.text
    QAbstractItemModelTester(report.summary_model, FATAL)
    QAbstractItemModelTester(report.errors_model, FATAL)
    assert report.summary_model.index(0, 2).data() == "imported"


def test_the_report_exports_its_tables_as_csv(qtbot, tmp_path, monkeypatch, inputs):
    report = ImportReport(files=[], errors=[], errors_total=0)
    report.errors.append(ImportProblem("mine.csv", 3, "", "expected a post id", "x;y"))
    shown = ImportReportDialog(report)
    qtbot.addWidget(shown)
    target = tmp_path / "errors.csv"
    monkeypatch.setattr(
        "ui.importing.import_report_dialog.QFileDialog.getSaveFileName", lambda *_a, **_k: (str(target), "")
    )
    shown._export("import-errors.csv", write_errors_csv)
    with open(target, encoding="utf-8-sig", newline="") as stream:
        assert list(csv.reader(stream))[1] == ["mine.csv", "3", "", "expected a post id", "x;y"]


def test_closing_the_window_during_a_job_asks_first_and_then_stops_it(window, qtbot, demo_folder):
    window.open_project(demo_folder)

    def endless(cancel):
        while not cancel.cancelled:
            yield None

    with qtbot.waitSignal(window.runner.started, timeout=5000):
        window.runner.submit("Indexing", endless)
    window.answers = [False]
    window.close()
    assert window.runner.busy and window.project is not None  # the user chose to keep it running
    window.answers = [True]
    window.close()
    assert not window.runner.busy and window.project is None


def test_what_the_dialog_passed_over_is_in_the_import_report(window, qtbot, tmp_path, inputs, monkeypatch):
    # A file found in a folder and not imported (a README) once vanished from the app's report.
    window.new_project(tmp_path / "study")

    def accept_when_detected(dialog):  # the user waits for the formats, then presses Import
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 3 and not dialog.detecting, timeout=20_000)
        return ImportDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportDialog, "exec", accept_when_detected)
    with qtbot.waitSignal(window.runner.finished, timeout=20_000):
        window.show_import_dialog([inputs])
    qtbot.waitUntil(lambda: window.report_dialog is not None)
    summary = window.report_dialog.summary_model
    listed = [summary.index(row, 0).data() for row in range(summary.rowCount())]
    assert any(name.endswith("notes.md") for name in listed)
