"""A format the user forces is checked against the file's first records; a file nearly all errors fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.import_plan import check_forced_format, plan_named_paths
from archive.formats.fit import FormatMismatchError
from archive.importing.pipeline import import_source
from archive.importing.sources import Source
from archive.jobs import drain
from archive.store.project import Project
from archive.store.stats import import_errors, project_info
from desktop.commands import cli

ENVELOPE = {
    "id": 7,
    "nav_index": "1:1:NaN",
    "item_id": "123",
    "source_platform": "x.com",
    "data": {"rest_id": "123", "legacy": {"full_text": "hallo"}},
}


def page_line(tid: str) -> dict:
    tweet = {"id": tid, "text": f"post {tid}", "author_id": "1", "created_at": "2017-10-16T10:00:00.000Z"}
    return {"data": [tweet], "includes": {"users": [{"id": "1", "username": "ana"}]}, "meta": {}}


def write(path: Path, *lines: object) -> Path:
    path.write_text(
        "".join((json.dumps(line) if not isinstance(line, str) else line) + "\n" for line in lines), encoding="utf-8"
    )
    return path


def invoke(tmp_path: Path, *args: str):
    return CliRunner().invoke(cli, ["import", str(tmp_path / "P"), *args])


@pytest.fixture(autouse=True)
def private_log(tmp_path, monkeypatch):
    monkeypatch.setenv("THREADCODER_DATA_DIR", str(tmp_path / "data"))


@pytest.mark.parametrize(
    ("sample", "format_name", "looks_like"),
    [
        ("zeeschuimer_4cat/zeeschuimer_instagram_feed.ndjson", "twarc2-flat", "line 1 is JSON with keys [data, id"),
        ("bluesky/app.bsky.feed.searchPosts-5d343d.json", "v2-tweets", "line 1 is not JSON"),
        ("facebook_instagram_dyi/ig_posts_1.json", "v1.1", "line 1 is not JSON"),
        ("twitter_v2_twarc2/brexit.jsonl", "v1.1", "line 1 is an X API v2 response page (twarc2)"),
        ("twitter_v2_twarc2/brexit.jsonl", "x-archive", 'it starts \'{"data"'),
        ("twitter_v1_1/search_extended_waynegraham.jsonl", "csv", "not with a CSV header"),
    ],
)
def test_a_forced_format_that_does_not_fit_is_refused_before_anything_is_written(
    realdata, tmp_path, sample, format_name, looks_like
):
    path = realdata / sample
    result = invoke(tmp_path, str(path), "--format", format_name)
    assert result.exit_code == 1
    assert f"threadcoder: {path}: does not fit the format chosen" in result.output
    assert looks_like in result.output
    assert "Nothing was imported from it" in result.output
    assert not (tmp_path / "P").exists()  # not even created


def test_the_reported_junk_a_capture_forced_as_flattened_tweets_stores_nothing(tmp_path):
    path = write(tmp_path / "capture.ndjson", *[ENVELOPE] * 30)
    result = invoke(tmp_path, str(path), "--format", "twarc2-flat")
    assert result.exit_code == 1
    assert "30 of its first 20" not in result.output
    assert "20 of its first 20 lines do not fit (line 1 is JSON with keys [data, id, item_id" in result.output
    assert "that format reads one X API v2 tweet or response page per line" in result.output


def test_a_fitting_file_is_imported_beside_a_refused_one(tmp_path):
    good = write(tmp_path / "search.jsonl", page_line("1"), page_line("2"))
    bad = write(tmp_path / "capture.ndjson", ENVELOPE)
    result = invoke(tmp_path, str(good), str(bad), "--format", "twarc2-flat", "--json")
    assert result.exit_code == 1
    summaries = json.loads(result.stdout)
    assert [(s["file"], s["status"], s["new"]) for s in summaries] == [
        (str(good), "complete", 2),
        (str(bad), "failed", 0),
    ]
    with Project(tmp_path / "P", writable=False) as opened:
        assert [row["file"] for row in project_info(opened.db)["imports"]] == [str(good)]


def test_the_core_refuses_a_forced_format_without_an_import_row(tmp_path):
    path = write(tmp_path / "capture.ndjson", ENVELOPE, ENVELOPE)
    with Project.create_or_open(tmp_path / "P") as project:
        with pytest.raises(FormatMismatchError, match=r"capture\.ndjson: does not fit the format chosen"):
            drain(import_source(project, Source(path), format_name="v2-tweets"))
        assert project_info(project.db)["imports"] == []


@pytest.mark.parametrize(
    ("content", "format_name", "reason"),
    [
        ("id,text\n1,hello\n", "twarc2", "line 1 is not JSON"),
        ("post;body\n1;hello\n", "twarc-csv", "its header [post, body] has no 'id' and 'text'"),
        ("post,words\n1,hello\n", "csv", "no column for id and text in the CSV header [post, words]"),
        ('window.YTD.account.part0 = [{"account": {}}]', "x-archive", "the X archive part 'account'"),
        ('[{"something": 1}]', "x-archive", "1 of its first 1 items do not fit (item [0] on line 1 is JSON"),
        ("\n\n", "v1.1", "it holds no lines"),
    ],
)
def test_the_plan_says_why_a_forced_format_does_not_fit(tmp_path, content, format_name, reason):
    path = tmp_path / "input.txt"
    path.write_text(content, encoding="utf-8")
    found = check_forced_format(Source(path), format_name)
    assert found is not None and found.startswith(f"{path}: ")
    assert reason in found
    [item] = plan_named_paths([path], format_name=format_name)
    assert item.named and item.format is None and not item.include and item.is_failure
    assert item.problem == found


@pytest.mark.parametrize(
    ("lines", "format_name"),
    [
        ([page_line("1")], "twarc2"),
        ([page_line("1")], "twarc2-flat"),  # the X API v2 formats read each other's lines
        ([{"id": "1", "text": "bare"}], "twarc2"),
        ([{"id_str": "1", "text": "v1", "user": {"id_str": "2"}}, {"limit": {"track": 1}}], "v1.1"),
        ([page_line("1"), "{cut off", "{cut off"], "twarc2"),  # damage is the reader's to record, line by line
    ],
)
def test_a_forced_format_that_fits_is_planned_as_chosen(tmp_path, lines, format_name):
    path = write(tmp_path / "input.jsonl", *lines)
    assert check_forced_format(Source(path), format_name) is None
    [item] = plan_named_paths([path], format_name=format_name)
    assert (item.format, item.include, item.problem) == (format_name, True, "")


def test_a_file_whose_records_are_nearly_all_errors_fails_with_a_clear_message(tmp_path):
    lines = [page_line("1"), page_line("2"), *[ENVELOPE] * 30]
    path = write(tmp_path / "mixed.jsonl", *lines)
    result = invoke(tmp_path, str(path), "--json")
    assert result.exit_code == 1
    [summary] = json.loads(result.stdout)
    assert (summary["status"], summary["new"], summary["skipped"]) == ("failed", 2, 30)
    assert "30 of its 32 records could not be read as twarc2 API response pages" in summary["note"]
    assert "(the first, line 3: this line is JSON with keys [data, id, item_id" in summary["note"]
    assert "is the file in another format?" in result.output
    with Project(tmp_path / "P", writable=False) as opened:
        assert project_info(opened.db)["imports"][0]["status"] == "failed"
        assert len(import_errors(opened.db)) == 30  # every record read is still recorded


def test_a_few_errors_or_a_short_file_of_errors_is_not_a_failure(tmp_path):
    few = write(tmp_path / "few.jsonl", *[page_line(str(i)) for i in range(30)], *[ENVELOPE] * 3)
    short = write(tmp_path / "short.jsonl", page_line("99"), *[ENVELOPE] * 10)
    result = invoke(tmp_path, str(few), str(short), "--json")
    assert result.exit_code == 0
    assert [s["status"] for s in json.loads(result.stdout)] == ["complete", "complete"]
