"""The doctor: what is wrong with a project, in plain words, and repairs that never delete data."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.doctor import NOTE, OK, PROBLEM, check_project, repair, report_text
from archive.errors import ThreadcoderError
from archive.jobs import drain
from archive.store.backups import list_backups
from archive.store.project import Project
from index.indexer import rebuild
from tests.archive.test_store_health import ROOT, corrupt_pages, kill_a_writer, make_project


def levels(report) -> dict[str, str]:
    return {finding.topic: finding.level for finding in report.findings}


def indexed_project(folder: Path) -> Path:
    make_project(folder)
    with Project(folder) as project:
        drain(rebuild(project))
    return folder


def test_a_healthy_project_is_reported_healthy(tmp_path):
    folder = indexed_project(tmp_path / "p")
    report = check_project(folder)
    assert report.healthy, report_text(report)
    assert levels(report) == {
        "database": OK,
        "integrity": OK,
        "shutdown": OK,
        "index queue": OK,
        "search index": OK,
        "backups": OK,
        "lock": OK,
        "disk": OK,
    }
    assert report.schema is not None and report.index is not None and report.index.indexed == 400
    text = report_text(report)
    assert "The project is healthy." in text and re.search(r"\d+ seconds? old", text)
    assert list_backups(folder)[0].name in text
    assert report.as_dict()["backups"][0]["age_seconds"] >= 0


def test_damage_is_a_problem_and_repair_restores_the_newest_good_backup_beside_the_project(tmp_path):
    folder = indexed_project(tmp_path / "p.threadcoder")
    corrupt_pages(folder)
    damaged = (folder / "project.db").read_bytes()
    report = check_project(folder)
    assert not report.healthy and levels(report)["integrity"] == PROBLEM
    done = repair(report)
    assert (folder / "project.db").read_bytes() == damaged  # never overwritten, never deleted
    (restored,) = [p for p in tmp_path.iterdir() if p.name.startswith("p-restored-")]
    assert restored.suffix == ".threadcoder" and str(restored) in done[0]
    assert check_project(restored).findings[1].level == OK  # the copy passes its check


def test_an_index_out_of_step_is_a_problem_that_repair_rebuilds(tmp_path):
    folder = indexed_project(tmp_path / "p")
    with Project(folder) as project, project.db.atomic():  # posts gone behind the index's back
        project.db.conn.execute("DELETE FROM post_hashtags")
        project.db.conn.execute("DELETE FROM posts WHERE rowid % 2 = 0")
        project.db.conn.execute("DELETE FROM index_queue")
    report = check_project(folder)
    assert levels(report)["search index"] == PROBLEM and "rebuild" in report_text(report)
    assert repair(report) == ["rebuilt the search index (200 posts)"]
    assert check_project(folder).healthy


def test_no_backup_is_a_problem_that_repair_takes_one(tmp_path):
    folder = indexed_project(tmp_path / "p")
    for item in list_backups(folder):
        item.path.unlink()
    report = check_project(folder)
    assert levels(report)["backups"] == PROBLEM
    assert repair(report)[0].startswith("took a backup")
    assert check_project(folder).healthy


def test_a_crash_is_reported_and_its_stale_lock_cleared_by_repair(tmp_path):
    folder = indexed_project(tmp_path / "p")
    kill_a_writer(folder)
    assert (folder / "project.lock").read_text()  # the dead writer's pid
    report = check_project(folder)
    assert levels(report)["shutdown"] == NOTE and "ended without closing" in report_text(report)
    assert levels(report)["lock"] == NOTE and "no longer running" in report_text(report)
    assert report.healthy  # the check ran after the crash and passed
    assert repair(report)[0].startswith("cleared the stale process id")
    assert (folder / "project.lock").read_text() == ""
    assert levels(check_project(folder))["shutdown"] == OK  # the check after the crash covered it


def test_a_project_open_elsewhere_is_checked_but_not_repaired(tmp_path):
    folder = indexed_project(tmp_path / "p")
    code = "import sys, time\nfrom archive.store.project import Project\np = Project(sys.argv[1])\n"
    code += "print('open', flush=True)\ntime.sleep(60)"
    holder = subprocess.Popen([sys.executable, "-c", code, str(folder)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        report = check_project(folder)
        assert report.healthy and levels(report)["lock"] == NOTE
        assert f"process {holder.pid}" in report_text(report)
        with pytest.raises(ThreadcoderError, match="close it there"):
            repair(report)
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()


def test_the_check_in_the_writing_process_itself_keeps_its_lock(tmp_path):
    folder = indexed_project(tmp_path / "p")
    with Project(folder):
        report = check_project(folder)
        assert report.healthy and report.lock is not None and report.lock.mine
    assert os.path.getsize(folder / "project.lock") == 0


def test_a_folder_without_a_project_is_a_problem(tmp_path):
    report = check_project(tmp_path)
    assert not report.healthy and "not a Threadcoder project" in report_text(report)


def test_a_file_that_is_not_a_database_is_a_problem_not_a_crash(tmp_path):
    folder = indexed_project(tmp_path / "p")
    (folder / "project.db").write_bytes(b"this is not SQLite " * 400)
    report = check_project(folder)
    assert not report.healthy and levels(report)["database"] == PROBLEM
    assert levels(report)["backups"] == OK  # the rest is still looked at
    assert "restore" in repair(report)[0]  # the database is unusable: the newest good backup, into a new folder
