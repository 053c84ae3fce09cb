"""Small files that would eat the machine are bounded: line length, nesting, decompression, blank-line runs."""

from __future__ import annotations

import gzip
import json
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.importing import limits
from archive.importing.pipeline import import_source
from archive.importing.sources import Source
from archive.jobs import drain
from archive.store.project import Project
from archive.store.stats import import_errors
from desktop.commands import cli

CREATED = "Mon Oct 16 10:00:00 +0000 2017"


def page_line(tid: str, text: str = "") -> str:
    tweet = {"id": tid, "text": text or f"post {tid}", "author_id": "1", "created_at": "2017-10-16T10:00:00.000Z"}
    return json.dumps({"data": [tweet], "includes": {"users": [{"id": "1", "username": "ana"}]}, "meta": {}})


@pytest.fixture
def project(tmp_path):
    with Project.create_or_open(tmp_path / "study.threadcoder") as opened:
        yield opened


def run(project: Project, path: Path, member: str | None = None):
    return drain(import_source(project, Source(path, member)))


def test_a_line_longer_than_the_limit_is_an_error_and_reading_goes_on(project, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_LINE_BYTES", 64 * 1024)
    path = tmp_path / "search.jsonl"
    path.write_text("\n".join([page_line("1"), page_line("2", "x" * 300_000), page_line("3")]) + "\n")
    summary = run(project, path)
    assert (summary.counts.new, summary.counts.skipped) == (2, 1)
    [error] = import_errors(project.db)
    assert error["line"] == 2
    assert error["reason"].startswith("the line is longer than 64 KiB (300,")
    assert error["excerpt"].startswith('{"data"')


def test_one_huge_line_in_a_small_gz_is_passed_over_without_holding_it(project, tmp_path, monkeypatch):
    """The reported case: a 10 MB .gz holding one 10 GB line grew to 4 GB; here smaller, with a smaller limit."""
    monkeypatch.setattr(limits, "MAX_LINE_BYTES", 1 << 20)
    path = tmp_path / "search.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(page_line("1").encode() + b"\n" + b'{"data": "')
        for _ in range(40):
            out.write(b"y" * (1 << 20))
        out.write(b'"}\n' + page_line("2").encode() + b"\n")
    assert path.stat().st_size < 1 << 20
    summary = run(project, path)
    assert (summary.counts.new, summary.counts.skipped) == (2, 1)
    [error] = import_errors(project.db)
    assert error["line"] == 2 and "longer than 1 MiB" in error["reason"]


def test_a_gz_bomb_is_stopped_with_the_file_and_the_limit_named(project, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "EXPANSION_FLOOR", 4 << 20)
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb") as out:
        out.write(page_line("1").encode() + b"\n")
        for _ in range(64):
            out.write(b" " * (1 << 20))  # 64 MiB of spaces: a line too long as well as a bomb
    summary = run(project, path)
    assert summary.counts.new == 1
    assert f"{path}: reading stopped after " in summary.note
    assert "expand more than 200 times (and beyond 4 MiB)" in summary.note
    assert import_errors(project.db)[-1]["locator"] == "(rest of file)"


def test_a_zip_member_declaring_a_bomb_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "EXPANSION_FLOOR", 4 << 20)
    monkeypatch.setenv("THREADCODER_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("good.jsonl", page_line("1") + "\n")
        archive.writestr("bomb.jsonl", page_line("2") + "\n" + "\n" * (16 << 20))
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "P"), str(path), "--json"])
    assert result.exit_code == 1
    assert f"{path}!bomb.jsonl: not read: " in result.output
    assert "declare 16 MiB, more than 200 times as much and beyond 4 MiB" in result.output
    assert [s["new"] for s in json.loads(result.stdout) if s["status"] == "complete"] == [1]


def test_a_billion_blank_lines_cost_the_reading_not_a_step_each(project, tmp_path):
    """The reported case: a 1 MB zip of 1 GiB of blank lines ran over 400 s (here 256 MiB, in a .gz)."""
    path = tmp_path / "blank.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(page_line("1").encode() + b"\n")
        for _ in range(256):
            out.write(b"\n" * (1 << 20))
        out.write(page_line("2").encode() + b"\n")
    started = time.monotonic()
    summary = run(project, path)
    elapsed = time.monotonic() - started
    assert summary.counts.new == 2
    line = project.db.execute("SELECT source_line FROM posts WHERE native_id = '2'").fetchone()[0]
    assert line == 2 + 256 * (1 << 20)  # blank lines still count for the line numbers
    assert elapsed < 30, f"{elapsed:.1f} s for blank lines"


