"""Reading the long reliability CSV: streaming, BOM, and errors that name the file, line and expectation."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.reliability import ReliabilityInputError, load_long_csv, read_long_csv


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_reads_rows_with_a_bom_and_extra_columns(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "long.csv",
        "unit_id,coder_id,variable,value,coded_at\n"
        "p1,ana,humour,1,2024-01-01\n"
        "p1,ben,humour,,2024-01-02\n"
        "\n"
        ' p2 , ana ,"stance ",pro,\n',
        encoding="utf-8-sig",
    )
    rows = list(read_long_csv(path))
    assert [(r.unit_id, r.coder_id, r.variable, r.value, r.line) for r in rows] == [
        ("p1", "ana", "humour", "1", 2),
        ("p1", "ben", "humour", None, 3),
        ("p2", "ana", "stance", "pro", 5),
    ]


def test_columns_may_come_in_any_order(tmp_path: Path) -> None:
    path = _write(tmp_path / "long.csv", "value,variable,coder_id,unit_id\n1,humour,ana,p1\n0,humour,ben,p1\n")
    assert load_long_csv(path)["humour"].matrix() == [["1"], ["0"]]


def test_reading_streams(tmp_path: Path) -> None:
    # The first rows arrive before the reader reaches a bad line further down.
    path = _write(tmp_path / "long.csv", "unit_id,coder_id,variable,value\np1,ana,v,1\np2\n")
    rows = read_long_csv(path)
    assert next(rows).unit_id == "p1"
    with pytest.raises(ReliabilityInputError, match=r"line 3: expected at least 4 fields"):
        next(rows)


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path / "long.csv", "unit_id,coder,variable,value\np1,ana,v,1\n")
    with pytest.raises(ReliabilityInputError) as caught:
        load_long_csv(path)
    assert str(caught.value) == (
        f"{path}, line 1: expected a header with the columns unit_id, coder_id, variable, value; missing: coder_id"
    )


def test_a_conflicting_duplicate_names_both_lines(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "long.csv",
        'unit_id,coder_id,variable,value\np1,ana,humour,1\np2,ana,humour,0\n"p1",ana,humour,0\n',
    )
    with pytest.raises(ReliabilityInputError) as caught:
        load_long_csv(path)
    assert str(caught.value) == (
        f"{path}, line 4: unit 'p1', coder 'ana', variable 'humour' has value '0' but line 2 gave '1'; "
        "expected one value per (unit, coder, variable)"
    )


def test_line_numbers_count_quoted_line_breaks(tmp_path: Path) -> None:
    path = _write(tmp_path / "long.csv", 'unit_id,coder_id,variable,value\np1,ana,"two\nlines",1\n,ana,v,1\n')
    with pytest.raises(ReliabilityInputError, match=r"line 4: expected a unit_id, found an empty field"):
        load_long_csv(path)


def test_not_utf8_is_reported_with_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "long.csv", "unit_id,coder_id,variable,value\np1,ana,v,caf\u00e9\n", encoding="cp1252")
    with pytest.raises(ReliabilityInputError, match=r"line 2: expected UTF-8 text"):
        load_long_csv(path)


def test_empty_and_absent_files(tmp_path: Path) -> None:
    with pytest.raises(ReliabilityInputError, match="the file is empty"):
        load_long_csv(_write(tmp_path / "empty.csv", ""))
    with pytest.raises(ReliabilityInputError, match="cannot read the file"):
        load_long_csv(tmp_path / "absent.csv")


def test_only_a_header_gives_no_tables(tmp_path: Path) -> None:
    assert load_long_csv(_write(tmp_path / "long.csv", "unit_id,coder_id,variable,value\n")) == {}
