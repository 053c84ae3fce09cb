"""Memos on posts, codes, threads and the project: attributed, time-stamped, editable by their author."""

from __future__ import annotations

import pytest

from archive.coding.errors import CodingError
from archive.coding.memos import MemoTarget, add_memo, delete_memo, edit_memo, list_memos, memos_for


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


def test_a_thread_memo_written_on_any_reply_is_kept_on_the_threads_root(project, team):
    memo = add_memo(project.db, team.ana.id, MemoTarget.THREAD, "twitter:3", "The replies turn hostile.")
    assert memo.target_id == "twitter:1"  # twitter:3 replies to twitter:1, the root
    assert memos_for(project.db.conn, MemoTarget.THREAD, "twitter:1", None) == [memo]


def test_a_code_memo_keeps_the_codebooks_guid_and_reads_as_the_codes_name(project, team):
    written = "{" + team.critical.guid.upper() + "}"  # as a .qdc file might write it
    memo = add_memo(project.db, team.ana.id, MemoTarget.CODE, written, "Sarcasm counts as critical.")
    assert (memo.target_id, memo.about) == (team.critical.guid, "Critical")


def test_the_memo_list_goes_project_codes_threads_posts_and_filters_by_coder_and_kind(project, team):
    db = project.db
    add_memo(db, team.bo.id, MemoTarget.POST, "twitter:2", "Grateful reply.")
    add_memo(db, team.ana.id, MemoTarget.POST, "twitter:2", "Supportive.")
    add_memo(db, team.ana.id, MemoTarget.CODE, team.survivor.guid, "Only first-person disclosures.")
    add_memo(db, team.ana.id, MemoTarget.PROJECT, "", "Pilot round ends Friday.")
    add_memo(db, team.bo.id, MemoTarget.THREAD, "twitter:1", "Mixed replies.")
    every = list_memos(db.conn, None)
    assert [(m.target.value, m.about, m.coder) for m in every] == [
        ("project", "", "ana"),
        ("code", "Male survivor", "ana"),
        ("thread", "twitter:1", "bo"),
        ("post", "twitter:2", "bo"),
        ("post", "twitter:2", "ana"),
    ]
    assert [m.text for m in list_memos(db.conn, None, coder_id=team.bo.id)] == ["Mixed replies.", "Grateful reply."]
    assert [m.coder for m in list_memos(db.conn, None, target=MemoTarget.POST)] == ["bo", "ana"]


def test_in_blind_mode_the_list_hides_other_coders_post_and_thread_memos(project, team):
    add_memo(project.db, team.bo.id, MemoTarget.POST, "twitter:2", "bo's reading.")
    add_memo(project.db, team.bo.id, MemoTarget.THREAD, "twitter:1", "bo's thread note.")
    add_memo(project.db, team.bo.id, MemoTarget.CODE, team.survivor.guid, "bo's code note.")
    assert [m.text for m in list_memos(project.db.conn, team.ana.id)] == ["bo's code note."]
    assert len(list_memos(project.db.conn, team.bo.id)) == 3
    assert len(list_memos(project.db.conn, None)) == 3  # the project's view (exports): everything
