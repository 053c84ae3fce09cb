"""Bad bytes and damaged compressed data cost the records they touch, never the file or the other files."""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.importing.pipeline import import_source
from archive.importing.sources import Source
from archive.jobs import drain
from archive.store.project import Project
from archive.store.stats import import_errors, project_info
from desktop.commands import cli

CREATED = "Mon Oct 16 10:00:00 +0000 2017"


def archive_part(count: int, kind: str = "tweet") -> bytes:
    """An X archive part in the archive's own layout (pretty-printed, one item opening per line)."""
    items = [{"tweet": {"id_str": str(100 + i), "full_text": f"post {i}", "created_at": CREATED}} for i in range(count)]
    return f"window.YTD.{kind}.part0 = {json.dumps(items, indent=2)}".encode()


def with_bad_bytes(data: bytes, before: bytes = b"post 0") -> bytes:
    """Two bytes that are never UTF-8 (an overlong '/') put into the first full_text."""
    at = data.index(before)
    return data[:at] + b"\xc0\xaf" + data[at:]


def page_line(*ids: str) -> str:
    tweets = [{"id": i, "text": f"post {i}", "author_id": "1", "created_at": "2017-10-16T10:00:00.000Z"} for i in ids]
    return json.dumps({"data": tweets, "includes": {"users": [{"id": "1", "username": "ana"}]}, "meta": {}})


@pytest.fixture
def project(tmp_path):
    with Project.create_or_open(tmp_path / "study.threadcoder") as opened:
        yield opened


def statuses(project: Project) -> list[str]:
    return [row["status"] for row in project_info(project.db)["imports"]]


def test_bad_bytes_in_an_x_archive_cost_only_their_item(project, tmp_path):
    path = tmp_path / "tweet.js"
    path.write_bytes(with_bad_bytes(archive_part(5)))
    summary = drain(import_source(project, Source(path)))
    assert (summary.status, summary.counts.new, summary.counts.skipped) == ("complete", 4, 1)
    [error] = import_errors(project.db)
    assert (error["line"], error["locator"]) == (2, "[0]")
    assert "item [0] is not valid UTF-8 text (byte 0xc0" in error["reason"]
    assert statuses(project) == ["complete"]


def test_bad_bytes_in_a_json_line_are_named_as_such(project, tmp_path):
    path = tmp_path / "search.jsonl"
    path.write_bytes(page_line("1").encode() + b"\n" + with_bad_bytes(page_line("2").encode(), b"post 2") + b"\n")
    summary = drain(import_source(project, Source(path)))
    assert (summary.counts.new, summary.counts.skipped) == (1, 1)
    [error] = import_errors(project.db)
    assert error["line"] == 2
    assert error["reason"].startswith("not valid UTF-8 text (byte 0xc0 at ")


