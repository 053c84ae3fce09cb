"""The first window: a project's posts in a lazy table, with counts in the status line."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from archive.model import AuthorRecord, PostRecord
from archive.prepared import Batch
from archive.project import Project
from archive.writer import BatchWriter
from ui.main_window import MainWindow
from ui.posts_model import PAGE_SIZE, Column, PostIdRole, PostsModel


def make_project(folder: Path, n_posts: int) -> Path:
    author = AuthorRecord("twitter", "7", handle="ana_reads")
    records = [
        PostRecord(
            "twitter", str(1000 + i), text=f"post number {i}\nsecond line", author=author,
            created_at=f"2017-10-{15 + i % 10:02d}T12:00:00Z", reply_to=str(999 + i) if i else None, lang="en",
        )
        for i in range(n_posts)
    ]  # fmt: skip
    with Project.create_or_open(folder) as project, project.db.atomic():
        project.db.conn.execute(
            "INSERT INTO imports (id, file, sha256, format, status, started_at) "
            "VALUES (1, 'f', 'x', 'twarc2', 'complete', 't')"
        )
        BatchWriter(project.db.conn, 1, "f").write(Batch(records=records))
    return folder


@pytest.fixture
def window(qtbot):
    shown = MainWindow()
    qtbot.addWidget(shown)
    yield shown
    shown.close_project()


def test_the_window_shows_posts_and_counts(window, tmp_path):
    folder = make_project(tmp_path / "p", 5)
    assert window.open_project(folder)
    model = window.table.model()
    assert model.rowCount() == 5
    assert model.index(0, Column.AUTHOR).data() == "@ana_reads"
    assert model.index(0, Column.CREATED).data() == "2017-10-15 12:00:00"
    assert model.index(1, Column.TYPE).data() == "reply"
    assert model.index(0, Column.TEXT).data() == "post number 0 ⏎ second line"
    assert model.index(0, Column.TEXT).data(Qt.ItemDataRole.ToolTipRole) == "post number 0\nsecond line"
    assert model.index(2, 0).data(PostIdRole) == "twitter:1002"
    status = window.status_label.text()
    assert "5 posts" in status
    assert "1 thread ·" in status
    assert "4 replies (4 with their parent)" in status
    assert folder.name in window.windowTitle()


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
    assert texts == {"I was 12.", "↻ @sam: I was 12."}


def test_a_folder_that_is_not_a_project_gives_a_message_not_a_crash(window, tmp_path, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr("ui.main_window.QMessageBox.warning", lambda _parent, _title, text: shown.append(text))
    assert not window.open_project(tmp_path)
    assert shown and "not a Threadcoder project" in shown[0]
    assert window.project is None


def test_the_model_reads_rows_page_by_page(tmp_path, qtbot):
    folder = make_project(tmp_path / "p", PAGE_SIZE * 3 + 7)
    with Project(folder, writable=False) as project:
        QAbstractItemModelTester(PostsModel(project.db.conn), QAbstractItemModelTester.FailureReportingMode.Fatal)
        model = PostsModel(project.db.conn)
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
