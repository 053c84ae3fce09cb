"""The thread view: a post in its conversation, read lazily, with gaps, quotes and reposts shown for what they are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester, QTest

from app import thread_data
from app.bidi import without_isolates
from app.thread_data import ThreadReader, plan_thread, read_post
from archive.importing.batch_writer import BatchWriter
from archive.importing.batches import Batch
from archive.importing.records import AuthorRecord, PostRecord
from archive.store.project import Project
from ui.reading.post_delegate import post_html
from ui.reading.thread_model import ChildTotalRole, FocusRole, PostIdRole, PostRole, QuotedRole, ThreadModel
from ui.reading.thread_view import ThreadView

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


def post(native_id: str, text: str, handle: str, minute: int, **links) -> PostRecord:
    return PostRecord(
        "twitter",
        native_id,
        text=text,
        author=AuthorRecord("twitter", handle, handle=handle),
        created_at=f"2017-10-16T10:{minute:02d}:00Z",
        **links,
    )


def conversation(folder: Path) -> Path:
    """A thread rooted at 1: 2 and 4 reply to 1, 3 replies to 2, 6 replies to 5 which was never collected.

    7 quotes 2 (its own conversation), 8 reposts 1.
    """
    records = [
        post("1", "I was 19. #MeToo", "kofi", 0, root="1"),
        post("2", "Thank you for saying this", "ruth", 1, reply_to="1", root="1"),
        post("3", "Seconded.", "kofi", 2, reply_to="2", root="1"),
        post("4", "Same here.", "mariam", 3, reply_to="1", root="1"),
        post("6", "Not funny. Delete this.", "june", 5, reply_to="5", root="1"),
        post("7", "This reply says it best", "dara", 6, quote_of="2", root="7"),
        post("8", "I was 19. #MeToo", "pete", 7, repost_of="1", is_repost=True, root="8"),
    ]
    with Project.create_or_open(folder) as project, project.db.atomic():
        project.db.conn.execute(
            "INSERT INTO imports (id, file, sha256, format, status, started_at) "
            "VALUES (1, 'f', 'x', 'twarc2', 'complete', 't')"
        )
        BatchWriter(project.db.conn, 1, "f").write(Batch(records=records))
    return folder


@pytest.fixture
def conn(tmp_path):
    with Project(conversation(tmp_path / "p"), writable=False) as project:
        yield project.db.conn


def ids(model: ThreadModel, parent: QModelIndex | None = None) -> list[str]:
    parent = parent or QModelIndex()
    return [model.index(r, 0, parent).data(PostIdRole).split(":")[1] for r in range(model.rowCount(parent))]


def test_the_path_runs_from_the_root_down_to_the_post(conn):
    plan = plan_thread(conn, "twitter:3")
    assert [p.native_id for p in plan.path] == ["1", "2", "3"]
    assert plan.focus.native_id == "3" and plan.reposted_by is None


def test_a_gap_in_the_chain_is_bridged_by_the_stated_root(conn):
    plan = plan_thread(conn, "twitter:6")
    assert [p.native_id for p in plan.path] == ["1", "5", "6"]
    assert plan.path[1].placeholder


def test_a_repost_opens_the_originals_conversation(conn):
    plan = plan_thread(conn, "twitter:8")
    assert plan.focus.native_id == "1"
    assert plan.reposted_by.handle == "pete"


def test_the_model_shows_the_tree_with_the_gap_under_the_root(conn, qtbot):
    model = ThreadModel(ThreadReader(conn))
    QAbstractItemModelTester(model, FATAL)
    focus = model.show_post("twitter:3")
    assert focus.data(PostIdRole) == "twitter:3" and focus.data(FocusRole)
    assert ids(model) == ["1"]
    root = model.index(0, 0)
    assert root.data(ChildTotalRole) == 3  # replies 2 and 4, and the placeholder 5 hanging from the gap
    while model.canFetchMore(root):
        model.fetchMore(root)
    assert ids(model, root) == ["2", "4", "5"]  # replies by time, the gap last
    gap = model.index(2, 0, root)
    assert gap.data(PostRole).placeholder and gap.data(Qt.ItemDataRole.DisplayRole) == "[not collected]"
    model.fetchMore(gap)
    assert ids(model, gap) == ["6"]


def test_replies_are_read_page_by_page(conn, qtbot, monkeypatch):
    monkeypatch.setattr(thread_data, "PAGE", 1)
    model = ThreadModel(ThreadReader(conn))
    QAbstractItemModelTester(model, FATAL)
    model.show_post("twitter:1")
    root = model.index(0, 0)
    assert model.rowCount(root) == 0 and model.canFetchMore(root)
    model.fetchMore(root)
    assert ids(model, root) == ["2"]
    model.fetchMore(root)
    model.fetchMore(root)
    assert ids(model, root) == ["2", "4", "5"] and not model.canFetchMore(root)


def test_a_quote_carries_the_quoted_post_inline(conn, qtbot):
    model = ThreadModel(ThreadReader(conn))
    focus = model.show_post("twitter:7")
    quoted = focus.data(QuotedRole)
    assert quoted.native_id == "2" and quoted.handle == "ruth"
    markup = post_html(focus.data(PostRole), quoted)
    assert "Quoting @ruth" in without_isolates(markup) and "Thank you for saying this" in markup


def test_a_placeholder_is_drawn_as_not_collected():
    placeholder = thread_data.ThreadPost(
        "twitter:5", "placeholder", "", "", "", "", False, False, None, None, None, False, "twitter:1", "", "twitter"
    )
    assert "Not collected." in post_html(placeholder, None)


def test_text_is_escaped_not_interpreted_as_markup(conn):
    shown = read_post(conn, "twitter:1")
    tricky = thread_data.ThreadPost(**{**{f: getattr(shown, f) for f in shown.__slots__}, "text": "<b>1 < 2</b>"})
    assert "&lt;b&gt;1 &lt; 2&lt;/b&gt;" in post_html(tricky, None)


@pytest.fixture
def view(qtbot, conn):
    shown = ThreadView()
    qtbot.addWidget(shown)
    shown.set_reader(ThreadReader(conn))
    shown.resize(700, 500)
    shown.show()
    yield shown
    shown.set_reader(None)


def test_the_view_opens_the_thread_down_to_the_post_and_selects_it(view):
    view.show_post("twitter:6")
    assert view.current_post_id() == "twitter:6"
    assert view.tree.isExpanded(view.model.index(0, 0))
    assert "Thread of 6 posts (1 not collected)" in re.sub("<[^>]+>", "", view.header.text())
    assert "started by @kofi" in without_isolates(view.header.text())


def test_a_small_thread_opens_every_branch_not_only_the_path_to_the_post(view):
    view.show_post("twitter:1")  # the root: no path to open, every reply branch is opened anyway
    pending, opened = [view.model.index(0, 0)], 0
    while pending:
        index = pending.pop()
        children = view.model.rowCount(index)
        if children:
            assert view.tree.isExpanded(index), index.data(PostIdRole)
            opened += 1
        pending += [view.model.index(row, 0, index) for row in range(children)]
    assert opened >= 2


def test_the_keyboard_walks_the_thread_and_the_selection_is_announced(view, qtbot):
    view.show_post("twitter:1")
    view.tree.setFocus()
    with qtbot.waitSignal(view.post_selected, timeout=1000) as moved:
        QTest.keyClick(view.tree, Qt.Key.Key_Down)
    assert moved.args == ["twitter:2"]
    QTest.keyClick(view.tree, Qt.Key.Key_Down)
    assert view.current_post_id() == "twitter:3"
    QTest.keyClick(view.tree, Qt.Key.Key_Backspace)  # back to the post the thread was opened on
    assert view.current_post_id() == "twitter:1"


def test_a_reposts_thread_says_who_reposted_it(view):
    view.show_post("twitter:8")
    assert view.current_post_id() == "twitter:1"
    assert "@pete reposted this post" in without_isolates(view.header.text())


def test_an_unknown_post_empties_the_view(view):
    view.show_post("twitter:999")
    assert view.model.rowCount() == 0
    assert view.header.text() == "This post is not in the project."


def test_selecting_a_post_in_the_window_shows_its_thread(window, tmp_path):
    window.open_project(conversation(tmp_path / "w"))
    row = window.model.row_of("twitter:4")
    window.select_row(row)
    assert window.thread_view.current_post_id() == "twitter:4"
    assert window.thread_view.model.root_id == "twitter:1"


def test_a_long_thread_after_a_short_one_keeps_the_rows_width(view, qtbot):
    view.resize(700, 160)  # six posts overflow; one does not
    view.show_post("twitter:7")
    short = view.tree.viewport().width()
    view.show_post("twitter:6")
    qtbot.wait(10)
    assert view.tree.viewport().width() == short  # no re-wrapping of every row for a scroll bar


def test_a_reply_chosen_in_the_thread_is_marked_in_the_list_and_named_in_the_coding_panel(window, tmp_path):
    window.open_project(conversation(tmp_path / "p"))
    window.coding.new_coder("ana")
    window.go_to_post("twitter:1")
    root_before = window.thread_view.model.root_id
    view = window.thread_view
    reply = next(i for i in _all_indexes(view.model) if i.data(PostIdRole) == "twitter:3")
    view.tree.setCurrentIndex(reply)
    assert window.current_post_id() == "twitter:3"  # the list marks the post being read
    assert view.model.root_id == root_before  # and the thread stayed where the reader was
    heading = without_isolates(window.coding_panel.target_label.text())
    assert heading == "Coding: @kofi · 2017-10-16 10:02 UTC · Seconded."


def test_a_post_the_list_does_not_hold_leaves_no_other_post_marked(window, tmp_path):
    window.open_project(conversation(tmp_path / "p"))
    window.search.show_list(window.model._reader.rowids_of(["twitter:1"]), "one post")
    window.select_row(0)
    view = window.thread_view
    reply = next(i for i in _all_indexes(view.model) if i.data(PostIdRole) == "twitter:2")
    view.tree.setCurrentIndex(reply)
    assert not window.table.selectionModel().hasSelection()
    assert window.coding_panel.post_id == "twitter:2"


def test_user_text_is_shown_as_text_and_isolated_from_the_line_around_it(tmp_path, qtbot):
    from app.thread_data import ThreadPost
    from ui.reading.post_delegate import post_html

    folder = tmp_path / "p"
    hostile = PostRecord(
        "twitter",
        "1",
        text="سلام",
        created_at="2020-11-19T19:16:00Z",
        author=AuthorRecord("twitter", "9", handle="<b>amir</b>", name="امیرعباس"),
    )
    with Project.create_or_open(folder) as project, project.db.atomic():
        BatchWriter(project.db.conn, 1, "f").write(Batch(records=[hostile]))
    with Project(folder, writable=False) as project:
        shown: ThreadPost = ThreadReader(project.db.conn).posts(["twitter:1"])["twitter:1"]
        view = ThreadView()
        qtbot.addWidget(view)
        view.set_reader(ThreadReader(project.db.conn))
        view.show_post("twitter:1")
        assert "started by \u2068@&lt;b&gt;amir&lt;/b&gt;\u2069" in view.header.text()  # the handle, as written
        view.set_reader(None)
    markup = post_html(shown, None)
    assert "&lt;b&gt;amir&lt;/b&gt;" in markup and "<b>amir</b>" not in markup
    assert "\u2068امیرعباس\u2069" in markup  # the right-to-left name cannot reorder the date after it


def _all_indexes(model):
    pending, found = [QModelIndex()], []
    while pending:
        parent = pending.pop()
        while model.canFetchMore(parent):
            model.fetchMore(parent)
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            found.append(index)
            pending.append(index)
    return found


def test_a_big_thread_opens_around_the_post_with_its_first_replies_showing(tmp_path, qtbot):
    # A 428-post thread once opened as its root alone, behind a small arrow.
    folder = tmp_path / "big"
    records = [post("1", "I was 19. #MeToo", "kofi", 0, root="1")]
    records += [post(str(100 + n), f"Reply number {n}", "ruth", 1, reply_to="1", root="1") for n in range(150)]
    with Project.create_or_open(folder) as project, project.db.atomic():
        BatchWriter(project.db.conn, 1, "f").write(Batch(records=records))
    with Project(folder, writable=False) as project:
        view = ThreadView()
        qtbot.addWidget(view)
        view.set_reader(ThreadReader(project.db.conn))
        view.show_post("twitter:1")
        root = view.model.index(0, 0)
        assert view.tree.isExpanded(root) and view.model.rowCount(root) > 0
        view.set_reader(None)
