"""Saved searches live in the project's meta table and survive reopening it."""

from __future__ import annotations

import json

import pytest

from archive.errors import ThreadcoderError
from archive.store.project import Project
from index.errors import QuerySyntaxError
from index.saved import META_KEY, delete_saved, get_saved, save_search, saved_searches


def test_saved_searches_are_kept_in_the_project(tmp_path):
    folder = tmp_path / "p.threadcoder"
    with Project.create_or_open(folder) as project:
        save_search(project.db, "October peak", "#metoo date:2017-10-15..2017-10-24", "-date")
        save_search(project.db, "backlash", "code:backlash -is:repost")
    with Project(folder) as project:
        names = [(s.name, s.query, s.sort) for s in saved_searches(project.db.conn)]
        raw = json.loads(project.db.conn.execute("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()[0])
    assert names == [
        ("backlash", "code:backlash -is:repost", "relevance"),
        ("October peak", "#metoo date:2017-10-15..2017-10-24", "-date"),
    ]
    assert set(raw) == {"October peak", "backlash"} and raw["backlash"]["saved_at"].endswith("Z")


def test_saving_again_under_a_name_in_any_case_replaces_it(project):
    save_search(project.db, "Peak", "#metoo")
    save_search(project.db, "peak", "#metoo lang:en")
    assert [(s.name, s.query) for s in saved_searches(project.db.conn)] == [("peak", "#metoo lang:en")]
    assert get_saved(project.db.conn, "PEAK").query == "#metoo lang:en"


def test_a_query_that_does_not_parse_is_not_saved(project):
    with pytest.raises(QuerySyntaxError, match="never closed"):
        save_search(project.db, "broken", "(women OR men")
    with pytest.raises(ThreadcoderError, match="unknown sort"):
        save_search(project.db, "x", "women", "newest")
    with pytest.raises(ThreadcoderError, match="needs a name"):
        save_search(project.db, "  ", "women")
    assert saved_searches(project.db.conn) == []


def test_unknown_names_are_clear_errors_and_deleting_forgets(project):
    save_search(project.db, "one", "women")
    with pytest.raises(ThreadcoderError, match="no saved search called 'two' \\(saved searches: one\\)"):
        get_saved(project.db.conn, "two")
    delete_saved(project.db, "ONE")
    assert saved_searches(project.db.conn) == []
    with pytest.raises(ThreadcoderError, match="saved searches: none yet"):
        delete_saved(project.db, "one")


def test_a_damaged_entry_is_a_clear_error(project):
    with project.db.atomic():
        project.db.conn.execute("INSERT INTO meta VALUES (?, ?)", (META_KEY, "{not json"))
    with pytest.raises(ThreadcoderError, match="saved searches of this project cannot be read"):
        saved_searches(project.db.conn)
