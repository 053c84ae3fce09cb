"""Posts and accounts the X API could not return at collection time are counted and listed apart from errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.importing.pipeline import import_source
from archive.importing.sources import Source
from archive.importing.unavailable import unavailable_entries
from archive.jobs import CancelToken, drain
from archive.store.project import Project
from archive.store.stats import import_errors, project_info
from desktop.commands import cli


def not_found(tid: str) -> dict:
    return {
        "value": tid,
        "detail": f"Could not find tweet with referenced_tweets.id: [{tid}].",
        "title": "Not Found Error",
        "resource_type": "tweet",
        "parameter": "referenced_tweets.id",
        "resource_id": tid,
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    }


def suspended(handle: str) -> dict:
    return {
        "parameter": "entities.mentions.username",
        "resource_id": handle,
        "value": handle,
        "detail": f"User has been suspended: [{handle}].",
        "title": "Forbidden",
        "resource_type": "user",
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    }


def page_line(tid: str, errors: list[dict]) -> str:
    tweet = {
        "id": tid,
        "text": f"post {tid}",
        "author_id": "1",
        "created_at": "2017-10-16T10:00:00.000Z",
        "referenced_tweets": [{"type": "replied_to", "id": "900"}],
    }
    page = {"data": [tweet], "includes": {"users": [{"id": "1", "username": "ana"}]}, "errors": errors, "meta": {}}
    return json.dumps(page)


def collection(path: Path, pages: int = 19) -> Path:
    """Pages with 38 entries in all: two posts the API could not find on each, and one suspended account."""
    lines = [page_line(str(100 + p), [not_found(str(900 + 2 * p)), not_found(str(901 + 2 * p))]) for p in range(pages)]
    lines[0] = page_line("100", [not_found("900"), suspended("ghost")])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path):
    with Project.create_or_open(tmp_path / "study.threadcoder") as opened:
        yield opened


def test_unavailable_entries_are_counted_apart_and_kept_listable(project, tmp_path):
    path = collection(tmp_path / "search.jsonl")
    summary = drain(import_source(project, Source(path)))
    assert (summary.status, summary.counts.new) == ("complete", 19)
    assert (summary.counts.skipped, summary.counts.unavailable) == (0, 38)
    assert import_errors(project.db) == []
    gaps = unavailable_entries(project.db)
    assert len(gaps) == 38
    first, second = gaps[:2]
    assert (first["file"], first["line"], first["locator"]) == (str(path), 1, "errors[0]")
    assert (first["resource_type"], first["resource_id"]) == ("tweet", "900")
    assert first["reason"] == "Not Found Error: Could not find tweet with referenced_tweets.id: [900]."
    assert (second["resource_type"], second["resource_id"]) == ("user", "ghost")
    row = project_info(project.db)["imports"][0]
    assert row["skipped"] == 0
    assert project.db.execute("SELECT unavailable FROM imports").fetchone()[0] == 38
    assert project_info(project.db)["placeholders"] == 1  # the missing parent still holds its thread together


def test_a_resumed_import_goes_on_counting_what_was_unavailable(project, tmp_path, monkeypatch):
    monkeypatch.setattr("archive.importing.pipeline.BATCH_SIZE", 3)
    path = collection(tmp_path / "search.jsonl")
    cancel = CancelToken()
    job = import_source(project, Source(path), cancel=cancel)
    next(job)
    cancel.cancel()
    assert drain(job).status == "cancelled"
    resumed = drain(import_source(project, Source(path)))
    assert (resumed.status, resumed.counts.unavailable, resumed.counts.new) == ("complete", 38, 19)
    assert len(unavailable_entries(project.db)) == 38


def test_the_cli_says_how_many_were_unavailable_and_lists_them(tmp_path, monkeypatch):
    monkeypatch.setenv("THREADCODER_DATA_DIR", str(tmp_path / "data"))
    path = collection(tmp_path / "search.jsonl")
    folder = str(tmp_path / "P")
    runner = CliRunner()
    result = runner.invoke(cli, ["import", folder, str(path)])
    assert result.exit_code == 0
    assert "0 skipped;" in result.output
    assert "; 38 unavailable at collection time" in result.output
    info = json.loads(runner.invoke(cli, ["info", folder, "--json"]).output)
    assert (info["import_errors"], info["unavailable"]) == (0, 38)
    listed = runner.invoke(cli, ["info", folder, "--unavailable"]).output
    assert "unavailable: 38" in listed
    assert f"{path}:1 errors[0] tweet 900: Not Found Error: Could not find tweet" in listed
    assert f"{path}:1 errors[1] user ghost: Forbidden: User has been suspended: [ghost]." in listed
    items = json.loads(runner.invoke(cli, ["info", folder, "--json", "--unavailable"]).output)["unavailable_items"]
    assert len(items) == 38 and items[1]["resource_id"] == "ghost"


def test_the_demo_archive_reports_its_deleted_post_as_unavailable_not_as_an_error(tmp_path, monkeypatch):
    from app.demo import demo_archive_path

    monkeypatch.setenv("THREADCODER_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "P"), str(demo_archive_path())])
    assert result.exit_code == 0
    assert "318 new, 0 updated, 0 duplicate, 0 skipped;" in result.output
    assert result.output.rstrip().endswith("; 1 unavailable at collection time")


def test_a_project_imported_before_moves_its_unavailable_entries_out_of_the_errors(tmp_path, monkeypatch):
    import archive.store.project as project_module
    from archive.store import schema

    before = schema.MIGRATIONS[:5]  # unavailable entries were import errors
    monkeypatch.setattr(project_module, "MIGRATIONS", before)
    monkeypatch.setattr(project_module, "SCHEMA_VERSION", len(before))
    folder = tmp_path / "old"
    old_reasons = [
        "the X API could not return tweet 900 (Not Found Error: Could not find tweet with referenced_tweets.id: "
        "[900].)",
        "the X API could not return user ghost (Forbidden: User has been suspended: [ghost].)",
        "not valid JSON (unexpected end of data); the line may be cut off",
    ]
    with Project.create_or_open(folder) as opened, opened.db.atomic():
        opened.db.execute(
            "INSERT INTO imports (id, file, sha256, format, status, started_at, skipped) "
            "VALUES (1, 'a.jsonl', 'x', 'twarc2', 'complete', '2020-01-01T00:00:00Z', 3)"
        )
        opened.db.conn.executemany(
            "INSERT INTO import_errors (import_id, file, line, locator, reason, excerpt) "
            "VALUES (1, 'a.jsonl', ?, ?, ?, ?)",
            [
                (1, "errors[0]", old_reasons[0], '{"value": "900"}'),
                (1, "errors[1]", old_reasons[1], "{}"),
                (2, None, old_reasons[2], '{"da'),
            ],
        )
    monkeypatch.undo()
    with Project(folder) as upgraded:
        assert [e["reason"] for e in import_errors(upgraded.db)] == [old_reasons[2]]
        gaps = unavailable_entries(upgraded.db)
        assert [(g["resource_type"], g["resource_id"], g["line"], g["locator"]) for g in gaps] == [
            ("tweet", "900", 1, "errors[0]"),
            ("user", "ghost", 1, "errors[1]"),
        ]
        assert gaps[0]["reason"] == "Not Found Error: Could not find tweet with referenced_tweets.id: [900]."
        assert gaps[1]["reason"] == "Forbidden: User has been suspended: [ghost]."
        row = upgraded.db.execute("SELECT skipped, unavailable FROM imports").fetchone()
        assert tuple(row) == (1, 2)
