"""The threadcoder command line, driven as a researcher types it."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from desktop.commands import cli

PAGE = {
    "data": [
        {
            "id": "10",
            "text": "Me too. #MeToo",
            "author_id": "1",
            "created_at": "2017-10-16T10:00:00.000Z",
            "conversation_id": "10",
        },
        {
            "id": "11",
            "text": "I hear you.",
            "author_id": "2",
            "created_at": "2017-10-16T11:00:00.000Z",
            "conversation_id": "10",
            "referenced_tweets": [{"type": "replied_to", "id": "10"}],
        },
    ],
    "includes": {"users": [{"id": "1", "username": "ana"}, {"id": "2", "username": "ben"}]},
    "meta": {"result_count": 2},
}


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def archive(tmp_path) -> Path:
    path = tmp_path / "search.jsonl"
    path.write_text(json.dumps(PAGE) + "\n" + '{"data": [{"id": "12", "te' + "\n", encoding="utf-8")
    return path


def test_import_creates_the_project_and_prints_a_summary(tmp_path, archive):
    result = invoke("import", str(tmp_path / "study.threadcoder"), str(archive))
    assert result.exit_code == 0
    assert "[twarc2]: 2 new, 0 updated, 0 duplicate, 1 skipped" in result.output
    assert (tmp_path / "study.threadcoder" / "project.db").exists()


def test_info_json_has_the_documented_figures(tmp_path, archive):
    project = tmp_path / "study.threadcoder"
    invoke("import", str(project), str(archive))
    info = json.loads(invoke("info", str(project), "--json").output)
    assert info["posts"] == 2
    assert info["placeholders"] == 0
    assert (info["replies"], info["replies_with_parent"], info["threads"]) == (1, 1, 1)
    assert info["import_errors"] == 1
    assert info["platforms"] == {"twitter": 2}
    assert [i["file"] for i in info["imports"]] == [str(archive)]


def test_info_lists_errors_with_file_and_line(tmp_path, archive):
    project = tmp_path / "study.threadcoder"
    invoke("import", str(project), str(archive))
    result = invoke("info", str(project), "--errors")
    assert f"{archive}:2" in result.output
    assert "not valid JSON" in result.output


def test_importing_again_adds_nothing_and_says_so(tmp_path, archive):
    project = str(tmp_path / "study.threadcoder")
    invoke("import", project, str(archive))
    result = invoke("import", project, str(archive), "--json")
    summary = json.loads(result.output)[0]
    assert (summary["status"], summary["new"]) == ("already-imported", 0)


def test_an_unrecognised_file_fails_with_a_one_line_reason(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "p"), str(notes)])
    assert result.exit_code == 1
    assert "notes.txt" in result.output
    assert "expected one of" in result.output
    assert "Traceback" not in result.output


def test_a_whole_x_archive_zip_imports_its_tweets_and_passes_over_the_rest(tmp_path):
    path = tmp_path / "twitter-2024.zip"
    tweet = {"tweet": {"id_str": "5", "full_text": "My first post", "created_at": "Mon Oct 16 10:00:00 +0000 2017"}}
    account = [{"account": {"accountId": "77", "username": "ana", "accountDisplayName": "Ana"}}]
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data/tweets.js", "window.YTD.tweets.part0 = " + json.dumps([tweet]))
        archive.writestr("data/account.js", "window.YTD.account.part0 = " + json.dumps(account))
        archive.writestr("data/direct-messages.js", "window.YTD.direct_messages.part0 = []")
        archive.writestr("data/tweets_media/5-photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    result = invoke("import", str(tmp_path / "p"), str(path), "--json")
    summaries = {Path(s["file"]).name: s for s in json.loads(result.output)}
    assert result.exit_code == 0
    assert summaries["tweets.js"]["new"] == 1
    assert summaries["direct-messages.js"]["status"] == "passed-over"  # private messages are never imported
    assert summaries["5-photo.jpg"]["status"] == "passed-over"


def test_a_locked_project_is_reported_not_crashed(tmp_path, archive):
    from archive.store.project import Project

    with Project.create_or_open(tmp_path / "p"):
        result = CliRunner().invoke(cli, ["import", str(tmp_path / "p"), str(archive)])
    assert result.exit_code == 1
    assert "open in another Threadcoder process" in result.output


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_every_command_is_documented_in_the_readme(pytestconfig):
    readme = (Path(pytestconfig.rootpath) / "README.md").read_text(encoding="utf-8")
    missing = [name for name in cli.commands if f"threadcoder {name}" not in readme]
    assert not missing, f"commands missing from the README: {missing}"


def test_a_csv_mapping_can_be_saved_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("THREADCODER_CONFIG_DIR", str(tmp_path / "config"))
    table = tmp_path / "mine.csv"
    table.write_text("post;words;who\r\n1;hello there;ana\r\n", encoding="utf-8")
    first = invoke(
        "import",
        str(tmp_path / "a"),
        str(table),
        "--map",
        "id=post",
        "--map",
        "text=words",
        "--map",
        "author_handle=who",
        "--save-preset",
        "my-sheet",
    )
    assert first.exit_code == 0
    again = invoke("import", str(tmp_path / "b"), str(table), "--preset", "my-sheet", "--json")
    assert json.loads(again.output)[0]["new"] == 1
    unknown = CliRunner().invoke(cli, ["import", str(tmp_path / "c"), str(table), "--preset", "nope"])
    assert unknown.exit_code == 2
    assert "no saved mapping named 'nope' (saved: my-sheet)" in unknown.output


def test_demo_makes_the_demo_project(tmp_path):
    folder = tmp_path / "demo.threadcoder"
    assert invoke("demo", "--path", str(folder), "--no-open").exit_code == 0
    info = json.loads(invoke("info", str(folder), "--json").output)
    assert info["posts"] > 200
    assert info["threads"] > 10
    assert info["import_errors"] == 0
    assert info["unavailable"] == 1  # the demo's one deleted post: not an error, kept as a placeholder


def test_running_demo_again_keeps_the_coding_done_in_it(tmp_path):
    folder = tmp_path / "demo.threadcoder"
    assert invoke("demo", "--path", str(folder), "--no-open").exit_code == 0
    assert invoke("coders", str(folder), "add", "ana").exit_code == 0
    again = invoke("demo", "--path", str(folder), "--no-open")
    assert again.exit_code == 0 and "as you left it" in again.output
    assert "ana" in invoke("coders", str(folder), "list").output


def test_a_fresh_demo_moves_the_earlier_one_beside_it(tmp_path):
    folder = tmp_path / "demo.threadcoder"
    invoke("demo", "--path", str(folder), "--no-open")
    invoke("coders", str(folder), "add", "ana")
    fresh = invoke("demo", "--path", str(folder), "--no-open", "--fresh")
    assert fresh.exit_code == 0 and "The earlier demo project is kept at" in fresh.output
    (kept,) = tmp_path.glob("demo-*.threadcoder")
    assert "ana" in invoke("coders", str(kept), "list").output
    assert "ana" not in invoke("coders", str(folder), "list").output


def test_demo_never_replaces_a_folder_that_is_not_a_project(tmp_path):
    folder = tmp_path / "thesis"
    folder.mkdir()
    (folder / "chapter1.docx").write_bytes(b"precious")
    result = CliRunner().invoke(cli, ["demo", "--path", str(folder), "--no-open"])
    assert result.exit_code == 1
    assert "is not a Threadcoder project; not replacing it" in result.output
    assert (folder / "chapter1.docx").read_bytes() == b"precious"


def test_a_bug_gives_one_line_and_a_logged_traceback(tmp_path, monkeypatch, archive):
    monkeypatch.setenv("THREADCODER_DATA_DIR", str(tmp_path / "data"))

    def broken(*_args, **_kwargs):
        raise KeyError("boom")

    monkeypatch.setattr("desktop.cli.project_info", broken)
    invoke("import", str(tmp_path / "p"), str(archive))
    result = CliRunner().invoke(cli, ["info", str(tmp_path / "p")])
    assert result.exit_code == 2
    assert "unexpected error (KeyError: 'boom')" in result.output
    assert "Traceback" not in result.output
    log = (tmp_path / "data" / "threadcoder.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "KeyError: 'boom'" in log


def test_a_sample_can_be_drawn_from_the_posts_a_search_finds(tmp_path):
    folder = tmp_path / "demo.threadcoder"
    invoke("demo", "--path", str(folder), "--no-open")
    drawn = invoke(
        "sample", str(folder), "draw", "pledges", "--size", "5", "--seed", "7", "--query", "#HowIWillChange -is:repost"
    )
    assert drawn.exit_code == 0, drawn.output
    shown = json.loads(invoke("sample", str(folder), "show", "pledges", "--json").output)
    hits = json.loads(invoke("search", str(folder), "#HowIWillChange -is:repost", "--json", "--limit", "500").output)
    assert shown["population"] == hits["total"]
    assert shown["rule"]["population"].startswith("the posts matching the search '#HowIWillChange -is:repost'")
    assert len(shown["posts"]) == 5
    assert set(shown["posts"]) <= {hit["id"] for hit in hits["hits"]}
    bad = CliRunner().invoke(cli, ["sample", str(folder), "draw", "x", "--size", "2", "--query", "(#metoo"])
    assert bad.exit_code == 2
    assert "never closed" in bad.output


def test_the_demo_opens_ready_to_code_with_the_starter_codebook(tmp_path):
    folder = tmp_path / "demo.threadcoder"
    invoke("demo", "--path", str(folder), "--no-open")
    shown = invoke("codebook", str(folder), "show").output
    assert "Not all men" in shown and "Disclosing own victimisation" in shown
    coders = invoke("coders", str(folder), "list").output
    assert "threadcoder" not in coders  # the setup name is retired: the first coder is the researcher
