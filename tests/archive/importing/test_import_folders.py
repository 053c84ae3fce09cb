"""Folders and zips: what is not an archive is passed over with a note; a damaged archive is an error."""

from __future__ import annotations

import gzip
import json
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.import_plan import PlannedInput, plan_inputs
from app.import_run import ImportReport, import_plan
from archive.importing.inputs import expand
from archive.jobs import CancelToken, drain
from archive.store.project import Project
from desktop.commands import cli


def page_line(tid: str) -> str:
    tweet = {"id": tid, "text": f"post {tid}", "author_id": "1", "created_at": "2017-10-16T10:00:00.000Z"}
    return json.dumps({"data": [tweet], "includes": {"users": [{"id": "1", "username": "ana"}]}, "meta": {}})


def pages(*ids: str) -> bytes:
    return "".join(page_line(i) + "\n" for i in ids).encode()


@pytest.fixture(autouse=True)
def private_log(tmp_path, monkeypatch):
    monkeypatch.setenv("THREADCODER_DATA_DIR", str(tmp_path / "data"))


def import_json(tmp_path: Path, *paths: Path) -> tuple[int, dict[str, dict], str]:
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "P"), *map(str, paths), "--json"])
    return result.exit_code, {s["file"]: s for s in json.loads(result.stdout)}, result.output


def test_a_jsonl_in_a_folder_that_fails_on_every_line_is_an_error(tmp_path):
    folder = tmp_path / "collection"
    folder.mkdir()
    (folder / "good.jsonl").write_bytes(pages("1"))
    bad = folder / "broken.jsonl"
    bad.write_text('{"data": [{"id": "1", "te\n{"data": [{"id"\n{{{ nope\n', encoding="utf-8")
    (folder / "notes.txt").write_text("my field notes", encoding="utf-8")
    code, summaries, output = import_json(tmp_path, folder)
    assert code == 1
    assert summaries[str(bad)]["status"] == "failed"
    assert f"threadcoder: {bad}: looks like JSON Lines, but none of its first lines is JSON" in output
    assert summaries[str(folder / "notes.txt")]["status"] == "passed-over"  # not an archive: a note only
    assert summaries[str(folder / "good.jsonl")]["new"] == 1


def test_a_pretty_printed_json_document_is_not_taken_for_damage(tmp_path):
    folder = tmp_path / "collection"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"settings": {"a": [1, 2]}}, indent=2), encoding="utf-8")
    (folder / "good.jsonl").write_bytes(pages("1"))
    code, summaries, _ = import_json(tmp_path, folder)
    assert code == 0
    assert summaries[str(folder / "config.json")]["status"] == "passed-over"  # another kind of file, not damage


