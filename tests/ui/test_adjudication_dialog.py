"""Adjudication in the app: the disagreement list, showing a post in its thread, decisions with reasons, rules."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester, QTest

from app.adjudication_jobs import read_job
from app.adjudication_log import log_text
from archive.adjudication import get_gold, gold_log
from archive.coding.blind import set_blind_mode
from archive.coding.codebook import find_code, get_code
from archive.coding.codebook_import import import_codebook
from archive.coding.codebook_io import read_codebook
from archive.coding.coders import add_coder, find_coder
from archive.coding.codings import apply_code
from archive.coding.status import complete_post, mark_no_code_applies
from archive.jobs import CancelToken, drain
from archive.store.lock import ProjectLock
from archive.store.project import Project
from ui.adjudication.disagreement_model import Column

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal
STARTER = Path(str(resources.files("resources") / "codebooks" / "metoo-men.json"))
AUTHOR, BACKLASH, SUPPORT = "Author presents as", "Hostile backlash", "Support"
# Post (by position among collected posts) -> each coder's codes; [] is "no code applies".
WORK = {
    0: {"ana": ["Not all men", "A man"], "ben": ["Not all men", "A woman"], "cy": ["Not all men", "A man"]},
    1: {"ana": [BACKLASH], "ben": [], "cy": [BACKLASH]},
    2: {"ana": ["A man"], "ben": ["A woman"], "cy": ["Not evident"]},
    3: {"ana": [SUPPORT], "ben": [SUPPORT]},
    4: {"ana": [SUPPORT], "ben": []},
}


def posts(conn) -> list[str]:
    rows = conn.execute("SELECT id FROM posts WHERE kind = 'collected' AND is_repost = 0 ORDER BY rowid LIMIT 5")
    return [row[0] for row in rows]


@pytest.fixture
def folder(demo_folder):
    """The demo project, the starter codebook, and three coders who coded five posts (blind mode lifted)."""
    with Project(demo_folder) as project:
        db = project.db
        coders = {name: add_coder(db, name).id for name in ("ana", "ben", "cy")}
        import_codebook(db, coders["ana"], read_codebook(STARTER), STARTER.name)
        ids = posts(db.conn)
        for position, work in WORK.items():
            for coder, codes in work.items():
                for name in codes:
                    apply_code(db, ids[position], find_code(db.conn, name).id, coders[coder])
                if codes:
                    complete_post(db, ids[position], coders[coder])
                else:
                    mark_no_code_applies(db, ids[position], coders[coder])
        set_blind_mode(db, False, coders["ana"])
    return demo_folder


def independent_work(conn) -> list[tuple]:
    codings = conn.execute("SELECT * FROM codings ORDER BY id").fetchall()
    return [*codings, *conn.execute("SELECT * FROM coder_status ORDER BY post_id, coder_id")]


def open_dialog(window, qtbot, folder, coder: str | None = "ana"):
    window.open_project(folder)
    if coder is not None:
        window.coding.set_coder(find_coder(window.project.db.conn, coder).id)
    with qtbot.waitSignal(window.lists.reader.finished, timeout=20_000):
        window.menus.adjudicate.trigger()
    dialog = window.dialogs.adjudication
    QAbstractItemModelTester(dialog.model, FATAL)
    return dialog


def select(dialog, post_id: str, target: str) -> int:
    row = dialog.model.row_of(post_id, target)
    assert row is not None, (post_id, target)
    dialog.view.selectRow(row)
    return row


def cell(dialog, row: int, column: Column | str) -> str:
    section = dialog.model.coder_column(column) if isinstance(column, str) else dialog.model.column(column)
    return dialog.model.index(row, section).data()


def test_the_read_job_lists_every_disagreement_with_the_coders(folder):
    found = drain(read_job(folder)(CancelToken()))
    assert found.coders == ["ana", "ben", "cy"]
    with Project(folder, writable=False) as project:
        ids = posts(project.db.conn)
    assert sorted((d.post_id, d.unit.target.name) for d in found.rows) == sorted(
        [(ids[0], AUTHOR), (ids[1], BACKLASH), (ids[2], AUTHOR), (ids[4], SUPPORT)]
    )


def test_the_menu_opens_the_list_with_values_majority_and_counts(window, qtbot, folder):
    assert not window.menus.adjudicate.isEnabled()  # no project yet
    dialog = open_dialog(window, qtbot, folder)
    ids = posts(window.project.db.conn)
    assert window.menus.adjudicate.isEnabled()
    assert dialog.model.rowCount() == 4
    assert dialog.counts.text() == "4 open of 4 disagreements"
    headers = [dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in range(dialog.model.columnCount())]
    assert headers == ["Post", "Text", "Code or variable", "ana", "ben", "cy", "Majority", "Status", "Gold value"]
    row = dialog.model.row_of(ids[0], AUTHOR)
    assert [cell(dialog, row, c) for c in ("ana", "ben", "cy")] == ["A man", "A woman", "A man"]
    assert cell(dialog, row, Column.MAJORITY) == "A man"
    assert cell(dialog, row, Column.STATUS) == "open"
    row = dialog.model.row_of(ids[4], SUPPORT)
    assert [cell(dialog, row, c) for c in ("ana", "ben", "cy")] == ["present", "absent", ""]  # cy never coded it
    assert cell(dialog, row, Column.MAJORITY) == "—"
    assert "Deciding as" in dialog.decision.who.text()


def test_show_in_thread_selects_the_post_in_the_thread_view(window, qtbot, folder):
    dialog = open_dialog(window, qtbot, folder)
    ids = posts(window.project.db.conn)
    select(dialog, ids[2], AUTHOR)
    dialog.show_button.click()
    assert window.thread_view.current_post_id() == ids[2]
    assert window.current_post_id() == ids[2]
    select(dialog, ids[1], BACKLASH)
    QTest.keyClick(dialog.view, Qt.Key.Key_Return)  # Enter shows it too, and records nothing
    assert window.thread_view.current_post_id() == ids[1]
    assert get_gold(window.project.db.conn, ids[1], BACKLASH) is None


def test_a_decision_with_a_reason_writes_gold_and_leaves_the_codings_alone(window, qtbot, folder):
    dialog = open_dialog(window, qtbot, folder)
    conn = window.project.db.conn
    ids, before = posts(conn), independent_work(conn)
    row = select(dialog, ids[4], SUPPORT)
    decision = dialog.decision
    decision.value.setCurrentIndex(decision.value.findData("1"))
    decision.reason.setText("the reply thanks him")
    decision.record.click()
    gold = get_gold(conn, ids[4], SUPPORT)
    assert (gold.value, gold.method, gold.adjudicator) == (1, "adjudicated", "ana")
    assert gold.rationale == "the reply thanks him"
    assert cell(dialog, row, Column.STATUS) == "resolved"
    assert cell(dialog, row, Column.GOLD) == "present"
    assert dialog.counts.text() == "3 open of 4 disagreements"
    assert independent_work(conn) == before
    assert decision.reason.text() == ""  # the next decision needs its own reason
    assert dialog.selected_row() != row  # moved on to an open one
    select(dialog, ids[4], SUPPORT)
    assert dialog.trail.toPlainText().startswith(SUPPORT + "\n")  # the code being decided comes first
    assert "ana · set to present (by hand) — the reply thanks him" in dialog.trail.toPlainText()


def test_a_decision_without_a_reason_is_refused(window, qtbot, folder):
    dialog = open_dialog(window, qtbot, folder)
    ids = posts(window.project.db.conn)
    select(dialog, ids[0], AUTHOR)
    dialog.decision.value.setCurrentIndex(dialog.decision.value.findData("A woman"))
    dialog.decision.reason.setText("   ")
    dialog.decision.record.click()
    assert "reason" in window.messages[-1]
    assert get_gold(window.project.db.conn, ids[0], AUTHOR) is None
    assert dialog.counts.text() == "4 open of 4 disagreements"


def test_a_decision_can_be_withdrawn_with_a_reason(window, qtbot, folder):
    dialog = open_dialog(window, qtbot, folder)
    conn = window.project.db.conn
    ids = posts(conn)
    row = select(dialog, ids[2], AUTHOR)
    dialog.decision.value.setCurrentIndex(dialog.decision.value.findData("none"))
    dialog.decision.reason.setText("nothing in the profile")
    dialog.decision.record.click()
    row = select(dialog, ids[2], AUTHOR)
    assert dialog.decision.value.currentText() == "(none)" and dialog.decision.clear.isEnabled()
    dialog.decision.reason.setText("the thread says he is a man")
    dialog.decision.clear.click()
    assert get_gold(conn, ids[2], AUTHOR) is None
    assert cell(dialog, row, Column.STATUS) == "open"
    lines = log_text(gold_log(conn, ids[2]), lambda code: get_code(conn, code).name, AUTHOR).splitlines()
    assert lines[0] == AUTHOR
    assert lines[1].endswith("ana · set to (none) (by hand) — nothing in the profile")
    assert lines[2].endswith("ana · withdrawn (was (none)) — the thread says he is a man")
    assert dialog.trail.toPlainText() == "\n".join(lines)


def test_settling_by_majority_fills_the_rest(window, qtbot, folder):
    dialog = open_dialog(window, qtbot, folder)
    conn = window.project.db.conn
    ids, before = posts(conn), independent_work(conn)
    window.answers = [True]
    with qtbot.waitSignal(window.lists.reader.finished, timeout=20_000):
        dialog.majority_button.click()
    assert get_gold(conn, ids[0], AUTHOR).value == "A man"
    assert get_gold(conn, ids[1], BACKLASH).value == 1
    assert get_gold(conn, ids[3], SUPPORT).method == "unanimous"  # agreed values go to the gold standard too
    assert dialog.counts.text() == "2 open of 4 disagreements"
    assert dialog.model.rowCount() == 2  # open only
    assert "and 2 majority values" in dialog.note.text()
    assert independent_work(conn) == before
    dialog.filter.setCurrentIndex(dialog.filter.findData(False))
    assert dialog.model.rowCount() == 4
    select(dialog, ids[0], AUTHOR)
    trail = dialog.trail.toPlainText().splitlines()
    assert trail[0] == AUTHOR and trail[1].endswith("ana · set to A man (majority rule)")  # no reason repeated
    assert trail[3] == "Other codes and variables on this post"
    assert any(line.endswith("Not all men: set to present (unanimous rule)") for line in trail[4:])


def test_a_declined_rule_records_nothing(window, qtbot, folder):
    dialog = open_dialog(window, qtbot, folder)
    window.answers = [False]
    dialog.unanimous_button.click()
    assert not window.runner.busy
    assert window.project.db.conn.execute("SELECT count(*) FROM gold").fetchone()[0] == 0


def test_without_a_coder_recording_is_off_and_says_why(window, qtbot, folder):
    dialog = open_dialog(window, qtbot, folder, coder=None)
    select(dialog, posts(window.project.db.conn)[0], AUTHOR)
    assert "Choose who you are" in dialog.decision.who.text()
    assert not dialog.decision.record.isEnabled()
    assert not dialog.majority_button.isEnabled()
    window.coding.set_coder(find_coder(window.project.db.conn, "ben").id)
    dialog.follow_coder()
    assert dialog.decision.record.isEnabled() and "ben" in dialog.decision.who.text()


def test_blind_mode_asks_before_showing_everyones_values(window, qtbot, folder):
    window.open_project(folder)
    coder = find_coder(window.project.db.conn, "ana").id
    window.coding.set_coder(coder)
    set_blind_mode(window.project.db, True, coder)
    window.answers = [False]
    window.menus.adjudicate.trigger()
    assert window.dialogs.adjudication is None


def test_reopening_brings_the_open_dialog_forward(window, qtbot, folder):
    dialog = open_dialog(window, qtbot, folder)
    window.menus.adjudicate.trigger()
    assert window.dialogs.adjudication is dialog and not window.lists.reader.busy


def test_a_read_only_project_cannot_be_adjudicated(window, folder):
    held = ProjectLock(folder)
    held.acquire()
    try:
        window.answers = [True]  # open it read-only
        assert window.open_project(folder) and window.read_only
        assert not window.menus.adjudicate.isEnabled()
    finally:
        window.close_project()
        held.release()
