"""Importing files end to end: detection, summaries, re-imports, errors, cancel and resume."""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

import pytest
import zstandard

from archive.errors import UnknownFormatError
from archive.importing.pipeline import import_source
from archive.importing.sources import Source
from archive.jobs import CancelToken, drain
from archive.store.project import Project
from archive.store.stats import import_errors, project_info

USERS = [{"id": "1", "username": "ana", "name": "Ana"}, {"id": "2", "username": "ben", "name": "Ben"}]


def tweet(tid: str, text: str, author: str = "1", **extra: object) -> dict:
    return {
        "id": tid,
        "text": text,
        "author_id": author,
        "created_at": "2017-10-16T10:00:00.000Z",
        "conversation_id": extra.pop("conversation_id", tid),
        "lang": "en",
        **extra,
    }


def page(*tweets: dict, includes: list[dict] | None = None) -> str:
    body = {
        "data": list(tweets),
        "includes": {"users": USERS, "tweets": includes or []},
        "meta": {"result_count": len(tweets)},
        "__twarc": {"retrieved_at": "2021-01-01T00:00:00+00:00"},
    }
    return json.dumps(body)


def write_lines(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path):
    with Project.create_or_open(tmp_path / "study.threadcoder") as opened:
        yield opened


def run(project: Project, path: Path, **kwargs):
    return drain(import_source(project, Source(path), **kwargs))


THREAD = (
    page(
        tweet("10", "Me too. It took me years to say it. #MeToo"),
        tweet(
            "11",
            "Thank you for telling us.",
            "2",
            conversation_id="10",
            referenced_tweets=[{"type": "replied_to", "id": "10"}],
        ),
    ),
    page(
        tweet("12", "Believe him.", "2", conversation_id="10", referenced_tweets=[{"type": "replied_to", "id": "99"}])
    ),
)


def test_a_twarc2_file_is_detected_imported_and_summarised(project, tmp_path):
    summary = run(project, write_lines(tmp_path / "search.jsonl", *THREAD))
    assert (summary.format, summary.status) == ("twarc2", "complete")
    assert (summary.counts.new, summary.counts.skipped) == (3, 0)
    info = project_info(project.db)
    assert (info["posts"], info["replies"], info["replies_with_parent"], info["threads"]) == (3, 2, 1, 1)
    assert info["placeholders"] == 1  # post 99 is referenced but was never collected
    assert info["imports"][0]["status"] == "complete"


def test_importing_the_same_file_again_adds_nothing(project, tmp_path):
    path = write_lines(tmp_path / "search.jsonl", *THREAD)
    run(project, path)
    again = run(project, path)
    assert again.status == "already-imported"
    forced = run(project, path, force=True)
    assert (forced.counts.new, forced.counts.duplicates) == (0, 3)
    assert project_info(project.db)["posts"] == 3


def test_overlapping_files_merge_on_the_post_id(project, tmp_path):
    run(project, write_lines(tmp_path / "a.jsonl", THREAD[0]))
    summary = run(project, write_lines(tmp_path / "b.jsonl", *THREAD))
    assert (summary.counts.new, summary.counts.duplicates) == (1, 2)


def test_a_cut_off_last_line_is_recorded_and_the_rest_imported(project, tmp_path):
    path = tmp_path / "stream.jsonl"
    path.write_text(THREAD[0] + "\n" + THREAD[1][:40], encoding="utf-8")
    summary = run(project, path)
    assert (summary.status, summary.counts.new, summary.counts.skipped) == ("complete", 2, 1)
    error = import_errors(project.db)[0]
    assert error["file"] == str(path)
    assert error["line"] == 2
    assert "not valid JSON" in error["reason"]


@pytest.mark.parametrize("wrap", ["gz", "zst", "zip"])
def test_compressed_and_zipped_files_are_read_as_they_are(project, tmp_path, wrap):
    data = ("\n".join(THREAD) + "\n").encode()
    if wrap == "gz":
        path = tmp_path / "search.jsonl.gz"
        path.write_bytes(gzip.compress(data))
        source = Source(path)
    elif wrap == "zst":
        path = tmp_path / "search.jsonl.zst"
        path.write_bytes(zstandard.ZstdCompressor().compress(data))
        source = Source(path)
    else:
        path = tmp_path / "search.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("collection/search.jsonl", data)
        source = Source(path, "collection/search.jsonl")
    summary = drain(import_source(project, source))
    assert summary.counts.new == 3