def test_a_truncated_gz_in_a_folder_is_an_error_whether_or_not_its_start_reads(tmp_path):
    folder = tmp_path / "collection"
    folder.mkdir()
    whole = gzip.compress(pages(*(str(100 + i) for i in range(300))))
    part = folder / "part.jsonl.gz"
    part.write_bytes(whole[: len(whole) // 2])  # the start reads: imported up to the damage
    stub = folder / "stub.jsonl.gz"
    stub.write_bytes(whole[:200])  # nothing decompresses
    code, summaries, output = import_json(tmp_path, folder)
    assert code == 1
    assert summaries[str(part)]["status"] == "damaged" and summaries[str(part)]["new"] > 0
    assert f"threadcoder: {part}: the file is damaged or cut off after line" in output
    assert summaries[str(stub)]["status"] == "failed"
    assert "compressed data that does not decompress" in summaries[str(stub)]["note"]


def test_binary_bytes_in_a_file_named_like_json_lines_are_damage(tmp_path):
    folder = tmp_path / "collection"
    folder.mkdir()
    (folder / "zeros.jsonl").write_bytes(b"\x00" * 4096)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    code, summaries, _ = import_json(tmp_path, folder)
    assert code == 1
    assert summaries[str(folder / "zeros.jsonl")]["status"] == "failed"
    assert summaries[str(folder / "photo.jpg")]["status"] == "passed-over"


def test_zip_members_named_outside_the_zip_are_passed_over_with_a_note(tmp_path):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data/good.jsonl", pages("1"))
        archive.writestr("../../evil.jsonl", pages("2"))
        archive.writestr("/etc/abs.jsonl", pages("3"))
        archive.writestr("__MACOSX/._good.jsonl", b"\x00\x05\x16\x07")
    found = expand(path)
    assert [s.member for s in found.sources] == ["data/good.jsonl"]
    notes = {entry.member: entry.reason for entry in found.passed_over}
    assert set(notes) == {"../../evil.jsonl", "/etc/abs.jsonl"}
    assert all("leads outside the zip" in reason for reason in notes.values())
    code, summaries, _ = import_json(tmp_path, path)
    assert code == 0
    assert summaries[f"{path}!../../evil.jsonl"]["status"] == "passed-over"
    assert summaries[f"{path}!data/good.jsonl"]["new"] == 1


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_links_leading_outside_the_folder_are_not_followed(tmp_path):
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "diary.jsonl").write_bytes(pages("9"))
    folder = tmp_path / "collection"
    folder.mkdir()
    (folder / "good.jsonl").write_bytes(pages("1"))
    (folder / "alias.jsonl").symlink_to(folder / "good.jsonl")  # inside the folder: read (and recognised again)
    (folder / "diary.jsonl").symlink_to(outside / "diary.jsonl")
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    (folder / "gone.jsonl").symlink_to(folder / "nothing-here")
    os.mkfifo(folder / "pipe.jsonl")  # reading it would wait forever
    found = expand(folder)
    assert sorted(s.path.name for s in found.sources) == ["alias.jsonl", "good.jsonl"]
    notes = {entry.path.name: entry.reason for entry in found.passed_over}
    assert notes["diary.jsonl"].startswith(f"a link to {outside / 'diary.jsonl'}, outside the folder imported")
    assert notes["elsewhere"] == "a link to a folder; links are not followed"
    assert notes["gone.jsonl"].startswith("cannot be read")
    assert notes["pipe.jsonl"] == "not a regular file (a pipe, socket or device)"
    code, summaries, _ = import_json(tmp_path, folder)
    assert code == 0
    assert summaries[str(folder / "diary.jsonl")]["status"] == "passed-over"
    with Project(tmp_path / "P", writable=False) as opened:
        assert opened.db.execute("SELECT count(*) FROM posts WHERE native_id = '9'").fetchone()[0] == 0


def test_an_unreadable_zip_in_a_folder_is_an_error_and_the_rest_of_the_folder_is_read(tmp_path):
    folder = tmp_path / "collection"
    folder.mkdir()
    (folder / "good.jsonl").write_bytes(pages("1"))
    (folder / "broken.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    code, summaries, output = import_json(tmp_path, folder)
    assert code == 1
    assert summaries[str(folder / "broken.zip")]["status"] == "failed"
    assert "not a readable zip file" in output
    assert summaries[str(folder / "good.jsonl")]["new"] == 1


def test_the_apps_report_lists_what_was_passed_over_and_why(tmp_path):
    folder = tmp_path / "collection"
    folder.mkdir()
    (folder / "good.jsonl").write_bytes(pages("1"))
    (folder / "broken.jsonl").write_text("{{{\n{{{\n", encoding="utf-8")
    (folder / "notes.txt").write_text("field notes", encoding="utf-8")
    plan: list[PlannedInput] = drain(plan_inputs([folder])(CancelToken()))
    Project.create_or_open(tmp_path / "P").close()
    report: ImportReport = drain(import_plan(tmp_path / "P", plan)(CancelToken()))
    by_name = {Path(s.source).name: s for s in report.files}
    assert (by_name["broken.jsonl"].status, by_name["notes.txt"].status) == ("failed", "passed-over")
    assert "not JSON and not a CSV header" in by_name["notes.txt"].note
    assert report.headline().startswith("3 files: 1 new posts,")
    assert "1 file could not be read" in report.headline() and "1 passed over" in report.headline()
    assert any(problem.file.endswith("broken.jsonl") for problem in report.errors)
