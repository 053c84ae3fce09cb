"""Applying codes: whole posts or spans, variables replacing their other value, and the index queue."""

from __future__ import annotations

import pytest

from archive.coding.codebook_edit import retire_code
from archive.coding.codings import apply_code, code_counts, coder_codings, post_codings, remove_code, toggle_code
from archive.coding.errors import CodingError
from archive.coding.history import codebook_version


def codes_of(project, post_id, coder):
    return sorted(c.code for c in post_codings(project.db.conn, post_id, coder.id))


def test_a_coding_is_attributed_time_stamped_and_cites_the_codebook_version(project, team):
    result = apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    (coding,) = post_codings(project.db.conn, "twitter:1", team.ana.id)
    assert result.changed and result.posts == ("twitter:1",)
    assert (coding.code, coding.coder, coding.span) == ("Male survivor", "ana", None)
    assert coding.created_at.endswith("Z")
    assert coding.codebook_version == codebook_version(project.db.conn)


def test_every_coding_change_queues_the_post_for_the_search_index(project, team, queued):
    apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    assert queued() == {"twitter:1"}
    remove_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    assert queued() == {"twitter:1"}


def test_applying_a_code_twice_changes_nothing(project, team, queued):
    apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    queued()
    again = apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    assert not again.changed
    assert queued() == set()


def test_a_value_of_a_variable_replaces_the_coders_other_value(project, team):
    apply_code(project.db, "twitter:2", team.supportive.id, team.ana.id)
    apply_code(project.db, "twitter:2", team.critical.id, team.ana.id)
    apply_code(project.db, "twitter:2", team.supportive.id, team.bo.id)
    assert codes_of(project, "twitter:2", team.ana) == ["Critical"]
    assert codes_of(project, "twitter:2", team.bo) == ["Supportive"]  # another coder's value is untouched


def test_independent_codes_sit_side_by_side(project, team):
    apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    apply_code(project.db, "twitter:1", team.supportive.id, team.ana.id)
    assert codes_of(project, "twitter:1", team.ana) == ["Male survivor", "Supportive"]


def test_a_code_can_apply_to_a_span_of_the_text(project, team):
    apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id, span=(7, 23))
    apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    spans = sorted(str(c.span) for c in coder_codings(project.db.conn, team.ana.id))
    assert spans == ["(7, 23)", "None"]
    remove_code(project.db, "twitter:1", team.survivor.id, team.ana.id, span=(7, 23))
    assert [c.span for c in coder_codings(project.db.conn, team.ana.id)] == [None]


def test_spans_must_fit_the_text_and_variables_apply_to_whole_posts(project, team):
    with pytest.raises(CodingError, match="does not fit"):
        apply_code(project.db, "twitter:2", team.survivor.id, team.ana.id, span=(0, 999))
    with pytest.raises(CodingError, match="whole posts only"):
        apply_code(project.db, "twitter:2", team.supportive.id, team.ana.id, span=(0, 5))


def test_a_key_press_toggles_a_code(project, team):
    toggle_code(project.db, "twitter:3", team.critical.id, team.bo.id)
    assert codes_of(project, "twitter:3", team.bo) == ["Critical"]
    toggle_code(project.db, "twitter:3", team.critical.id, team.bo.id)
    assert codes_of(project, "twitter:3", team.bo) == []


def test_retired_codes_categories_and_unknown_posts_are_refused(project, team):
    retire_code(project.db, team.ana.id, team.survivor.id)
    with pytest.raises(CodingError, match="retired"):
        apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    with pytest.raises(CodingError, match="not applied itself"):
        apply_code(project.db, "twitter:1", team.stance.id, team.ana.id)
    with pytest.raises(CodingError, match="no post"):
        apply_code(project.db, "twitter:999", team.supportive.id, team.ana.id)


def test_placeholders_cannot_be_coded(project, team):
    project.db.conn.execute(
        "INSERT INTO posts (id, platform, native_id, kind) VALUES ('twitter:0', 'twitter', '0', 'placeholder')"
    )
    with pytest.raises(CodingError, match="never collected"):
        apply_code(project.db, "twitter:0", team.survivor.id, team.ana.id)


def test_code_counts_follow_what_the_viewer_may_see(project, team):
    apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    apply_code(project.db, "twitter:2", team.survivor.id, team.bo.id)
    assert code_counts(project.db.conn, team.ana.id) == {team.survivor.id: 1}  # blind mode hides bo's
    assert code_counts(project.db.conn, None) == {team.survivor.id: 2}  # the project's own view