def test_an_unknown_file_names_the_file_and_what_was_expected(project, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\nnothing else\n", encoding="utf-8")
    with pytest.raises(UnknownFormatError, match=r"notes\.txt.*expected one of"):
        run(project, path)


def test_json_that_is_not_a_post_format_is_refused_with_its_keys(project, tmp_path):
    path = write_lines(tmp_path / "odd.jsonl", json.dumps({"hello": 1, "world": 2}))
    with pytest.raises(UnknownFormatError, match=r"odd\.jsonl, line 1: JSON with keys \[hello, world\]"):
        run(project, path)


def test_a_cancelled_import_resumes_where_it_stopped(project, tmp_path, monkeypatch):
    monkeypatch.setattr("archive.importing.pipeline.BATCH_SIZE", 2)
    lines = [page(tweet(str(100 + i), f"post {i}")) for i in range(10)]
    path = write_lines(tmp_path / "big.jsonl", *lines)
    cancel = CancelToken()
    job = import_source(project, Source(path), cancel=cancel)
    next(job)
    cancel.cancel()
    summary = drain(job)
    assert summary.status == "cancelled"
    assert 0 < project_info(project.db)["posts"] < 10
    resumed = run(project, path)
    assert resumed.status == "complete"
    assert resumed.counts.new == 10  # totals carry over; nothing counted twice
    assert project_info(project.db)["posts"] == 10


def test_progress_reports_bytes_read(project, tmp_path, monkeypatch):
    monkeypatch.setattr("archive.importing.pipeline.BATCH_SIZE", 1)
    path = write_lines(tmp_path / "search.jsonl", *THREAD)
    reports = []
    drain(import_source(project, Source(path)), reports.append)
    assert reports[-1].bytes_total == path.stat().st_size
    assert 0 < reports[0].bytes_done <= reports[-1].bytes_done == path.stat().st_size


def test_a_cut_off_gzip_keeps_what_was_read_and_says_why_the_rest_is_missing(project, tmp_path):
    lines = [page(tweet(str(100 + i), f"post {i} " + "x" * 200)) for i in range(200)]
    whole = gzip.compress(("\n".join(lines) + "\n").encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])
    summary = run(project, path)
    assert summary.status == "damaged"  # read up to the damage, and said so
    assert "damaged or cut off after line" in summary.note
    assert 0 < summary.counts.new < 200
    assert import_errors(project.db)[-1]["reason"] == summary.note


@pytest.mark.slow
def test_a_reader_process_gives_the_same_project_as_reading_in_process(tmp_path, monkeypatch):
    lines = [page(*(tweet(str(1000 + 10 * i + j), f"post {i}-{j}") for j in range(10))) for i in range(50)]
    path = write_lines(tmp_path / "search.jsonl", *lines)
    monkeypatch.setattr("archive.importing.pipeline.BATCH_SIZE", 100)
    monkeypatch.setattr("archive.importing.pipeline.READER_PROCESS_MIN_BYTES", 0)
    results = []
    for name, parallel in (("in-process", False), ("reader-process", True)):
        with Project.create_or_open(tmp_path / name) as opened:
            summary = drain(import_source(opened, Source(path), use_reader_process=parallel))
            rows = opened.db.execute("SELECT id, text, root_id, author_id FROM posts ORDER BY id").fetchall()
            results.append((summary.counts.new, summary.status, rows))
    assert results[0] == results[1]
    assert results[0][0] == 500


@pytest.mark.slow
def test_cancelling_stops_the_reader_process(project, tmp_path, monkeypatch):
    lines = [page(*(tweet(str(1000 + 10 * i + j), f"post {i}-{j}") for j in range(10))) for i in range(50)]
    path = write_lines(tmp_path / "search.jsonl", *lines)
    monkeypatch.setattr("archive.importing.pipeline.BATCH_SIZE", 10)
    monkeypatch.setattr("archive.importing.pipeline.READER_PROCESS_MIN_BYTES", 0)
    cancel = CancelToken()
    job = import_source(project, Source(path), cancel=cancel)
    next(job)
    cancel.cancel()
    assert drain(job).status == "cancelled"
    import multiprocessing

    assert not [p for p in multiprocessing.active_children() if p.name == "threadcoder-reader"]
