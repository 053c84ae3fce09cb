"""Editing the codebook keeps history: every edit bumps the version, records what changed, keeps codings."""

from __future__ import annotations

import pytest

from archive.coding.codebook import code_path, codebook_info, find_code, get_code, list_codes, variable_of
from archive.coding.codebook_edit import (
    CodeDraft,
    add_code,
    merge_codes,
    move_code,
    rename_code,
    restore_code,
    retire_code,
    set_codebook_info,
    set_exclusive,
    split_code,
    update_code,
)
from archive.coding.codings import apply_code, post_codings
from archive.coding.errors import CodingError
from archive.coding.history import codebook_history, codebook_version


def names(project, *, include_retired=False):
    return [c.name for c in list_codes(project.db.conn, include_retired=include_retired)]


def test_codes_form_a_tree_with_definitions_criteria_and_examples(project, team):
    db = project.db
    reactions = add_code(db, team.ana.id, CodeDraft("Reactions", codable=False))
    scepticism = add_code(
        db,
        team.ana.id,
        CodeDraft(
            "Scepticism",
            parent_id=reactions.id,
            description="Doubts that a man's post means anything.",
            inclusion="Calls the post performative or not enough.",
            exclusion="Hostility toward the man himself: code Hostility.",
            examples=("A status is not enough.",),
            color="#AA3300",
            shortcut="k",
        ),
    )
    assert names(project) == ["Male survivor", "Stance", "Supportive", "Critical", "Reactions", "Scepticism"]
    assert code_path(db.conn, scepticism) == "Reactions > Scepticism"
    assert scepticism.examples == ("A status is not enough.",)
    assert scepticism.color == "#aa3300"
    assert variable_of(db.conn, team.critical) == team.stance
    assert variable_of(db.conn, scepticism) is None


def test_every_edit_bumps_the_version_and_is_logged_with_who_did_it(project, team):
    start = codebook_version(project.db.conn)
    update_code(project.db, team.bo.id, team.survivor.id, inclusion="First-person disclosure.")
    assert codebook_version(project.db.conn) == start + 1
    change = codebook_history(project.db.conn)[-1]
    assert (change.version, change.coder, change.action) == (start + 1, "bo", "update")
    assert change.detail["codes"][0]["before"] == {"inclusion": ""}
    assert change.detail["codes"][0]["after"] == {"inclusion": "First-person disclosure."}
    assert codebook_info(project.db.conn).citation == f"Codebook, version {start + 1}"


def test_renaming_keeps_codings_and_requeues_their_posts(project, team, queued):
    apply_code(project.db, "twitter:1", team.survivor.id, team.bo.id)
    queued()
    rename_code(project.db, team.ana.id, team.survivor.id, "Male survivor disclosure")
    assert [c.code for c in post_codings(project.db.conn, "twitter:1", None)] == ["Male survivor disclosure"]
    assert queued() == {"twitter:1"}


def test_names_are_unique_regardless_of_case_and_retirement(project, team):
    with pytest.raises(CodingError, match="already named 'Supportive'"):
        add_code(project.db, team.ana.id, CodeDraft("supportive"))
    retire_code(project.db, team.ana.id, team.survivor.id)
    with pytest.raises(CodingError, match="a retired code"):
        rename_code(project.db, team.ana.id, team.critical.id, "MALE SURVIVOR")
    with pytest.raises(CodingError, match=r"without '\|'"):
        add_code(project.db, team.ana.id, CodeDraft("a|b"))


def test_shortcuts_are_unique_among_codes_in_use(project, team):
    with pytest.raises(CodingError, match="already applies 'Supportive'"):
        update_code(project.db, team.ana.id, team.survivor.id, shortcut="s")


def test_merging_moves_codings_to_the_target_and_retires_the_source(project, team, queued):
    apply_code(project.db, "twitter:3", team.critical.id, team.bo.id)
    queued()
    merge_codes(project.db, team.ana.id, team.critical.id, team.supportive.id)
    critical = get_code(project.db.conn, team.critical.id)
    assert critical.retired and critical.successors == (team.supportive.id,)
    assert [c.code for c in post_codings(project.db.conn, "twitter:3", None)] == ["Supportive"]
    assert queued() == {"twitter:3"}
    assert codebook_history(project.db.conn)[-1].detail["codings_changed"] == 1


