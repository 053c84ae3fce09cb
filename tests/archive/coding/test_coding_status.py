"""Completion per post and coder: "coded, no code applies" is not "not coded yet"."""

from __future__ import annotations

from archive.coding.codings import apply_code, post_codings, remove_code
from archive.coding.status import (
    PostStatus,
    complete_post,
    mark_no_code_applies,
    post_status,
    reopen_post,
    statuses,
)
from index.coding_fields import coding_fields


def test_a_post_nobody_touched_is_not_coded(project, team):
    assert post_status(project.db.conn, "twitter:1", team.ana.id) is PostStatus.NOT_CODED
    assert not PostStatus.NOT_CODED.completed


def test_codes_without_done_are_in_progress_and_done_makes_them_coded(project, team):
    apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    assert post_status(project.db.conn, "twitter:1", team.ana.id) is PostStatus.IN_PROGRESS
    complete_post(project.db, "twitter:1", team.ana.id)
    assert post_status(project.db.conn, "twitter:1", team.ana.id) is PostStatus.CODED


def test_no_code_applies_is_a_completed_status_of_its_own(project, team, queued):
    mark_no_code_applies(project.db, "twitter:4", team.bo.id)
    status = post_status(project.db.conn, "twitter:4", team.bo.id)
    assert status is PostStatus.NO_CODE_APPLIES and status.completed
    assert queued() == {"twitter:4"}  # search can find posts a coder completed
    assert coding_fields(project.db.conn, ["twitter:4"])["twitter:4"].completed_by == ("bo",)


def test_no_code_applies_removes_the_coders_codes_in_the_same_action(project, team):
    apply_code(project.db, "twitter:3", team.critical.id, team.bo.id)
    apply_code(project.db, "twitter:3", team.critical.id, team.ana.id)
    mark_no_code_applies(project.db, "twitter:3", team.bo.id)
    assert [c.coder for c in post_codings(project.db.conn, "twitter:3", None)] == ["ana"]


def test_removing_the_last_code_of_a_done_post_means_no_code_applies(project, team):
    apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    complete_post(project.db, "twitter:1", team.ana.id)
    remove_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    assert post_status(project.db.conn, "twitter:1", team.ana.id) is PostStatus.NO_CODE_APPLIES


def test_reopening_takes_back_done(project, team):
    mark_no_code_applies(project.db, "twitter:4", team.ana.id)
    reopen_post(project.db, "twitter:4", team.ana.id)
    assert post_status(project.db.conn, "twitter:4", team.ana.id) is PostStatus.NOT_CODED


def test_statuses_of_many_posts_at_once(project, team):
    apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    complete_post(project.db, "twitter:1", team.ana.id)
    apply_code(project.db, "twitter:2", team.supportive.id, team.ana.id)
    mark_no_code_applies(project.db, "twitter:3", team.ana.id)
    assert statuses(project.db.conn, ["twitter:1", "twitter:2", "twitter:3", "twitter:4"], team.ana.id) == {
        "twitter:1": PostStatus.CODED,
        "twitter:2": PostStatus.IN_PROGRESS,
        "twitter:3": PostStatus.NO_CODE_APPLIES,
        "twitter:4": PostStatus.NOT_CODED,
    }
