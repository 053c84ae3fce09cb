"""Coding in the app: keys tick codes, variables behave as radio groups, done moves on, undo, coders, blind mode."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester, QTest

from app.bidi import first_words, without_isolates
from app.coding_session import CodingSession
from app.posts_query import Column
from archive.coding.codebook import find_code, list_codes
from archive.coding.codebook_import import import_codebook
from archive.coding.codebook_io import read_codebook
from archive.coding.coders import add_coder
from archive.coding.codings import post_codings
from archive.coding.status import PostStatus
from archive.store.project import Project
from ui.coding.codebook_model import CodebookModel, CodeKind, KindRole

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal
STARTER = Path(str(resources.files("resources") / "codebooks" / "metoo-men.json"))


@pytest.fixture
def coded_folder(demo_folder):
    """The demo project with the starter codebook and two coders, ana and bo."""
    with Project(demo_folder) as project:
        ana = add_coder(project.db, "ana")
        add_coder(project.db, "bo")
        import_codebook(project.db, ana.id, read_codebook(STARTER), STARTER.name)
    return demo_folder


@pytest.fixture
def project(coded_folder):
    with Project(coded_folder) as opened:
        yield opened


def code(project, name):
    return find_code(project.db.conn, name)


def first_post(project) -> str:
    return project.db.conn.execute("SELECT id FROM posts WHERE kind = 'collected' ORDER BY rowid LIMIT 1").fetchone()[0]


def test_a_key_toggles_an_independent_code(project):
    session = CodingSession(project.db, 1)
    post = first_post(project)
    session.choose(post, code(project, "Not all men"))
    assert session.state(post).applied == {code(project, "Not all men").id}
    assert session.state(post).status is PostStatus.IN_PROGRESS
    session.choose(post, code(project, "Not all men"))
    assert session.state(post).applied == frozenset()


def test_a_value_of_a_variable_replaces_the_other_value(project):
    session = CodingSession(project.db, 1)
    post = first_post(project)
    session.choose(post, code(project, "Supportive"))
    session.choose(post, code(project, "Critical"))
    assert session.state(post).applied == {code(project, "Critical").id}
    session.choose(post, code(project, "Critical"))  # choosing the chosen value again clears the variable
    assert session.state(post).applied == frozenset()


def test_done_and_no_code_applies_are_not_the_same(project):
    session = CodingSession(project.db, 1)
    post = first_post(project)
    session.choose(post, code(project, "Hostile backlash"))
    session.mark_done(post)
    assert session.state(post).status is PostStatus.CODED
    session.no_code_applies(post)
    assert session.state(post).status is PostStatus.NO_CODE_APPLIES
    assert session.state(post).applied == frozenset()


def test_the_memo_is_written_changed_and_removed(project):
    session = CodingSession(project.db, 1)
    post = first_post(project)
    assert session.save_memo(post, "irony?")
    assert not session.save_memo(post, "irony? ")  # the same text: nothing to save
    assert session.save_memo(post, "irony, surely")
    assert session.state(post).memo.text == "irony, surely"
    assert session.save_memo(post, "")
    assert session.state(post).memo is None


def post_phrase(project, post_id: str) -> str:
    handle, text = project.db.conn.execute(
        "SELECT a.handle, p.text FROM posts AS p JOIN authors AS a ON a.id = p.author_id WHERE p.id = ?", (post_id,)
    ).fetchone()
    return f"@{handle} “{first_words(text, 30)}”"


def test_undo_and_redo_say_what_they_would_do(project):
    session = CodingSession(project.db, 1)
    post = first_post(project)
    session.choose(post, code(project, "Not all men"))
    undo_label, redo_label = session.undo_labels()
    said = f"apply 'Not all men' to {post_phrase(project, post)}"
    assert without_isolates(undo_label) == said and redo_label is None
    assert "twitter:" not in undo_label  # a coder reads who wrote it and how it starts, not an id
    session.undo()
    assert without_isolates(session.undo_labels()[1]) == said
    session.redo()
    assert session.state(post).applied == {code(project, "Not all men").id}


def test_blind_mode_hides_other_coders_work(project):
    ana, bo = CodingSession(project.db, 1), CodingSession(project.db, 2)
    post = first_post(project)
    ana.choose(post, code(project, "Not all men"))
    ana.save_memo(post, "ana's note")
    assert bo.state(post).others == {} and bo.state(post).other_memos == ()
    assert "only your own" in bo.blind_text()
    from archive.coding.blind import set_blind_mode

    set_blind_mode(project.db, False, 2)
    assert bo.state(post).others == {"ana": PostStatus.IN_PROGRESS}
    assert [m.text for m in bo.state(post).other_memos] == ["ana's note"]


def test_a_placeholder_cannot_be_coded(project):
    placeholder = project.db.conn.execute("SELECT id FROM posts WHERE kind = 'placeholder'").fetchone()[0]
    state = CodingSession(project.db, 1).state(placeholder)
    assert not state.codable and "Not collected" in state.reason


def test_the_codebook_model_marks_variables_values_and_ticks(project, qtbot):
    model = CodebookModel()
    QAbstractItemModelTester(model, FATAL)
    model.load(list_codes(project.db.conn))
    kinds = {}
    stack = [model.index(r, 0) for r in range(model.rowCount())]
    while stack:
        index = stack.pop()
        kinds[index.data()] = index.data(KindRole)
        stack.extend(model.index(r, 0, index) for r in range(model.rowCount(index)))
    assert kinds["Stance toward the man's post"] == CodeKind.VARIABLE
    assert kinds["Supportive"] == CodeKind.VALUE
    assert kinds["Men's participation"] == CodeKind.CATEGORY
    assert kinds["Not all men"] == CodeKind.CODE
    supportive = model.index_of(code(project, "Supportive").id)
    assert supportive.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    model.set_applied(frozenset({code(project, "Supportive").id}))
    assert supportive.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    with qtbot.waitSignal(model.choose_requested) as asked:
        assert not model.setData(supportive, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert asked.args[0].name == "Supportive"


# In the window ------------------------------------------------------------------------------------------------


@pytest.fixture
def coding_window(window, coded_folder):
    window.show()
    window.open_project(coded_folder)
    window.coding.set_coder(1)
    return window


def current_applied(window, coder_id: int = 1) -> set[str]:
    project = window.project
    post = window.coding_panel.post_id
    return {c.code for c in post_codings(project.db.conn, post, coder_id) if c.coder_id == coder_id}


def test_a_code_shortcut_ticks_the_code_on_the_current_post(coding_window):
    window = coding_window
    window.table.setFocus()
    QTest.keyClick(window.table, Qt.Key.Key_5)  # "Not all men" has the shortcut 5 in the starter codebook
    assert current_applied(window) == {"Not all men"}
    index = window.coding_panel.model.index_of(find_code(window.project.db.conn, "Not all men").id)
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert window.model.index(window.table.currentIndex().row(), Column.CODED).data() == "started"
    said = f"&Undo apply 'Not all men' to {post_phrase(window.project, window.coding_panel.post_id)}"
    assert without_isolates(window.menus.undo.text()) == said


def test_done_moves_to_the_next_uncoded_post_and_undo_comes_back(coding_window):
    window = coding_window
    first = window.current_post_id()
    QTest.keyClick(window.table, Qt.Key.Key_S)  # Supportive
    window.menus.mark_done.trigger()
    assert window.current_post_id() != first
    assert window.model.index(0, Column.CODED).data() == "✓ coded"
    window.menus.undo.trigger()  # undo "mark done": back on the first post, in progress again
    assert window.current_post_id() == first
    assert window.model.index(0, Column.CODED).data() == "started"


def test_next_uncoded_skips_posts_already_coded(coding_window):
    window = coding_window
    session = window.coding.session
    second, third = (window.model.post_at(r).post_id for r in (1, 2))
    session.mark_done(second)
    window.select_row(0)
    window.go_to_uncoded(True)
    assert window.current_post_id() == third
    window.go_to_uncoded(False)
    assert window.table.currentIndex().row() == 0


def test_no_code_applies_from_the_menu(coding_window):
    window = coding_window
    first = window.current_post_id()
    window.menus.no_code.trigger()
    assert window.coding.session.state(first).status is PostStatus.NO_CODE_APPLIES


def test_the_memo_is_saved_when_the_coder_moves_on(coding_window):
    window = coding_window
    first = window.current_post_id()
    window.coding_panel.memo.setPlainText("reads as sarcasm")
    window.step_post(1)
    assert window.coding.session.state(first).memo.text == "reads as sarcasm"


def test_switching_coder_shows_only_their_own_codes_in_blind_mode(coding_window):
    window = coding_window
    QTest.keyClick(window.table, Qt.Key.Key_5)
    window.coding.set_coder(2)
    assert window.coding_panel.state.applied == frozenset()
    assert window.coding_panel.state.others == {}
    assert window.model.index(0, Column.CODED).data() == ""
    window.coding.set_coder(1)
    assert window.coding_panel.state.applied != frozenset()


def test_the_coder_is_remembered_for_the_project(coding_window, settings):
    window = coding_window
    folder = window.project.folder
    window.coding.set_coder(2)
    window.close_project()
    window.open_project(folder)
    assert window.coding.session.coder.name == "bo"


def test_a_new_project_asks_for_a_coder_and_a_codebook(window, demo_folder):
    window.open_project(demo_folder)
    panel = window.coding_panel
    assert panel.session is None and "add yourself as a coder" in panel.status_label.text()
    assert window.coding.new_coder("ana")
    assert "codebook is empty" in panel.status_label.text()
    assert window.coding.load_codebook(STARTER)
    assert panel.model.rowCount() == 4
    assert not window.coding.new_coder("ana")  # a second ana is refused, with the core's reason
    assert "already a coder named" in window.messages[-1]


def test_lifting_blind_mode_asks_first(coding_window):
    window = coding_window
    window.answers = [False]
    window.coding.set_blind(False)
    assert window.coding.session.blind()
    window.answers = [True]
    window.coding.set_blind(False)
    assert not window.coding.session.blind()
    assert not window.menus.blind.isChecked()


def test_a_read_only_project_shows_codes_but_codes_nothing(window, coded_folder):
    from archive.store.lock import ProjectLock

    held = ProjectLock(coded_folder)
    held.acquire()
    try:
        window.answers = [True]
        window.open_project(coded_folder)
        assert window.coding_panel.session is None
        assert "read-only" in window.coding_panel.status_label.text()
        assert not window.menus.mark_done.isEnabled()
    finally:
        window.close_project()
        held.release()


def test_coders_are_added_and_retired_and_blind_mode_set_in_the_dialog(coding_window):
    window = coding_window
    window.menus.coders.trigger()
    dialog = window.dialogs.coders
    QAbstractItemModelTester(dialog.model, FATAL)
    assert dialog.model.rowCount() == 2
    dialog.name.setText("cy")
    dialog.full_name.setText("Cy Rowe")
    assert dialog.add()
    assert window.coding_panel.coders.count() == 3
    dialog.name.setText("bad name")
    assert not dialog.add() and "is not a coder name" in dialog.message.text()
    dialog.view.selectRow(0)  # ana, the current coder
    dialog.retire_selected()
    assert window.coding.session is None  # ana can no longer code: choose someone else
    assert dialog.model.index(0, 3).data().startswith("retired")
    window.coding.set_coder(2)
    window.answers = [True]
    dialog.blind_button.click()
    assert "Blind coding is <b>off</b>" in dialog.blind_label.text()
    dialog.close()


def test_the_codebook_editor_changes_the_codebook_through_the_core(coding_window):
    window = coding_window
    window.menus.edit_codebook.trigger()
    editor = window.dialogs.codebook
    conn = window.project.db.conn
    assert editor.add("Irony", None)
    irony = find_code(conn, "Irony")
    assert editor.tree.current_code_id() == irony.id
    editor.name.setText("Irony or sarcasm")
    editor.description.setPlainText("Says the opposite of what is meant.")
    editor.examples.setPlainText("Sure, men have it so hard.\n\nOh great, another hashtag.")
    assert editor.save()
    saved = find_code(conn, "Irony or sarcasm")
    assert saved.description == "Says the opposite of what is meant." and len(saved.examples) == 2
    resistance = find_code(conn, "Resistance")
    assert editor.move_to(saved.id, resistance.id, 0)  # as dropping it onto Resistance, first
    assert find_code(conn, "Irony or sarcasm").parent_id == resistance.id
    assert editor.retire_or_restore()
    assert find_code(conn, "Irony or sarcasm").retired
    assert window.coding_panel.model.index_of(saved.id).isValid() is False  # retired: gone from the panel
    window.menus.undo.trigger()  # the coder's undo takes back the retirement
    assert not find_code(conn, "Irony or sarcasm").retired
    editor.tree.show_codes(list_codes(conn), saved.id)
    assert editor.merge_into("Not all men")  # its codings move there; it is retired with a successor
    merged = find_code(conn, "Irony or sarcasm")
    assert merged.retired and merged.successors == (find_code(conn, "Not all men").id,)
    assert editor.message.text().startswith("Saved: the codebook is now version")
    editor.close()


def test_a_refused_codebook_change_says_why(coding_window):
    window = coding_window
    window.menus.edit_codebook.trigger()
    editor = window.dialogs.codebook
    editor.tree.setCurrentItem(editor.tree.topLevelItem(0))
    editor.name.setText("Not all men")  # another code has that name
    assert not editor.save()
    assert "already named" in editor.message.text()
    editor.close()


def test_the_demo_asks_who_is_coding_once_and_is_then_ready_to_code(window, tmp_path):
    from app.demo import open_demo_project

    folder = open_demo_project(tmp_path / "demo.threadcoder").folder
    window.texts = ["ana"]
    window.open_project(folder)
    assert len(window.asked) == 1 and "Who is coding?" in window.asked[0]
    assert window.coding.session is not None and window.coding.session.coder.name == "ana"
    panel = window.coding_panel
    assert panel.state is not None and panel.state.codable and panel.model.rowCount() > 0
    assert all(shortcut.isEnabled() for shortcut in panel._shortcuts)  # the codebook's keys are live
    assert panel.choose(find_code(window.project.db.conn, "Not all men"))
    assert current_applied(window, window.coding.session.coder_id) == {"Not all men"}
    window.close_project()
    window.open_project(folder)
    assert len(window.asked) == 1  # remembered: asked once
