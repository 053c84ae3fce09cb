"""What the search index reads about coding: codes, coders, code|coder pairs, completion and blind mode."""

from __future__ import annotations

from archive.coding.blind import blind_mode, set_blind_mode
from archive.coding.codebook_edit import rename_code
from archive.coding.codings import apply_code
from archive.coding.status import complete_post, mark_no_code_applies
from index.coding_fields import CodingFields, coding_fields


def test_posts_without_coding_state_are_left_out(project, team):
    assert coding_fields(project.db.conn, ["twitter:1", "twitter:2"]) == {}


def test_the_fields_list_codes_coders_pairs_and_completion_in_lower_case(project, team):
    db = project.db
    apply_code(db, "twitter:1", team.survivor.id, team.ana.id)
    apply_code(db, "twitter:1", team.supportive.id, team.bo.id)
    complete_post(db, "twitter:1", team.ana.id)
    mark_no_code_applies(db, "twitter:2", team.bo.id)

    fields = coding_fields(db.conn, ["twitter:1", "twitter:2", "twitter:3", "twitter:404"])

    assert fields == {
        "twitter:1": CodingFields(
            codes=("male survivor", "supportive"),
            coders=("ana", "bo"),
            code_coder=("male survivor|ana", "supportive|bo"),
            completed_by=("ana",),
        ),
        "twitter:2": CodingFields(codes=(), coders=(), code_coder=(), completed_by=("bo",)),
    }


def test_a_renamed_code_shows_under_its_new_name(project, team):
    apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    rename_code(project.db, team.ana.id, team.survivor.id, "Survivor (male)")
    assert coding_fields(project.db.conn, ["twitter:1"])["twitter:1"].codes == ("survivor (male)",)


def test_blind_mode_is_on_until_lifted(project, team):
    assert blind_mode(project.db.conn) is True
    set_blind_mode(project.db, False, team.ana.id)
    assert blind_mode(project.db.conn) is False
