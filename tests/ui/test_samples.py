"""Samples and assignments in the app: draw, assign, follow progress, and work through one's assigned posts."""

from __future__ import annotations

from PySide6.QtTest import QAbstractItemModelTester

from app.posts_query import rowids_of
from archive.coding.coders import add_coder
from archive.coding.samples import SampleRule
from archive.jobs import CancelToken, drain
from archive.store.project import Project
from ui.coding.sample_models import ProgressColumn, draw_job

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


def test_a_draw_job_stores_a_reproducible_sample(demo_folder):
    with Project(demo_folder) as project:
        add_coder(project.db, "ana")
    first = drain(draw_job(demo_folder, "pilot", SampleRule(size=20), 7, 1, None)(CancelToken()))
    second = drain(draw_job(demo_folder, "again", SampleRule(size=20), 7, 1, None)(CancelToken()))
    assert first.size == second.size == 20
    assert first.population == 318 - 124  # reposts are left out unless asked for
    with Project(demo_folder, writable=False) as project:
        from archive.coding.samples import sample_posts

        assert sample_posts(project.db.conn, first.id) == sample_posts(project.db.conn, second.id)


def test_a_sample_can_be_drawn_from_a_searchs_posts(demo_folder):
    with Project(demo_folder, writable=False) as project:
        ids = [r[0] for r in project.db.conn.execute("SELECT id FROM posts WHERE kind = 'collected' LIMIT 30")]
        rowids = rowids_of(project.db.conn, ids)
    rule = SampleRule(size=5, include_reposts=True)
    sample = drain(draw_job(demo_folder, "from search", rule, 1, None, rowids)(CancelToken()))
    assert sample.population == 30 and sample.size == 5


def open_samples(window, qtbot, demo_folder):
    window.open_project(demo_folder)
    window.coding.new_coder("ana")
    window.coding.new_coder("bo")
    window.menus.samples.trigger()
    dialog = window.dialogs.samples
    QAbstractItemModelTester(dialog.samples, FATAL)
    QAbstractItemModelTester(dialog.progress, FATAL)
    return dialog


def test_drawing_assigning_and_progress_from_the_dialog(window, qtbot, demo_folder):
    dialog = open_samples(window, qtbot, demo_folder)
    dialog.name.setText("pilot-25")
    dialog.sample_size.setValue(25)
    with qtbot.waitSignal(window.runner.idle, timeout=20_000):
        dialog.draw()
    assert dialog.samples.rowCount() == 1 and dialog.selected().name == "pilot-25"
    assert "Drew 25 posts from 194" in dialog.status.text()
    dialog.coder.setCurrentText("ana")
    dialog.assign()
    assert dialog.progress.rowCount() == 1
    assert dialog.progress.index(0, ProgressColumn.ASSIGNED).data() == "25"
    assert dialog.progress.index(0, ProgressColumn.REMAINING).data() == "25"


def test_a_bad_rule_is_refused_before_anything_runs(window, qtbot, demo_folder):
    dialog = open_samples(window, qtbot, demo_folder)
    dialog.name.setText("by tag")
    dialog.method.setCurrentText("stratified")
    dialog.by.setCurrentText("hashtag")  # but no hashtags given
    dialog.draw()
    assert "needs the hashtags" in window.messages[-1]
    assert not window.runner.busy


def test_a_coder_works_through_their_assigned_posts(window, qtbot, demo_folder):
    dialog = open_samples(window, qtbot, demo_folder)
    dialog.name.setText("pilot")
    dialog.sample_size.setValue(10)
    with qtbot.waitSignal(window.runner.idle, timeout=20_000):
        dialog.draw()
    dialog.coder.setCurrentText("bo")
    dialog.assign()
    window.coding.set_coder(2)  # bo
    window.menus.assigned.trigger()
    assert window.model.rowCount() == 10
    assert "Assigned to bo: 10 posts" in window.search_bar.result.text()
    first = window.current_post_id()
    window.menus.no_code.trigger()  # done with the first: on to the next assigned post
    assert window.current_post_id() != first
    dialog.reload(select="pilot")
    assert dialog.progress.index(0, ProgressColumn.COMPLETED).data() == "1"
    dialog.list_requested.emit(dialog.selected())
    assert window.model.rowCount() == 10 and "Sample pilot" in window.search_bar.result.text()
    window.search_bar.clear()
    assert window.model.rowCount() == 318


def test_coded_data_are_exported_off_the_ui_thread(window, qtbot, demo_folder, tmp_path):
    window.open_project(demo_folder)
    window.coding.new_coder("ana")
    window.menus.no_code.trigger()
    window.menus.export.trigger()
    dialog = window.dialogs.export
    dialog.shape.setCurrentIndex(dialog.shape.findData("dataset"))
    dialog.bom.setChecked(True)
    target = tmp_path / "coded.csv"
    with qtbot.waitSignal(window.runner.idle, timeout=20_000):
        dialog.export_to(target)
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs
    assert "Exported 1 row to coded.csv" in window.notice.text
    assert not window.messages


def test_every_export_shape_of_the_core_is_offered():
    from archive.export.jobs import SHAPES
    from ui.exporting.export_dialog import LABELS, shape_labels

    assert set(shape_labels()) == set(SHAPES)
    assert set(LABELS) <= set(SHAPES)


def test_the_export_confirmation_is_visible_and_offers_the_folder(window, qtbot, demo_folder, tmp_path, monkeypatch):
    # The status bar's counts once took all its width, so no confirmation was ever seen.
    opened: list[str] = []
    monkeypatch.setattr("ui.common.notice.QDesktopServices.openUrl", lambda url: opened.append(url.toLocalFile()))
    window.resize(1280, 800)
    window.show()
    window.open_project(demo_folder)
    window.coding.new_coder("ana")
    window.menus.no_code.trigger()
    window.menus.export.trigger()
    target = tmp_path / "coded.csv"
    with qtbot.waitSignal(window.runner.idle, timeout=20_000):
        window.dialogs.export.export_to(target)
    qtbot.waitUntil(lambda: window.notice.label.isVisible() and window.notice.label.width() > 300)
    assert window.notice.show_folder.isVisible()
    window.notice.show_folder.click()
    assert opened == [str(tmp_path)]


def test_formula_protection_is_a_visible_choice_on_for_reports_off_for_analysis_data(
    window, qtbot, demo_folder, tmp_path
):
    # The dataset "for R, SPSS, Stata, pandas" once put an apostrophe before every reply starting with @.
    from ui.reading.posts_model import Column

    window.open_project(demo_folder)
    window.coding.new_coder("ana")
    reply = next(r for r in range(window.model.rowCount()) if window.model.index(r, Column.TEXT).data().startswith("@"))
    window.select_row(reply)
    window.menus.no_code.trigger()
    window.menus.export.trigger()
    dialog = window.dialogs.export
    dialog.shape.setCurrentIndex(dialog.shape.findData("report"))
    assert dialog.neutralise.isChecked() and dialog.neutralise.isVisibleTo(dialog)
    dialog.shape.setCurrentIndex(dialog.shape.findData("dataset"))
    assert not dialog.neutralise.isChecked()
    target = tmp_path / "coded.csv"
    with qtbot.waitSignal(window.runner.idle, timeout=20_000):
        dialog.export_to(target)
    text = target.read_text(encoding="utf-8-sig")
    assert ",@" in text or '"@' in text  # a reply's text as it was written
    assert ",'@" not in text and "\"'@" not in text
