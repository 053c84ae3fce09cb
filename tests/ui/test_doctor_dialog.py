"""Help › Check Project: the doctor's report on the open project, read off the UI thread."""

from __future__ import annotations

from app.doctor import check_project
from app.jobs import JobOutcome, JobStatus
from tests.archive.test_store_health import corrupt_pages, make_project
from ui.window.doctor_dialog import CHECKING, DoctorDialog


def help_action(window, text: str):
    (menu,) = [action.menu() for action in window.menuBar().actions() if action.text() == "&Help"]
    (found,) = [action for action in menu.actions() if action.text() == text]
    return found


def test_check_project_is_in_the_help_menu_and_shows_the_report_after_a_background_job(window, qtbot, tmp_path):
    action = help_action(window, "&Check Project…")
    assert not action.isEnabled()  # nothing to check without a project
    assert window.open_project(make_project(tmp_path / "p"))
    assert action.isEnabled()
    with qtbot.waitSignal(window.lists.reader.idle, timeout=30_000):
        action.trigger()
        dialog = window.dialogs.doctor
        assert dialog is not None and dialog.isVisible() and dialog.summary.text() == CHECKING
    assert "healthy" in dialog.summary.text()
    report = dialog.text.toPlainText()
    assert "quick_check passed" in report and "open for writing in this Threadcoder" in report
    assert dialog.copy.isEnabled()
    dialog.close()


def test_the_dialog_says_what_is_wrong_and_how_to_repair_it(qtbot, tmp_path):
    folder = make_project(tmp_path / "p")
    corrupt_pages(folder)
    dialog = DoctorDialog("p")
    qtbot.addWidget(dialog)
    dialog.show_outcome(JobOutcome("Check project", JobStatus.DONE, result=check_project(folder)))
    assert "1 problem found" in dialog.summary.text() and "--repair" in dialog.summary.text()
    assert "problem  integrity" in dialog.text.toPlainText()


def test_a_check_that_could_not_run_says_so(qtbot):
    dialog = DoctorDialog("p")
    qtbot.addWidget(dialog)
    dialog.show_outcome(JobOutcome("Check project", JobStatus.FAILED, message="the disk went away"))
    assert "could not run: the disk went away" in dialog.summary.text() and not dialog.copy.isEnabled()
