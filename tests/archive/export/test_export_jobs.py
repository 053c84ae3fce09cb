"""Exports as jobs: progress, cancelling (no file left behind), all-or-nothing files, a read-only project,
and ``threadcoder export`` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.errors import ThreadcoderError
from archive.export import SHAPES, ExportOptions, export, export_job
from archive.jobs import CancelToken
from archive.store.project import Project
from desktop.commands import cli
from tests.archive.agreement.projects import Study
from tests.archive.export.conftest import read_rows


def test_a_job_reports_progress_and_returns_its_files(coded: Study, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("archive.export.coder_rows.PROGRESS_EVERY", 2)
    job = export_job(coded.db.conn, "long", tmp_path / "long.csv")
    reports = []
    with pytest.raises(StopIteration) as stop:
        while True:
            reports.append(next(job))
    assert reports and reports[0].stage == "writing long.csv" and reports[0].total == 12
    assert stop.value.value.files == (tmp_path / "long.csv", tmp_path / "long_coder_units.csv")


def test_a_cancelled_export_leaves_no_file(coded: Study, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("archive.export.coder_rows.PROGRESS_EVERY", 1)
    cancel = CancelToken()
    job = export_job(coded.db.conn, "long", tmp_path / "long.csv", cancel=cancel)
    next(job)
    cancel.cancel()
    with pytest.raises(StopIteration) as stop:
        next(job)
    assert stop.value.value.cancelled
    assert list(tmp_path.glob("long*")) == []
    assert not coded.db.conn.in_transaction  # the read snapshot is released


def test_a_failing_export_keeps_the_previous_file(coded: Study, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "dataset.csv"
    path.write_text("last week's export\n", encoding="utf-8")

    def broken(_self, _post_id, _coder_id):
        raise RuntimeError("disk full")

    monkeypatch.setattr("archive.export.dataset._Posts.cells", broken)
    with pytest.raises(RuntimeError):
        export(coded.db.conn, "dataset", path)
    assert path.read_text(encoding="utf-8") == "last week's export\n"
    assert not (tmp_path / "dataset.csv.part").exists()


def test_bad_requests_are_refused_before_writing(coded: Study, tmp_path: Path) -> None:
    for shape, options, message in [
        ("tsv", ExportOptions(), "unknown export shape 'tsv'"),
        ("dataset", ExportOptions(columns=("likes",)), "unknown dataset column"),
        ("report", ExportOptions(seed=3), "a seed only applies together with a bootstrap"),
        ("units_x_coders", ExportOptions(variable="Supportive"), "'Supportive' is a value"),
        ("recal2", ExportOptions(coders=("ana", "zoe")), "no completed work by zoe"),
    ]:
        with pytest.raises(ThreadcoderError, match=message):
            export(coded.db.conn, shape, tmp_path / "out.csv", options)
    assert list(tmp_path.glob("out*")) == []


def test_every_shape_runs_on_a_read_only_project(coded: Study, tmp_path: Path) -> None:
    folder = coded.project.folder
    coded.project.close()
    with Project(folder, writable=False) as reader:
        for shape in SHAPES:
            target = (
                tmp_path / shape
                if shape in ("units_x_coders", "coders_x_units", "recal3", "recal_oir")
                else (tmp_path / f"{shape}.{'qdpx' if shape == 'qdpx' else 'csv'}")
            )
            options = ExportOptions(coders=("ana", "bo")) if shape == "recal2" else ExportOptions()
            assert export(reader.db.conn, shape, target, options).files, shape


def test_the_export_command(coded: Study, tmp_path: Path) -> None:
    folder = str(coded.project.folder)
    coded.project.close()
    result = CliRunner().invoke(
        cli,
        [
            "export",
            folder,
            "dataset",
            str(tmp_path / "d.csv"),
            "--columns",
            "date,author",
            "--pseudonymise",
            "--missing",
            "NA",
            "--bom",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["files"] == [str(tmp_path / "d.csv")] and summary["rows"] == 12
    rows = read_rows(tmp_path / "d.csv")
    assert list(rows[0])[:5] == ["unit_id", "coder_id", "status", "date", "author"]
    assert all(r["author"].startswith("user_") for r in rows)
    result = CliRunner().invoke(cli, ["export", folder, "recal2", str(tmp_path / "r.csv"), "--coders", "ana,bo"])
    assert result.exit_code == 0
    assert "note: ReCal2 coders: column 1 of each pair is ana" in result.stdout
    result = CliRunner().invoke(cli, ["export", folder, "recal2", str(tmp_path / "r.csv")])
    assert result.exit_code == 1
    assert result.stderr.startswith("threadcoder: ReCal2 takes two coders and 3 completed")
