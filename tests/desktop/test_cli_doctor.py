"""``threadcoder doctor`` and ``threadcoder backups``: a report in plain words, exit 0 only when healthy."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from archive.jobs import drain
from archive.store.backups import list_backups
from archive.store.project import Project
from desktop.commands import cli
from index.indexer import rebuild
from tests.archive.test_store_health import corrupt_pages, make_project


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def indexed_project(folder):
    make_project(folder)
    with Project(folder) as project:
        drain(rebuild(project))
    return folder


def test_doctor_says_a_healthy_project_is_healthy_and_exits_0(tmp_path):
    folder = indexed_project(tmp_path / "p")
    result = invoke("doctor", str(folder))
    assert result.exit_code == 0, result.output
    assert "quick_check passed" in result.output and "The project is healthy." in result.output
    assert "400 posts indexed" in result.output and "backups: 1 in backups/" in result.output
    report = json.loads(invoke("doctor", str(folder), "--json", "--thorough").output)
    assert report["healthy"] and report["integrity"] == "ok" and report["index"]["state"] == "ok"
    assert report["backups"][0]["reason"] == "daily" and report["lock"] == {"held": False, "pid": None, "stale": False}
    assert report["free_bytes"] > 0 and report["index_queue"] == 0


def test_doctor_exits_1_on_damage_and_repair_restores_into_a_new_folder(tmp_path):
    folder = indexed_project(tmp_path / "p.threadcoder")
    corrupt_pages(folder)
    result = invoke("doctor", str(folder))
    assert result.exit_code == 1 and "problem  integrity" in result.output and "--repair" in result.output
    repaired = invoke("doctor", str(folder), "--repair")
    assert repaired.exit_code == 1  # the project itself is still damaged: the good copy is beside it
    (restored,) = tmp_path.glob("p-restored-*.threadcoder")
    assert f"Repaired: restored {list_backups(folder)[0].name}" in repaired.output
    copy = json.loads(invoke("doctor", str(restored), "--json").output)
    assert copy["integrity"] == "ok" and copy["index"]["state"] == "rebuild"  # indexed at the first search
    with Project(restored, writable=False) as opened:
        assert opened.db.execute("SELECT count(*) FROM posts").fetchone()[0] == 400


def test_backups_are_listed_with_their_ages_taken_and_restored_aside(tmp_path):
    folder = make_project(tmp_path / "p")
    listed = invoke("backups", str(folder), "list")
    assert listed.exit_code == 0 and re.search(r"\d+ seconds? old", listed.output) and "daily" in listed.output
    taken = invoke("backups", str(folder), "take")
    assert taken.exit_code == 0 and "-manual.db" in taken.output
    rows = json.loads(invoke("backups", str(folder), "list", "--json").output)
    assert [row["reason"] for row in rows] == ["manual", "daily"] and rows[0]["age_seconds"] >= 0
    refused = CliRunner().invoke(cli, ["backups", str(folder), "restore", rows[1]["name"], "--into", str(folder)])
    assert refused.exit_code != 0
    inside = CliRunner().invoke(cli, ["backups", str(folder), "restore", rows[1]["name"], "--into", str(folder / "x")])
    assert inside.exit_code != 0 and "outside the project" in inside.output
    restored = invoke("backups", str(folder), "restore", rows[1]["name"], "--into", str(tmp_path / "copy"))
    assert restored.exit_code == 0 and "unchanged" in restored.output
    assert (tmp_path / "copy" / "project.db").exists()
    missing = CliRunner().invoke(cli, ["backups", str(folder), "restore", "nope.db", "--into", str(tmp_path / "c2")])
    assert missing.exit_code == 1 and "no such backup" in missing.output
