"""Blind mode: a coder sees neither other coders' codings nor their status until it is lifted."""

from __future__ import annotations

from archive.coding.blind import blind_mode_changed, set_blind_mode
from archive.coding.codings import apply_code, post_codings
from archive.coding.memos import MemoTarget, add_memo, memos_for
from archive.coding.status import PostStatus, complete_post, visible_statuses


def test_in_blind_mode_a_coder_sees_only_their_own_codings_and_status(project, team):
    apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    apply_code(project.db, "twitter:1", team.supportive.id, team.bo.id)
    complete_post(project.db, "twitter:1", team.bo.id)

    assert [c.coder for c in post_codings(project.db.conn, "twitter:1", team.ana.id)] == ["ana"]
    assert visible_statuses(project.db.conn, "twitter:1", team.ana.id) == {"ana": PostStatus.IN_PROGRESS}


def test_lifting_blind_mode_shows_everyone_and_records_who_lifted_it(project, team):
    apply_code(project.db, "twitter:1", team.supportive.id, team.bo.id)
    complete_post(project.db, "twitter:1", team.bo.id)
    set_blind_mode(project.db, False, team.ana.id)

    assert [c.coder for c in post_codings(project.db.conn, "twitter:1", team.ana.id)] == ["bo"]
    assert visible_statuses(project.db.conn, "twitter:1", team.ana.id) == {"bo": PostStatus.CODED}
    assert blind_mode_changed(project.db.conn)["by"] == "ana"


def test_blind_mode_hides_other_coders_post_memos_but_not_code_memos(project, team):
    add_memo(project.db, team.bo.id, MemoTarget.POST, "twitter:3", "Sarcastic, I think.")
    add_memo(project.db, team.bo.id, MemoTarget.CODE, team.critical.guid, "Includes sarcasm.")
    assert memos_for(project.db.conn, MemoTarget.POST, "twitter:3", team.ana.id) == []
    assert len(memos_for(project.db.conn, MemoTarget.CODE, team.critical.guid, team.ana.id)) == 1
    set_blind_mode(project.db, False, team.ana.id)
    assert len(memos_for(project.db.conn, MemoTarget.POST, "twitter:3", team.ana.id)) == 1


def test_the_project_view_sees_everything_even_in_blind_mode(project, team):
    apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    apply_code(project.db, "twitter:1", team.supportive.id, team.bo.id)
    assert len(post_codings(project.db.conn, "twitter:1", None)) == 2