def test_blank_line_runs_in_a_csv_keep_line_numbers_and_quoted_cells(project, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text('id,text\n1,"first\n\n\nparagraph"\n' + "\n" * 100_000 + "2,second\n", encoding="utf-8")
    summary = run(project, path)
    assert summary.counts.new == 2
    rows = project.db.execute("SELECT native_id, text, source_line FROM posts ORDER BY native_id").fetchall()
    assert [tuple(r) for r in rows] == [("1", "first\n\n\nparagraph", 2), ("2", "second", 100_006)]


def test_an_over_long_csv_line_is_an_error_and_the_rows_after_it_are_read(project, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_LINE_BYTES", 64 * 1024)
    path = tmp_path / "mine.csv"
    path.write_text("id,text\n1,first\n2," + "z" * 200_000 + "\n3,third\n", encoding="utf-8")
    summary = run(project, path)
    assert summary.counts.new == 2
    reasons = {e["line"]: e["reason"] for e in import_errors(project.db)}
    assert reasons[3].startswith("the line is longer than 64 KiB (200,")


def deep_archive(depth: int) -> bytes:
    return b"window.YTD.tweets.part0 = [" + b"[" * depth + b"]" * depth + b"]"


def test_an_x_archive_nested_100000_deep_is_refused_at_the_limit(project, tmp_path):
    """The reported case: a 200 KB tweets.js nested 100,000 deep reached 11.6 GB."""
    path = tmp_path / "tweets.js"
    path.write_bytes(deep_archive(100_000))
    started = time.monotonic()
    summary = run(project, path)
    assert time.monotonic() - started < 10
    [error] = import_errors(project.db)
    assert error["reason"].startswith("item [0] is nested deeper than 200 levels, more than any archive item")
    assert summary.status == "complete"


def archive_items(*texts: str) -> str:
    items = [{"tweet": {"id_str": str(100 + i), "full_text": t, "created_at": CREATED}} for i, t in enumerate(texts)]
    return "window.YTD.tweets.part0 = " + json.dumps(items, indent=2)


def test_brackets_inside_texts_do_not_count_as_nesting(project, tmp_path):
    path = tmp_path / "tweets.js"
    path.write_text(archive_items("[" * 500 + "{" * 500, "fine", "]" * 900), encoding="utf-8")
    summary = run(project, path)
    assert (summary.counts.new, summary.counts.skipped) == (3, 0)


def test_a_deep_item_between_good_ones_costs_only_itself(project, tmp_path):
    nested = json.loads("[" * 300 + "]" * 300)
    deep = {"tweet": {"id_str": "1", "full_text": "deep", "created_at": CREATED, "x": nested}}
    good = [{"tweet": {"id_str": str(i), "full_text": f"ok {i}", "created_at": CREATED}} for i in (2, 3)]
    path = tmp_path / "tweets.js"
    path.write_text("window.YTD.tweets.part0 = " + json.dumps([good[0], deep, good[1]], indent=2), encoding="utf-8")
    summary = run(project, path)
    assert (summary.counts.new, summary.counts.skipped) == (2, 1)
    [error] = import_errors(project.db)
    assert error["locator"] == "[1]" and "nested deeper than 200 levels" in error["reason"]


def test_an_x_archive_item_larger_than_the_limit_is_passed_over(project, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_LINE_BYTES", 64 * 1024)
    path = tmp_path / "tweets.js"
    path.write_text(archive_items("short", "long " * 40_000, "after"), encoding="utf-8")
    summary = run(project, path)
    assert (summary.counts.new, summary.counts.skipped) == (2, 1)
    assert "item [1] is larger than 64 KiB" in import_errors(project.db)[0]["reason"]


@pytest.mark.parametrize(
    ("depth", "reason"),
    [
        (300, "is nested more than 254 levels deep, deeper than an original can be stored"),
        (5000, "nested deeper than 1024 levels"),
    ],
)
def test_a_json_line_nested_too_deep_costs_only_its_record(project, tmp_path, depth, reason):
    nested = page_line("2").replace('"text"', '"deep": ' + "[" * depth + "]" * depth + ', "text"')
    path = tmp_path / "search.jsonl"
    path.write_text("\n".join([page_line("1"), nested, page_line("3")]) + "\n", encoding="utf-8")
    summary = run(project, path)
    assert (summary.status, summary.counts.new, summary.counts.skipped) == ("complete", 2, 1)
    [error] = import_errors(project.db)
    assert error["line"] == 2 and reason in error["reason"]
