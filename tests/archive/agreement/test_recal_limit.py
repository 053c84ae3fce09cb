"""ReCal refuses files above 100,000 bytes: the ReCal exports say so, and ReCal2 is also written split by variable.

The limit is lowered here so that a handful of posts crosses it; the sizes the notes give are the files' own.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from archive.export import ExportOptions, export, recal
from tests.archive.agreement.projects import Study


def _coded(study: Study) -> Study:
    codes = {1: ["Irony", "Supportive"], 2: ["Irony"], 3: [], 4: ["Critical"], 5: ["Male survivor"], 6: []}
    study.code_all({"ana": codes, "bo": {**codes, 2: [], 6: ["Irony"]}})
    return study


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_the_real_limit_is_recals() -> None:
    assert recal.RECAL_LIMIT == 100_000  # recal-lib.php: MAX_FILE_SIZE 100000


def test_a_recal2_file_under_the_limit_is_written_alone(study: Study, tmp_path: Path) -> None:
    result = export(_coded(study).db.conn, "recal2", tmp_path / "r.csv")
    assert sorted(p.name for p in tmp_path.glob("r*.csv")) == ["r.csv", "r_codemap.csv"]
    assert not any("100,000" in note for note in result.notes)


def test_a_recal2_file_above_the_limit_is_also_split_by_variables(
    study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recal, "RECAL_LIMIT", 60)
    result = export(_coded(study).db.conn, "recal2", tmp_path / "r.csv")
    whole = _rows(tmp_path / "r.csv")
    size = (tmp_path / "r.csv").stat().st_size
    assert size > 60 and len(whole) == 6 and len(whole[0]) == 8  # four variables, a column pair each
    parts = [_rows(tmp_path / f"r_part{n}.csv") for n in (1, 2)]
    assert [row[:4] for row in whole] == parts[0] and [row[4:] for row in whole] == parts[1]
    assert all((tmp_path / f"r_part{n}.csv").stat().st_size <= 60 for n in (1, 2))
    assert not (tmp_path / "r_part3.csv").exists()
    note = next(note for note in result.notes if "ReCal refuses" in note)
    assert f"r.csv is {size:,} bytes" in note and "r_part1.csv, r_part2.csv" in note
    codemap = [row for row in _rows(tmp_path / "r_codemap.csv")[1:] if row[0] == "r_part2.csv"]
    assert {(row[1], row[2]) for row in codemap} == {("1,2", "Stance"), ("3,4", "Disclosure")}


def test_a_variable_too_big_alone_cannot_be_split(
    study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recal, "RECAL_LIMIT", 20)
    result = export(_coded(study).db.conn, "recal2", tmp_path / "r.csv")
    assert not (tmp_path / "r_part1.csv").exists()
    assert any("no split by variables fits" in note and "threadcoder agreement" in note for note in result.notes)


@pytest.mark.parametrize("shape", ["recal3", "recal_oir"])
def test_recal3_and_oir_files_above_the_limit_are_named(
    study: Study, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    monkeypatch.setattr(recal, "RECAL_LIMIT", 10)
    result = export(_coded(study).db.conn, shape, tmp_path / "out", ExportOptions())
    ending = "recal3" if shape == "recal3" else "recal_oir"
    size = (tmp_path / "out" / f"Irony__{ending}.csv").stat().st_size
    note = next(note for note in result.notes if "ReCal refuses" in note)
    assert f"Irony__{ending}.csv ({size:,} bytes)" in note
    assert "splitting its rows would give each part its own statistic" in note


def test_parts_left_by_an_earlier_export_are_pointed_out(study: Study, tmp_path: Path) -> None:
    (tmp_path / "r_part1.csv").write_text("0,0\r\n", encoding="utf-8")
    result = export(_coded(study).db.conn, "recal2", tmp_path / "r.csv")
    assert "ReCal2: r_part1.csv and any further parts are from an earlier export, not this one" in result.notes
