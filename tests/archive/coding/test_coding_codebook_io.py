"""Codebooks in and out: JSON, CSV with at least code/parent/description, and REFI-QDA .qdc."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
import xmlschema

from archive.coding.codebook import codebook_info, find_code, list_codes, variable_of
from archive.coding.codebook_edit import CodeDraft, add_code, update_code
from archive.coding.codebook_import import import_codebook
from archive.coding.codebook_io import read_codebook, spec_from_project, write_codebook
from archive.coding.coders import add_coder
from archive.coding.errors import CodingError
from archive.coding.history import codebook_history
from archive.coding.undo import undo
from archive.store.project import Project

CODEBOOK_XSD = Path(__file__).parent / "data" / "Codebook.xsd"


def starter(name: str) -> Path:
    return Path(str(files("resources") / "codebooks" / f"{name}.json"))


@pytest.fixture
def other_project(tmp_path):
    """An empty project with one coder, cy."""
    with Project.create_or_open(tmp_path / "other") as opened:
        yield opened, add_coder(opened.db, "cy")


@pytest.fixture
def starter_project(tmp_path):
    """A project with the starter codebook imported by its coder, di."""
    with Project.create_or_open(tmp_path / "starter") as opened:
        di = add_coder(opened.db, "di")
        import_codebook(opened.db, di.id, read_codebook(starter("metoo-men")), "metoo-men.json")
        yield opened


def shape(conn):
    """The codebook as comparable tuples: name, parent, criteria, examples, flags."""
    return [
        (c.name, c.parent, c.description, c.inclusion, c.exclusion, c.examples, c.color, c.exclusive, c.codable)
        for c in spec_from_project(conn).codes
    ]


def test_the_starter_codebook_imports_with_its_variables_and_criteria(other_project):
    project, cy = other_project
    report = import_codebook(project.db, cy.id, read_codebook(starter("metoo-men")), "metoo-men.json")
    conn = project.db.conn
    assert "Disclosing own victimisation" in report.added and report.notes == []
    stance = find_code(conn, "Stance toward the man's post")
    assert stance.exclusive and not stance.codable
    assert variable_of(conn, find_code(conn, "Mixed")) == stance
    for code in list_codes(conn):
        assert code.description, f"{code.name} has no definition"
        if code.codable:
            assert code.inclusion and code.exclusion, f"{code.name} lacks criteria"


def test_the_blank_template_imports_into_an_empty_project(other_project):
    project, cy = other_project
    report = import_codebook(project.db, cy.id, read_codebook(starter("blank-template")), "blank-template.json")
    assert report.added == ["Independent code", "Variable", "First value", "Second value"]
    assert codebook_info(project.db.conn).name == "New codebook"


@pytest.mark.parametrize("suffix", [".json", ".csv", ".qdc"])
def test_a_codebook_survives_a_round_trip_between_projects(starter_project, other_project, tmp_path, suffix):
    project = starter_project
    path = tmp_path / f"codebook{suffix}"
    write_codebook(spec_from_project(project.db.conn), path)

    target, cy = other_project
    import_codebook(target.db, cy.id, read_codebook(path), path.name)

    assert shape(target.db.conn) == shape(project.db.conn)
    if suffix != ".qdc":  # REFI-QDA has no place for shortcuts
        assert [c.shortcut for c in list_codes(target.db.conn)] == [c.shortcut for c in list_codes(project.db.conn)]
    assert [c.guid for c in list_codes(target.db.conn)] == [c.guid for c in list_codes(project.db.conn)]


def test_the_qdc_export_is_valid_against_the_refi_qda_schema_and_cites_the_version(starter_project, tmp_path):
    project = starter_project
    path = tmp_path / "codebook.qdc"
    write_codebook(spec_from_project(project.db.conn), path)
    xmlschema.XMLSchema(CODEBOOK_XSD).validate(path)
    version = codebook_info(project.db.conn).version
    assert f"version {version}" in xmlschema.XMLSchema(CODEBOOK_XSD).to_dict(path)["@origin"]


def test_a_qdc_from_another_program_keeps_duplicate_names_apart(other_project, tmp_path):
    project, cy = other_project
    path = tmp_path / "nvivo.qdc"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="{11111111-1111-4111-8111-111111111111}" name="Tone" isCodable="false">'
        '<Code guid="22222222-2222-4222-8222-222222222222" name="Other" isCodable="true"/></Code>'
        '<Code guid="33333333-3333-4333-8333-333333333333" name="Topic" isCodable="false">'
        '<Code guid="44444444-4444-4444-8444-444444444444" name="Other" isCodable="true">'
        "<Description>Anything else.</Description></Code></Code>"
        "</Codes></CodeBook>",
        encoding="utf-8",
    )
    xmlschema.XMLSchema(CODEBOOK_XSD).validate(path)
    report = import_codebook(project.db, cy.id, read_codebook(path), path.name)
    assert report.added == ["Tone", "Other", "Topic", "Other (Topic)"]
    assert report.notes == ["'Other' appears more than once; this one is imported as 'Other (Topic)'"]
    assert find_code(project.db.conn, "Other (Topic)").description == "Anything else."
    assert find_code(project.db.conn, "Tone").guid == "11111111-1111-4111-8111-111111111111"


def test_a_minimal_csv_needs_only_code_parent_and_description(other_project, tmp_path):
    project, cy = other_project
    path = tmp_path / "codebook.csv"
    path.write_text(
        "code,parent,description\nHashtag use,Form,Uses a hashtag.\nForm,,How the post is written.\n", encoding="utf-8"
    )
    import_codebook(project.db, cy.id, read_codebook(path), path.name)
    assert [(c.name, c.parent) for c in spec_from_project(project.db.conn).codes] == [
        ("Form", None),
        ("Hashtag use", "Form"),
    ]


def test_bad_files_are_refused_with_a_reason(tmp_path):
    csv_file = tmp_path / "codes.csv"
    csv_file.write_text("name,description\nA,b\n", encoding="utf-8")
    with pytest.raises(CodingError, match="at least the columns code, parent, description"):
        read_codebook(csv_file)
    json_file = tmp_path / "codes.json"
    json_file.write_text('{"codes": [{"description": "no name"}]}', encoding="utf-8")
    with pytest.raises(CodingError, match=r"codes\[0\]: expected a code object with a 'name'"):
        read_codebook(json_file)
    with pytest.raises(CodingError, match=r"expected a codebook as \.json, \.csv or \.qdc"):
        read_codebook(tmp_path / "codes.txt")


def test_importing_again_updates_definitions_and_never_deletes(project, team, tmp_path):
    path = tmp_path / "codebook.json"
    write_codebook(spec_from_project(project.db.conn), path)
    update_code(project.db, team.ana.id, team.survivor.id, description="Changed here.")
    add_code(project.db, team.ana.id, CodeDraft("Only here"))

    report = import_codebook(project.db, team.bo.id, read_codebook(path), path.name)

    assert report.updated == ["Male survivor"]
    assert find_code(project.db.conn, "Male survivor").description == "A man discloses his own victimisation."
    assert find_code(project.db.conn, "Only here") is not None
    assert codebook_history(project.db.conn)[-1].action == "import"


def test_an_import_is_one_undoable_codebook_action(other_project):
    project, cy = other_project
    import_codebook(project.db, cy.id, read_codebook(starter("metoo-men")), "starter")
    undo(project.db, cy.id)
    assert list_codes(project.db.conn, include_retired=True) == []


def test_an_empty_codebook_cannot_be_written_as_qdc(other_project, tmp_path):
    project, _ = other_project
    with pytest.raises(CodingError, match="needs at least one"):
        write_codebook(spec_from_project(project.db.conn), tmp_path / "empty.qdc")
