"""Assigning posts and samples to coders, and tracking coded / remaining per coder."""

from __future__ import annotations

import pytest

from archive.coding.assignments import (
    Progress,
    assign_posts,
    assign_sample,
    assigned_posts,
    progress,
    unassign_posts,
)
from archive.coding.codings import apply_code
from archive.coding.errors import CodingError
from archive.coding.samples import SampleRule, draw_sample, sample_posts
from archive.coding.status import complete_post, mark_no_code_applies


def test_a_sample_assigned_to_two_coders_is_double_coded(project, team):
    sample = draw_sample(project.db, "double", SampleRule(size=3), seed=1)
    assert assign_sample(project.db, team.ana.id, sample) == 3
    assert assign_sample(project.db, team.bo.id, sample) == 3
    drawn = sample_posts(project.db.conn, sample.id)
    assert assigned_posts(project.db.conn, team.ana.id) == drawn == assigned_posts(project.db.conn, team.bo.id)


def test_progress_counts_completed_posts_including_no_code_applies(project, team):
    assign_posts(project.db, team.ana.id, ["twitter:1", "twitter:2", "twitter:3", "twitter:4"])
    apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    complete_post(project.db, "twitter:1", team.ana.id)
    mark_no_code_applies(project.db, "twitter:2", team.ana.id)
    apply_code(project.db, "twitter:3", team.critical.id, team.ana.id)

    assert progress(project.db.conn) == [Progress("ana", assigned=4, completed=2, in_progress=1)]
    assert progress(project.db.conn)[0].remaining == 2
    assert assigned_posts(project.db.conn, team.ana.id, remaining_only=True) == ["twitter:3", "twitter:4"]


def test_progress_within_one_sample(project, team):
    sample = draw_sample(project.db, "s", SampleRule(size=2), seed=4)
    assign_sample(project.db, team.bo.id, sample)
    assign_posts(project.db, team.bo.id, ["twitter:1", "twitter:2", "twitter:3", "twitter:4"])
    first = sample_posts(project.db.conn, sample.id)[0]
    mark_no_code_applies(project.db, first, team.bo.id)
    assert progress(project.db.conn, sample=sample) == [Progress("bo", assigned=2, completed=1, in_progress=0)]


def test_assigning_twice_keeps_one_assignment_and_unassigning_keeps_codings(project, team):
    assign_posts(project.db, team.bo.id, ["twitter:1"])
    assert assign_posts(project.db, team.bo.id, ["twitter:1", "twitter:2"]) == 1
    apply_code(project.db, "twitter:1", team.survivor.id, team.bo.id)
    assert unassign_posts(project.db, team.bo.id, ["twitter:1"]) == 1
    assert assigned_posts(project.db.conn, team.bo.id) == ["twitter:2"]
    assert project.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 1


def test_unknown_posts_are_refused(project, team):
    with pytest.raises(CodingError, match="not in the project"):
        assign_posts(project.db, team.bo.id, ["twitter:1", "twitter:nope"])
