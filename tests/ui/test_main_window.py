"""The main window: a project's posts in a lazy table, counts in the status line, opened as the project's writer."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from app.bidi import without_isolates
from app.posts_query import PostListReader
from archive.importing.batch_writer import BatchWriter
from archive.importing.batches import Batch
from archive.importing.records import AuthorRecord, PostRecord
from archive.store.lock import ProjectLock
from archive.store.project import Project
from ui.reading.posts_model import PAGE_SIZE, Column, PostIdRole, PostsModel


def make_project(folder: Path, n_posts: int) -> Path:
    author = AuthorRecord("twitter", "7", handle="ana_reads")
    records = [
        PostRecord(
            "twitter",
            str(1000 + i),
            text=f"post number {i}\nsecond line",
            author=author,
            created_at=f"2017-10-{15 + i % 10:02d}T12:00:00Z",
            reply_to=str(999 + i) if i else None,
            lang="en",
        )
        for i in range(n_posts)
    ]
    with Project.create_or_open(folder) as project, project.db.atomic():
        project.db.conn.execute(
            "INSERT INTO imports (id, file, sha256, format, status, started_at) "
            "VALUES (1, 'f', 'x', 'twarc2', 'complete', 't')"
        )
        BatchWriter(project.db.conn, 1, "f").write(Batch(records=records))
    return folder


def test_the_window_shows_posts_and_counts(window, tmp_path):
    folder = make_project(tmp_path / "p", 5)
    assert window.open_project(folder)
    model = window.table.model()
    assert model.rowCount() == 5
    assert without_isolates(model.index(0, Column.AUTHOR).data()) == "@ana_reads"
    assert model.index(0, Column.CREATED).data() == "2017-10-15 12:00:00"
    assert model.index(1, Column.TYPE).data() == "reply"
    assert model.index(0, Column.TEXT).data() == "post number 0 ⏎ second line"
    assert model.index(0, Column.TEXT).data(Qt.ItemDataRole.ToolTipRole) == "post number 0\nsecond line"
    assert model.index(2, 0).data(PostIdRole) == "twitter:1002"
    status = window.status_label.text()
    assert "5 posts" in status
    assert "1 thread ·" in status
    assert "4 replies ·" in status and "4 of them with their parent" in window.status_label.toolTip()
    assert folder.name in window.windowTitle()


def test_the_window_is_the_projects_writer(window, tmp_path):
    folder = make_project(tmp_path / "p", 1)
    window.open_project(folder)
    assert window.project.writable
    other = ProjectLock(folder)
    try:
        other.acquire()
        raise AssertionError("a second writer got the lock")
    except Exception as error:
        assert "open in another Threadcoder process" in str(error)
    window.close_project()
    other.acquire()  # closing the project let go of the lock
    other.release()


def test_a_project_locked_by_another_process_can_be_opened_read_only(window, tmp_path):
    folder = make_project(tmp_path / "p", 2)
    held = ProjectLock(folder)
    held.acquire()
    try:
        window.answers = [False]
        assert not window.open_project(folder)  # the user said no: nothing opened
        assert window.project is None
        window.answers = [True]
        assert window.open_project(folder)
        assert window.read_only
        assert "(read-only)" in window.windowTitle()
        assert not window.menus.import_.isEnabled()
        window.show_import_dialog()
        assert "open read-only" in window.messages[-1]
    finally:
        window.close_project()
        held.release()


def test_a_repost_says_whose_words_it_shows(window, tmp_path):
    folder = tmp_path / "p"
    with Project.create_or_open(folder) as project, project.db.atomic():
        project.db.conn.execute(
            "INSERT INTO imports (id, file, sha256, format, status, started_at) "
            "VALUES (1, 'f', 'x', 't', 'complete', 't')"
        )
        original = PostRecord("twitter", "1", text="I was 12.", author=AuthorRecord("twitter", "5", handle="sam"))
        repost = PostRecord("twitter", "2", text="I was 12.", repost_of="1", author=AuthorRecord("twitter", "6"))
        BatchWriter(project.db.conn, 1, "f").write(Batch(records=[original, repost]))
    window.open_project(folder)
    texts = {window.table.model().index(r, Column.TEXT).data() for r in range(2)}
    assert {without_isolates(text) for text in texts} == {"I was 12.", "↻ @sam: I was 12."}


def test_a_folder_that_is_not_a_project_gives_a_message_not_a_crash(window, tmp_path):
    assert not window.open_project(tmp_path)
    assert window.messages and "not a Threadcoder project" in window.messages[0]
    assert window.project is None
    assert not (tmp_path / "project.lock").exists()


def test_a_new_project_gets_the_threadcoder_suffix_and_opens_empty(window, tmp_path):
    assert window.new_project(tmp_path / "my study")
    assert window.project.folder == tmp_path / "my study.threadcoder"
    assert window.table.model().rowCount() == 0
    assert window.menus.import_.isEnabled()


def test_a_new_project_never_takes_over_a_folder_of_other_files(window, tmp_path):
    taken = tmp_path / "notes.threadcoder"
    taken.mkdir()
    (taken / "thesis.docx").write_text("x")
    assert not window.new_project(taken)
    assert "holds other files" in window.messages[0]


def test_opened_projects_are_remembered_most_recent_first(window, tmp_path, settings):
    first, second = make_project(tmp_path / "a", 1), make_project(tmp_path / "b", 1)
    window.open_project(first)
    window.open_project(second)
    window.open_project(first)
    assert window.recent.paths() == [first.resolve(), second.resolve()]
    window.close_project()
    assert window.pages.currentWidget() is window.welcome
    assert window.welcome.recent.count() == 2
    window.welcome.recent_chosen.emit(second)
    assert window.project.folder == second


def test_the_model_reads_rows_page_by_page(tmp_path, qtbot):
    folder = make_project(tmp_path / "p", PAGE_SIZE * 3 + 7)
    with Project(folder, writable=False) as project:
        reader = PostListReader(project.db.conn)
        QAbstractItemModelTester(PostsModel(reader), QAbstractItemModelTester.FailureReportingMode.Fatal)
        model = PostsModel(PostListReader(project.db.conn))
        last = model.rowCount() - 1
        assert model.index(last, Column.TEXT).data().startswith(f"post number {last} ")
        assert len(model._pages) == 1  # only the page on screen was read
        assert model.index(0, Column.TEXT).data().startswith("post number 0 ")
        assert len(model._pages) == 2


def test_many_void_qt_calls_do_not_abort_python(qtbot):
    """PySide6 6.12.0 drops a reference to None on every void call and aborts Python after ~5,000."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    qtbot.addWidget(label)
    for i in range(20_000):
        label.setText(str(i))
        if i % 1000 == 0:
            QCoreApplication.processEvents()
    assert label.text() == "19999"


