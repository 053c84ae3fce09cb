"""Coder packages: a single file a colleague opens as a project of its own, codes, and sends back to merge."""

from __future__ import annotations

import zipfile

import pytest

from archive.coding.assignments import assign_posts, assigned_posts
from archive.coding.codebook import find_code, list_codes
from archive.coding.codebook_edit import CodeDraft, add_code
from archive.coding.coders import find_coder, list_coders
from archive.coding.codings import apply_code, post_codings, remove_code
from archive.coding.errors import CodingError
from archive.coding.history import codebook_version
from archive.coding.memos import MemoTarget, add_memo, memos_for
from archive.coding.package import export_package, open_package, pack_package, read_manifest
from archive.coding.package_merge import Conflict, import_package
from archive.coding.status import PostStatus, complete_post, mark_no_code_applies, post_status
from archive.coding.undo import undo
from archive.store.project import Project


def codes(db, post_id, coder_id):
    return sorted(c.code for c in post_codings(db.conn, post_id, None) if c.coder_id == coder_id)


@pytest.fixture
def package(project, team, tmp_path):
    """bo's package: posts 1, 3 and 4 assigned; bo had coded 3 'Critical' before export; ana coded 1."""
    apply_code(project.db, "twitter:3", team.critical.id, team.bo.id)
    apply_code(project.db, "twitter:1", team.survivor.id, team.ana.id)
    assign_posts(project.db, team.bo.id, ["twitter:1", "twitter:3", "twitter:4"])
    path = tmp_path / "bo.tcpkg"
    summary = export_package(project, team.bo.id, path)
    assert (summary.coder, summary.assigned, summary.posts) == ("bo", 3, 4)  # post 2 comes as thread context
    return path


def test_a_package_opens_as_a_project_of_its_own_with_only_what_the_coder_needs(package, project, tmp_path):
    folder = open_package(package, tmp_path / "bo-package")
    with Project(folder) as opened:
        conn = opened.db.conn
        assert [c.name for c in list_coders(conn)] == ["bo"]  # blind: no other coders, no other codings
        bo = find_coder(conn, "bo")
        assert assigned_posts(conn, bo.id) == ["twitter:1", "twitter:3", "twitter:4"]
        assert conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 4
        assert codes(opened.db, "twitter:1", bo.id) == [] and codes(opened.db, "twitter:3", bo.id) == ["Critical"]
        assert conn.execute("SELECT count(*) FROM codings").fetchone()[0] == 1  # ana's coding stayed home
        assert [c.guid for c in list_codes(conn)] == [c.guid for c in list_codes(project.db.conn)]
        assert codebook_version(conn) == codebook_version(project.db.conn)


def test_a_round_trip_merges_new_work_and_reports_conflicts(package, project, team, tmp_path, queued):
    folder = open_package(package, tmp_path / "bo-package")
    with Project(folder) as opened:  # the colleague codes in their own Threadcoder
        db, bo = opened.db, find_coder(opened.db.conn, "bo")
        apply_code(db, "twitter:1", find_code(db.conn, "Male survivor").id, bo.id)
        complete_post(db, "twitter:1", bo.id)
        mark_no_code_applies(db, "twitter:4", bo.id)
        apply_code(db, "twitter:3", find_code(db.conn, "Supportive").id, bo.id)
        add_memo(db, bo.id, MemoTarget.POST, "twitter:4", "Off topic: an advert.")
    returned = pack_package(folder, tmp_path / "bo-returned.tcpkg")
    apply_code(project.db, "twitter:3", team.survivor.id, team.bo.id)  # meanwhile, in the main project
    queued()

    report = import_package(project, returned)

    assert (report.added, report.updated, report.codings_added, report.memos_added) == (
        ["twitter:1", "twitter:4"],
        [],
        1,
        1,
    )
    assert report.conflicts == [
        Conflict("twitter:3", here=("Critical", "Male survivor"), package=("Supportive",)),
    ]
    assert codes(project.db, "twitter:1", team.bo.id) == ["Male survivor"]
    assert codes(project.db, "twitter:1", team.ana.id) == ["Male survivor"]  # ana's work untouched
    assert codes(project.db, "twitter:3", team.bo.id) == ["Critical", "Male survivor"]  # never overwritten
    assert post_status(project.db.conn, "twitter:4", team.bo.id) is PostStatus.NO_CODE_APPLIES
    assert len(memos_for(project.db.conn, MemoTarget.POST, "twitter:4", team.bo.id)) == 1
    assert queued() == {"twitter:1", "twitter:4"}
    (coding,) = [c for c in post_codings(project.db.conn, "twitter:1", team.bo.id)]
    assert coding.origin == "package:bo-returned.tcpkg"


def test_changes_to_work_coded_before_export_are_taken_when_unchanged_here(package, project, team, tmp_path):
    folder = open_package(package, tmp_path / "bo-package")
    with Project(folder) as opened:
        bo = find_coder(opened.db.conn, "bo")
        remove_code(opened.db, "twitter:3", find_code(opened.db.conn, "Critical").id, bo.id)
    report = import_package(project, folder)  # the opened folder can be merged directly too
    assert (report.updated, report.codings_removed) == (["twitter:3"], 1)
    assert codes(project.db, "twitter:3", team.bo.id) == []


def test_merging_the_same_package_twice_adds_nothing(package, project, team, tmp_path):
    folder = open_package(package, tmp_path / "bo-package")
    with Project(folder) as opened:
        bo = find_coder(opened.db.conn, "bo")
        mark_no_code_applies(opened.db, "twitter:4", bo.id)
    import_package(project, folder)
    again = import_package(project, folder)
    assert (again.added, again.updated, again.conflicts, again.unchanged) == ([], [], [], 2)


def test_codes_the_project_does_not_know_are_reported_not_merged(package, project, team, tmp_path):
    folder = open_package(package, tmp_path / "bo-package")
    with Project(folder) as opened:
        bo = find_coder(opened.db.conn, "bo")
        new = add_code(opened.db, bo.id, CodeDraft("Made up in the package"))
        apply_code(opened.db, "twitter:4", new.id, bo.id)
    report = import_package(project, folder)
    assert report.unknown_codes == ["twitter:4: Made up in the package"]
    assert codes(project.db, "twitter:4", team.bo.id) == []


def test_the_merge_is_one_action_the_coder_can_undo(package, project, team, tmp_path):
    folder = open_package(package, tmp_path / "bo-package")
    with Project(folder) as opened:
        bo = find_coder(opened.db.conn, "bo")
        apply_code(opened.db, "twitter:4", find_code(opened.db.conn, "Critical").id, bo.id)
        complete_post(opened.db, "twitter:4", bo.id)
    import_package(project, folder)
    undo(project.db, team.bo.id)
    assert post_status(project.db.conn, "twitter:4", team.bo.id) is PostStatus.NOT_CODED


def test_files_that_are_not_packages_are_refused(tmp_path, project, team):
    junk = tmp_path / "junk.tcpkg"
    with zipfile.ZipFile(junk, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(CodingError, match="not a coder package"):
        read_manifest(junk)
    with pytest.raises(CodingError, match="no posts are assigned to ana"):
        export_package(project, team.ana.id, tmp_path / "empty.tcpkg")
    with pytest.raises(CodingError, match="not a coder package"):
        import_package(project, junk)


def test_a_package_opens_only_into_a_new_or_empty_folder(package, tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(CodingError, match="new or empty folder"):
        open_package(package, tmp_path / "busy")