def test_a_cut_off_gzipped_x_archive_keeps_what_was_read_and_says_why(project, tmp_path):
    whole = gzip.compress(archive_part(400))
    path = tmp_path / "tweets.js.gz"
    path.write_bytes(whole[: len(whole) // 2])
    summary = drain(import_source(project, Source(path)))
    assert summary.status == "damaged"  # read up to the damage; the import row is complete
    assert 0 < summary.counts.new < 400
    assert "damaged or cut off after line" in summary.note
    assert import_errors(project.db)[-1]["locator"] == "(rest of file)"
    assert statuses(project) == ["complete"]


def test_a_cut_off_gzipped_csv_keeps_the_rows_before_the_damage(project, tmp_path):
    rows = "".join(f"{100 + i},post number {i} {'x' * 40},ana\n" for i in range(3000))
    whole = gzip.compress(("id,text,author_handle\n" + rows).encode())
    path = tmp_path / "mine.csv.gz"
    path.write_bytes(whole[: len(whole) // 2])
    summary = drain(import_source(project, Source(path)))
    assert (summary.format, summary.status) == ("csv", "damaged")
    assert 0 < summary.counts.new < 3000
    assert "damaged or cut off after line" in summary.note
    assert statuses(project) == ["complete"]


def test_a_zip_member_with_a_bad_checksum_keeps_what_was_read(project, tmp_path):
    data = ("\n".join(page_line(str(10 + i)) for i in range(50)) + "\n").encode()
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("search.jsonl", data)
    raw = bytearray(path.read_bytes())
    at = raw.index(b'"post 49"')
    raw[at + 2] = ord("X")  # the stored bytes no longer match the member's CRC
    path.write_bytes(bytes(raw))
    summary = drain(import_source(project, Source(path, "search.jsonl")))
    assert summary.status == "damaged"
    assert summary.counts.new >= 49
    assert "damaged or cut off" in summary.note
    assert statuses(project) == ["complete"]


def test_a_reader_that_fails_part_way_fails_its_input_only_and_leaves_no_running_import(project, tmp_path, monkeypatch):
    from archive.formats import twitter_v2

    def broken(line, page):
        if line == 3:
            raise RuntimeError("a bug in the reader")
        yield from original(line, page)

    original = twitter_v2._page_items
    monkeypatch.setattr(twitter_v2, "_page_items", broken)
    monkeypatch.setattr("archive.importing.pipeline.BATCH_SIZE", 1)
    path = tmp_path / "search.jsonl"
    path.write_text("\n".join(page_line(str(i)) for i in range(1, 6)) + "\n", encoding="utf-8")
    summary = drain(import_source(project, Source(path)))
    assert summary.status == "failed"
    assert summary.counts.new == 2
    assert "reading stopped after 2 records by an unexpected error (RuntimeError: a bug in the reader)" in summary.note
    assert statuses(project) == ["failed"]


def test_one_unreadable_file_does_not_stop_the_others(tmp_path, monkeypatch):
    """The reported case: ``import P bad.js good1.jsonl good2.jsonl`` imported nothing and left 'running'."""
    monkeypatch.setenv("THREADCODER_DATA_DIR", str(tmp_path / "data"))
    bad = tmp_path / "tweet.js"
    bad.write_bytes(with_bad_bytes(archive_part(3)))
    good = [tmp_path / "good1.jsonl", tmp_path / "good2.jsonl"]
    good[0].write_text(page_line("1", "2") + "\n", encoding="utf-8")
    good[1].write_text(page_line("3") + "\n", encoding="utf-8")
    folder = tmp_path / "P"
    result = CliRunner().invoke(cli, ["import", str(folder), str(bad), *map(str, good), "--json"])
    assert result.exit_code == 0, result.output
    assert [s["new"] for s in json.loads(result.stdout)] == [2, 2, 1]
    with Project(folder, writable=False) as opened:
        assert statuses(opened) == ["complete"] * 3


def test_an_unexpected_error_in_one_file_is_one_line_and_the_others_still_go_in(tmp_path, monkeypatch):
    from archive.formats import x_archive

    def explode(*_args: object) -> None:
        raise KeyError("surprise")

    monkeypatch.setenv("THREADCODER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(x_archive, "_post", explode)
    bad = tmp_path / "tweet.js"
    bad.write_bytes(archive_part(3))
    good = tmp_path / "good.jsonl"
    good.write_text(page_line("1", "2") + "\n", encoding="utf-8")
    folder = tmp_path / "P"
    result = CliRunner().invoke(cli, ["import", str(folder), str(bad), str(good)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"threadcoder: {bad}: reading stopped after 0 records by an unexpected error (KeyError" in result.output
    with Project(folder, writable=False) as opened:
        assert statuses(opened) == ["failed", "complete"]
        assert project_info(opened.db)["posts"] == 2
    assert "KeyError" in (tmp_path / "data" / "threadcoder.log").read_text(encoding="utf-8")


def test_a_crash_in_the_reader_process_comes_back_as_a_message(tmp_path, monkeypatch):
    """What the reader process sends must survive pickling, whatever it caught."""
    import pickle

    from archive.importing import reader_process

    class Unpicklable(Exception):
        def __init__(self, a: object, b: object) -> None:
            super().__init__(a)
            self.b = b

    def crash(*_args: object):
        raise Unpicklable(lambda: None, 2)
        yield

    sent: list[tuple[str, object]] = []
    monkeypatch.setattr(reader_process, "prepared_batches", crash)
    monkeypatch.setattr(reader_process, "_put", lambda _out, message, _parent: sent.append(message))
    monkeypatch.setattr(reader_process.signal, "signal", lambda *_args: None)
    reader_process._reader_main(None, Source(tmp_path / "x.jsonl"), "twarc2", None, 0, 1, 10, 0)
    [(kind, payload)] = sent
    assert kind == "error"
    again = pickle.loads(pickle.dumps(payload))
    assert str(again).startswith("Unpicklable: ")
    assert "Traceback" in str(again)


def write_lines(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