def test_a_merge_that_would_give_a_post_two_values_of_a_variable_is_refused(project, team):
    other = add_code(project.db, team.ana.id, CodeDraft("Mocking"))
    apply_code(project.db, "twitter:3", other.id, team.bo.id)
    apply_code(project.db, "twitter:3", team.critical.id, team.bo.id)
    with pytest.raises(CodingError, match="more than one value of 'Stance'"):
        merge_codes(project.db, team.ana.id, other.id, team.supportive.id)


def test_splitting_retires_the_code_and_keeps_its_codings_for_recoding(project, team):
    apply_code(project.db, "twitter:3", team.critical.id, team.bo.id)
    hostile, sceptical = split_code(project.db, team.ana.id, team.critical.id, ["Hostile", "Sceptical"])
    critical = get_code(project.db.conn, team.critical.id)
    assert critical.retired and critical.successors == (hostile.id, sceptical.id)
    assert variable_of(project.db.conn, hostile) == get_code(project.db.conn, team.stance.id)
    assert [c.code for c in post_codings(project.db.conn, "twitter:3", None)] == ["Critical"]
    apply_code(project.db, "twitter:3", sceptical.id, team.bo.id)  # recoding replaces the old value
    assert [c.code for c in post_codings(project.db.conn, "twitter:3", None)] == ["Sceptical"]


def test_moving_changes_parent_and_order(project, team):
    move_code(project.db, team.ana.id, team.critical.id, team.stance.id, position=0)
    assert names(project) == ["Male survivor", "Stance", "Critical", "Supportive"]
    move_code(project.db, team.ana.id, team.critical.id, None)
    assert names(project) == ["Male survivor", "Stance", "Supportive", "Critical"]  # back at the top, last
    with pytest.raises(CodingError, match="below itself"):
        move_code(project.db, team.ana.id, team.stance.id, team.supportive.id)


def test_moving_into_a_variable_checks_existing_codings(project, team):
    apply_code(project.db, "twitter:2", team.survivor.id, team.bo.id)
    apply_code(project.db, "twitter:2", team.supportive.id, team.bo.id)
    with pytest.raises(CodingError, match="more than one value"):
        move_code(project.db, team.ana.id, team.survivor.id, team.stance.id)


def test_a_category_becomes_a_variable_only_if_its_codings_allow_it(project, team):
    reactions = add_code(project.db, team.ana.id, CodeDraft("Reactions", codable=False))
    thanks = add_code(project.db, team.ana.id, CodeDraft("Thanks", parent_id=reactions.id))
    doubt = add_code(project.db, team.ana.id, CodeDraft("Doubt", parent_id=reactions.id))
    apply_code(project.db, "twitter:2", thanks.id, team.bo.id)
    apply_code(project.db, "twitter:2", doubt.id, team.bo.id)
    with pytest.raises(CodingError, match="more than one value of 'Reactions'"):
        set_exclusive(project.db, team.ana.id, reactions.id, True)
    apply_code(project.db, "twitter:3", thanks.id, team.ana.id)
    with pytest.raises(CodingError, match="more than one value"):
        set_exclusive(project.db, team.ana.id, reactions.id, True)


def test_retiring_keeps_codings_and_retires_sub_codes_and_restore_undoes_it(project, team):
    apply_code(project.db, "twitter:2", team.supportive.id, team.bo.id)
    retire_code(project.db, team.ana.id, team.stance.id)
    assert names(project) == ["Male survivor"]
    assert names(project, include_retired=True) == ["Male survivor", "Stance", "Supportive", "Critical"]
    assert [c.code for c in post_codings(project.db.conn, "twitter:2", None)] == ["Supportive"]
    restore_code(project.db, team.ana.id, team.stance.id)
    assert find_code(project.db.conn, "stance").retired is False


def test_the_codebook_has_a_name_and_description_that_exports_cite(project, team):
    set_codebook_info(project.db, team.ana.id, name="Men and #MeToo", description="Pilot codebook.")
    info = codebook_info(project.db.conn)
    assert (info.name, info.description) == ("Men and #MeToo", "Pilot codebook.")
    assert info.citation.startswith("Men and #MeToo, version ")
