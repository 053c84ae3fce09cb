"""Database failures reach the window as the project's own error, naming what was being done."""

from __future__ import annotations

import sqlite3

import pytest

from app.posts_query import PostListReader
from app.thread_data import ThreadReader
from archive.errors import StoreError, ThreadcoderError
from archive.store.project import Project


@pytest.fixture
def closed_connection(tmp_path):
    with Project.create_or_open(tmp_path / "p.threadcoder") as project:
        conn = project.db.conn
    return conn  # closed with the project: every read now fails inside sqlite3


def test_the_post_list_reader_turns_database_errors_into_store_errors(closed_connection):
    reader = PostListReader(closed_connection)
    with pytest.raises(StoreError, match="Listing the posts: the project database answered"):
        reader.list_rowids(None, None, None)
    with pytest.raises(StoreError, match="Reading the posts on screen"):
        reader.rows([1, 2], None)
    with pytest.raises(StoreError, match="Finding a post"):
        reader.rowid_of("twitter:1")


def test_the_thread_reader_turns_database_errors_into_store_errors(closed_connection):
    reader = ThreadReader(closed_connection)
    with pytest.raises(StoreError, match="Reading the thread"):
        reader.plan("twitter:1")
    with pytest.raises(StoreError, match="Counting the thread"):
        reader.size("twitter:1")


def test_a_store_error_is_a_threadcoder_error_and_keeps_the_database_error_as_its_cause(closed_connection):
    with pytest.raises(ThreadcoderError) as caught:
        PostListReader(closed_connection).first_uncoded([1], coder_id=1)
    assert isinstance(caught.value.__cause__, sqlite3.Error)


def test_a_project_whose_database_cannot_be_opened_says_which_file(tmp_path):
    folder = tmp_path / "p.threadcoder"
    (folder / "project.db").mkdir(parents=True)  # a folder where the database should be
    with pytest.raises(ThreadcoderError, match=r"project\.db"):
        Project(folder)
    Project.create_or_open(tmp_path / "other").close()  # the lock was let go: nothing left held