def test_a_big_projects_list_and_counts_are_read_in_the_background(window, qtbot, tmp_path):
    """What the launch does on a million posts: the window opens at once, the list and counts follow."""
    folder = make_project(tmp_path / "p", 30)
    window.background_lists = True
    with qtbot.waitSignal(window.lists.reader.idle, timeout=10_000):
        window.open_project(folder)
        assert window.model.loading and window.status_label.text() == "Counting posts…"
    assert not window.model.loading and window.model.rowCount() == 30
    assert window.status_label.text().startswith("30 posts")
    assert window.current_post_id() == "twitter:1000"  # the first post is selected when the list arrives
    window.select_row(5)
    chosen = window.current_post_id()
    with qtbot.waitSignal(window.lists.reader.idle, timeout=10_000):
        window.table.sortByColumn(Column.CREATED, Qt.SortOrder.DescendingOrder)
    assert window.model.index(0, Column.CREATED).data() >= window.model.index(29, Column.CREATED).data()
    assert window.current_post_id() == chosen  # a new order keeps the post selected
    assert window.table.currentIndex().row() != 5


def test_a_stale_list_is_dropped(tmp_path, qtbot):
    from array import array

    folder = make_project(tmp_path / "p", 3)
    asked: list[int] = []
    with Project(folder, writable=False) as project:
        model = PostsModel(PostListReader(project.db.conn), loader=lambda token, *_: asked.append(token))
        model.sort(Column.AUTHOR)
        assert asked == [1, 2] and model.loading
        assert not model.set_list(1, array("q", [1]))  # the answer to the first request comes too late
        assert model.set_list(2, array("q", [1, 2]))
        assert model.rowCount() == 2 and not model.loading


def test_a_list_read_in_the_background_brings_its_first_page_so_the_first_paint_reads_nothing(tmp_path, monkeypatch):
    from app.list_jobs import list_job
    from archive.jobs import CancelToken, drain

    folder = make_project(tmp_path / "p", 3)
    listed = drain(list_job(folder, 1, None, None, None)(CancelToken()))
    assert len(listed.first_page) == min(PAGE_SIZE, len(listed.rowids)) > 0
    with Project(folder, writable=False) as project:
        model = PostsModel(PostListReader(project.db.conn), loader=lambda *_: None)
        monkeypatch.setattr(PostListReader, "rows", lambda *_: pytest.fail("read on the UI thread"))
        assert model.set_list(1, listed.rowids, listed.first_page)
        assert model.index(0, Column.TEXT).data() == listed.first_page[0].cell(Column.TEXT).replace("\n", " ⏎ ")
