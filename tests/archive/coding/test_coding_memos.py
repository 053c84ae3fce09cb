"""Memos on posts, codes, threads and the project: attributed, time-stamped, editable by their author."""

from __future__ import annotations

import pytest

from archive.coding.errors import CodingError
from archive.coding.memos import MemoTarget, add_memo, delete_memo, edit_memo, memos_for


def test_memos_attach_to_posts_codes_threads_and_the_project(project, team):
    db = project.db
    add_memo(db, team.ana.id, MemoTarget.POST, "twitter:3", "Reads as sarcasm.")
    add_memo(db, team.ana.id, MemoTarget.CODE, team.critical.guid, "Include sarcasm?")
    add_memo(db, team.ana.id, MemoTarget.THREAD, "twitter:1", "A survivor thread with mixed replies.")
    add_memo(db, team.ana.id, MemoTarget.PROJECT, "", "Pilot round ends Friday.")
    (memo,) = memos_for(db.conn, MemoTarget.THREAD, "twitter:1", team.ana.id)
    assert (memo.coder, memo.text) == ("ana", "A survivor thread with mixed replies.")
    assert memo.created_at == memo.updated_at and memo.created_at.endswith("Z")


def test_only_the_author_edits_or_deletes_a_memo(project, team):
    memo = add_memo(project.db, team.ana.id, MemoTarget.POST, "twitter:2", "First thought.")
    with pytest.raises(CodingError, match="only they can change it"):
        edit_memo(project.db, team.bo.id, memo.id, "Overwritten")
    edit_memo(project.db, team.ana.id, memo.id, "Second thought.")
    assert memos_for(project.db.conn, MemoTarget.POST, "twitter:2", None)[0].text == "Second thought."
    delete_memo(project.db, team.ana.id, memo.id)
    assert memos_for(project.db.conn, MemoTarget.POST, "twitter:2", None) == []


def test_memos_need_text_and_a_real_target(project, team):
    with pytest.raises(CodingError, match="needs some text"):
        add_memo(project.db, team.ana.id, MemoTarget.PROJECT, "", "  ")
    with pytest.raises(CodingError, match="no post"):
        add_memo(project.db, team.ana.id, MemoTarget.POST, "twitter:404", "x")
    with pytest.raises(CodingError, match="no code with guid"):
        add_memo(project.db, team.ana.id, MemoTarget.CODE, "not-a-guid", "x")
