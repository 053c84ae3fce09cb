"""Per-variable matrices (units x coders and transposed) and the ReCal files with their code map."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archive.export import ExportError, ExportOptions, export
from tests.archive.agreement.projects import Study
from tests.archive.export.conftest import read_rows, store_values


def test_units_x_coders_writes_one_file_per_code_and_variable(coded: Study, tmp_path: Path) -> None:
    result = export(coded.db.conn, "units_x_coders", tmp_path / "matrices")
    names = sorted(f.name for f in result.files)
    assert names == sorted(
        [
            "Male_survivor__units_x_coders.csv",
            "Irony__units_x_coders.csv",
            "Stance__units_x_coders.csv",
            "Disclosure__units_x_coders.csv",
        ]
    )
    values = store_values(coded.db.conn)
    rows = read_rows(tmp_path / "matrices" / "Stance__units_x_coders.csv")
    assert list(rows[0]) == ["unit_id", "ana", "bo", "cy"]
    for row in rows:
        for coder in ("ana", "bo", "cy"):
            assert row[coder] == values.get((row["unit_id"], coder, "Stance"), "")
    assert [r["unit_id"] for r in rows] == ["twitter:1", "twitter:2", "twitter:3", "twitter:4"]  # 2+ coders


def test_coders_x_units_is_the_transpose(coded: Study, tmp_path: Path) -> None:
    options = ExportOptions(variable="Irony", missing="NA")
    export(coded.db.conn, "units_x_coders", tmp_path / "u.csv", options)
    export(coded.db.conn, "coders_x_units", tmp_path / "c.csv", options)
    (unit_header, *unit_rows) = read_rows(tmp_path / "u.csv", header=False)
    (coder_header, *coder_rows) = read_rows(tmp_path / "c.csv", header=False)
    assert coder_header == ["coder_id", *(row[0] for row in unit_rows)]
    assert [row[0] for row in coder_rows] == unit_header[1:] == ["ana", "bo", "cy"]
    assert [row[1:] for row in coder_rows] == [list(column) for column in zip(*(r[1:] for r in unit_rows), strict=True)]
    assert "NA" in coder_rows[2]  # cy on post 4


def test_recal2_pairs_columns_digits_only_no_header(coded: Study, tmp_path: Path) -> None:
    path = tmp_path / "recal2.csv"
    with pytest.raises(ExportError, match="ReCal2 takes two coders and 3 completed"):
        export(coded.db.conn, "recal2", path)
    result = export(coded.db.conn, "recal2", path, ExportOptions(coders=("ana", "bo"), bom=True))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert all(re.fullmatch(r"\d+(,\d+)*", line) for line in lines)  # no BOM, no header, digits only
    rows = read_rows(path, header=False)
    assert len(rows) == 4 and all(len(row) == 8 for row in rows)
    codemap = read_rows(tmp_path / "recal2_codemap.csv")
    stance = {r["label"]: r["code"] for r in codemap if r["variable"] == "Stance"}
    assert stance == {"Supportive": "1", "Critical": "2", "<none>": "0"}
    assert {r["columns"] for r in codemap if r["variable"] == "Stance"} == {"5,6"}
    values = store_values(coded.db.conn)
    for row, post in zip(rows, ["twitter:1", "twitter:2", "twitter:3", "twitter:4"], strict=True):
        assert row[4:6] == [stance[values[(post, "ana", "Stance")]], stance[values[(post, "bo", "Stance")]]]
    assert "column 1 of each pair is ana, column 2 bo" in result.notes[-1]


def test_recal3_keeps_posts_every_coder_completed(coded: Study, tmp_path: Path) -> None:
    result = export(coded.db.conn, "recal3", tmp_path / "recal3")
    rows = read_rows(tmp_path / "recal3" / "Irony__recal3.csv", header=False)
    assert rows == [["0", "0", "0"], ["1", "0", "1"], ["0", "1", "0"]]  # posts 1-3; post 4 lacks cy
    assert any("1 post(s) not completed by every coder were left out" in note for note in result.notes)
    assert (tmp_path / "recal3" / "recal_codemap.csv").exists()


def test_recal_oir_marks_missing_with_a_hash_whatever_the_token(coded: Study, tmp_path: Path) -> None:
    path = tmp_path / "irony_oir.csv"
    export(coded.db.conn, "recal_oir", path, ExportOptions(variable="Irony", missing="NA"))
    rows = read_rows(path, header=False)
    assert rows[-1] == ["0", "1", "#"]  # post 4: cy has not completed it
    assert (tmp_path / "irony_oir_codemap.csv").exists()


def test_a_per_variable_shape_refuses_a_file_where_a_folder_is_needed(coded: Study, tmp_path: Path) -> None:
    (tmp_path / "taken.csv").write_text("keep me", encoding="utf-8")
    with pytest.raises(ExportError, match="is a file"):
        export(coded.db.conn, "recal3", tmp_path / "taken.csv")
    assert (tmp_path / "taken.csv").read_text(encoding="utf-8") == "keep me"
