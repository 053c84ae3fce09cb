"""Undo and redo: per coder, of every coding, memo and codebook action, persistent across restarts."""

from __future__ import annotations

import pytest

from archive.coding.codebook import get_code
from archive.coding.codebook_edit import merge_codes, rename_code
from archive.coding.codings import apply_code, post_codings
from archive.coding.errors import UndoConflictError
from archive.coding.history import codebook_history
from archive.coding.memos import MemoTarget, add_memo, memos_for
from archive.coding.status import PostStatus, mark_no_code_applies, post_status
from archive.coding.undo import redo, undo, undo_history
from archive.store.project import Project


def codes_of(db, post_id):
    return sorted((c.coder, c.code) for c in post_codings(db.conn, post_id, None))


def test_undo_removes_a_coding_and_redo_brings_it_back(project, team, queued):
    apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    queued()
    assert undo(project.db, team.ana.id).posts == ("twitter:1",)
    assert codes_of(project.db, "twitter:1") == []
    assert queued() == {"twitter:1"}  # the index forgets the code at once
    redo(project.db, team.ana.id)
    assert codes_of(project.db, "twitter:1") == [("ana", "Male survivor")]
    assert queued() == {"twitter:1"}


def test_undo_is_per_coder(project, team):
    apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    apply_code(project.db, "twitter:1", team.critical.id, team.bo.id)
    undo(project.db, team.ana.id)
    assert codes_of(project.db, "twitter:1") == [("bo", "Critical")]


def test_undo_of_a_replaced_value_restores_the_old_value(project, team):
    apply_code(project.db, "twitter:2", team.supportive.id, team.ana.id)
    apply_code(project.db, "twitter:2", team.critical.id, team.ana.id)
    undo(project.db, team.ana.id)
    assert codes_of(project.db, "twitter:2") == [("ana", "Supportive")]


def test_no_code_applies_is_undone_as_one_action(project, team):
    apply_code(project.db, "twitter:3", team.critical.id, team.bo.id)
    mark_no_code_applies(project.db, "twitter:3", team.bo.id)
    undo(project.db, team.bo.id)
    assert post_status(project.db.conn, "twitter:3", team.bo.id) is PostStatus.IN_PROGRESS
    assert codes_of(project.db, "twitter:3") == [("bo", "Critical")]


def test_undo_and_redo_survive_a_restart(project, team):
    apply_code(project.db, "twitter:1", team.survivor.id, team.bo.id)
    apply_code(project.db, "twitter:2", team.supportive.id, team.bo.id)
    undo(project.db, team.bo.id)
    project.close()  # quit the app

    with Project(project.folder) as reopened:
        redo(reopened.db, team.bo.id)
        assert codes_of(reopened.db, "twitter:2") == [("bo", "Supportive")]
        undo(reopened.db, team.bo.id)
        undo(reopened.db, team.bo.id)
        assert codes_of(reopened.db, "twitter:1") == []
        assert not undo(reopened.db, team.bo.id).changed  # nothing left to undo


def test_a_new_action_clears_the_redo_chain(project, team):
    apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    undo(project.db, team.ana.id)
    apply_code(project.db, "twitter:2", team.survivor.id, team.ana.id)
    assert not redo(project.db, team.ana.id).changed


def test_the_history_lists_actions_newest_first(project, team):
    apply_code(project.db, "twitter:1", team.survivor.id, team.bo.id)
    apply_code(project.db, "twitter:2", team.critical.id, team.bo.id)
    undo(project.db, team.bo.id)
    entries = undo_history(project.db.conn, team.bo.id)
    assert [(e.label, e.undone) for e in entries] == [
        ("apply 'Critical' to twitter:2", True),
        ("apply 'Male survivor' to twitter:1", False),
    ]


def test_codebook_actions_undo_too_and_bump_the_version(project, team, queued):
    apply_code(project.db, "twitter:1", team.survivor.id, team.bo.id)
    rename_code(project.db, team.ana.id, team.survivor.id, "Survivor")
    queued()
    undo(project.db, team.ana.id)
    assert get_code(project.db.conn, team.survivor.id).name == "Male survivor"
    assert queued() == {"twitter:1"}  # re-indexed under the old name
    assert codebook_history(project.db.conn)[-1].summary == "undo: rename 'Male survivor' to 'Survivor'"


def test_undoing_a_merge_puts_every_coding_back(project, team):
    apply_code(project.db, "twitter:2", team.supportive.id, team.bo.id)
    apply_code(project.db, "twitter:3", team.critical.id, team.bo.id)
    merge_codes(project.db, team.ana.id, team.critical.id, team.supportive.id)
    assert codes_of(project.db, "twitter:3") == [("bo", "Supportive")]
    undo(project.db, team.ana.id)
    assert codes_of(project.db, "twitter:3") == [("bo", "Critical")]
    assert not get_code(project.db.conn, team.critical.id).retired


def test_an_undo_never_overwrites_a_later_change_by_someone_else(project, team):
    rename_code(project.db, team.ana.id, team.survivor.id, "Survivor")
    rename_code(project.db, team.bo.id, team.survivor.id, "Male survivors")
    with pytest.raises(UndoConflictError, match="changed since"):
        undo(project.db, team.ana.id)
    assert get_code(project.db.conn, team.survivor.id).name == "Male survivors"


def test_memos_undo_and_redo(project, team):
    add_memo(project.db, team.ana.id, MemoTarget.PROJECT, "", "Start with the October posts.")
    undo(project.db, team.ana.id)
    assert memos_for(project.db.conn, MemoTarget.PROJECT, "", team.ana.id) == []
    redo(project.db, team.ana.id)
    (memo,) = memos_for(project.db.conn, MemoTarget.PROJECT, "", team.ana.id)
    assert memo.text == "Start with the October posts."
