"""Files that mix record shapes (``cat`` of several collections): every line is read as its shape, or recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.importing.pipeline import import_source
from archive.importing.sources import Source
from archive.jobs import drain
from archive.store.project import Project
from archive.store.stats import import_errors, project_info

ANA = {"id": "1", "username": "ana", "name": "Ana"}
TWARC = {"retrieved_at": "2021-01-01T00:00:00+00:00", "version": "2.14.0"}


def tweet(tid: str, text: str = "", **extra: object) -> dict:
    return {
        "id": tid,
        "text": text or f"post {tid}",
        "author_id": "1",
        "created_at": "2017-10-16T10:00:00.000Z",
        "conversation_id": tid,
        **extra,
    }


def page_line(*tweets: dict) -> dict:
    return {"data": list(tweets), "includes": {"users": [ANA]}, "meta": {"result_count": len(tweets)}, "__twarc": TWARC}


def flat_line(tid: str) -> dict:
    return {**tweet(tid), "author": ANA, "__twarc": TWARC}


def bare_line(tid: str) -> dict:
    return tweet(tid)


def v1_line(tid: str) -> dict:
    return {
        "id": int(tid),
        "id_str": tid,
        "full_text": f"v1 post {tid}",
        "created_at": "Mon Oct 16 10:00:00 +0000 2017",
        "user": {"id_str": "1", "screen_name": "ana"},
    }


def write(path: Path, *lines: dict) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path):
    with Project.create_or_open(tmp_path / "study.threadcoder") as opened:
        yield opened


def collected(project: Project) -> list[str]:
    rows = project.db.execute("SELECT native_id FROM posts WHERE kind = 'collected' ORDER BY native_id")
    return [row[0] for row in rows]


def test_a_page_followed_by_flattened_tweets_imports_both(realdata, project, tmp_path):
    """The reported loss: ``cat quoted_edit.jsonl flat.jsonl`` gave 1 new post and dropped 100 without a word."""
    joined = tmp_path / "joined.jsonl"
    joined.write_bytes(
        (realdata / "twitter_v2_twarc2/quoted_edit.jsonl").read_bytes()
        + (realdata / "twitter_v2_flattened/flat.jsonl").read_bytes()
    )
    summary = drain(import_source(project, Source(joined)))
    assert summary.format == "twarc2"
    assert (summary.counts.new, summary.counts.skipped) == (101, 0)
    assert project_info(project.db)["posts"] == 101


@pytest.mark.parametrize("first", ["page", "flat", "bare"])
def test_every_x_v2_shape_is_read_whichever_comes_first(project, tmp_path, first):
    shapes = {"page": page_line(tweet("10"), tweet("11")), "flat": flat_line("20"), "bare": bare_line("30")}
    order = [first, *(name for name in shapes if name != first)]
    path = write(tmp_path / "mixed.jsonl", *(shapes[name] for name in order))
    summary = drain(import_source(project, Source(path)))
    assert (summary.counts.new, summary.counts.skipped) == (4, 0)
    assert collected(project) == ["10", "11", "20", "30"]


@pytest.mark.parametrize(
    ("line", "looks_like"),
    [
        (v1_line("40"), "this line is an X API v1.1 tweet"),
        ({"__twarc": TWARC}, "this line is JSON with keys [__twarc]"),
        ({"data": "not tweets", "__twarc": TWARC}, "JSON with keys [__twarc, data]"),
        ({"id": 5, "item_id": "x", "data": {"text": "an envelope"}}, "JSON with keys [data, id, item_id]"),
        ({"id": "6", "author": ANA}, "JSON with keys [author, id]"),
    ],
)
def test_a_line_of_another_shape_in_an_x_v2_file_is_an_error_with_its_line(project, tmp_path, line, looks_like):
    path = write(tmp_path / "mixed.jsonl", page_line(tweet("10")), line, flat_line("20"))
    summary = drain(import_source(project, Source(path)))
    assert (summary.counts.new, summary.counts.skipped) == (2, 1)
    [error] = import_errors(project.db)
    assert (error["file"], error["line"]) == (str(path), 2)
    assert looks_like in error["reason"]
    assert "not an X API v2 response page (twarc2) or an X API v2 tweet" in error["reason"]


def test_an_x_v2_line_in_a_v1_file_is_an_error_naming_its_shape(project, tmp_path):
    path = write(tmp_path / "v1.jsonl", v1_line("40"), page_line(tweet("10")), v1_line("41"))
    summary = drain(import_source(project, Source(path)))
    assert summary.format == "v1.1"
    assert (summary.counts.new, summary.counts.skipped) == (2, 1)
    [error] = import_errors(project.db)
    assert error["line"] == 2
    assert "this line is an X API v2 response page (twarc2), not an X API v1.1" in error["reason"]


def test_a_record_with_a_notice_key_is_not_taken_for_a_v1_stream_notice(project, tmp_path):
    """Only a small object is a notice; a record that merely has a ``warning`` key was dropped without a word."""
    notice = {"limit": {"track": 12, "timestamp_ms": "1"}}
    record = {"warning": {"code": "x"}, "post": "something else", "author": "ana"}
    path = write(tmp_path / "v1.jsonl", v1_line("40"), notice, record)
    summary = drain(import_source(project, Source(path)))
    assert (summary.counts.new, summary.counts.skipped) == (1, 1)
    [error] = import_errors(project.db)
    assert error["line"] == 3
    assert "JSON with keys [author, post, warning]" in error["reason"]
