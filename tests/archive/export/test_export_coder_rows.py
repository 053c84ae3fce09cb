"""Long (with completion), by unit and coder, and code sets: read back with the csv module and compared with
the store; UTF-8 with an optional BOM; ids stay text; missing is the chosen token, never 0."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from archive.export import ExportError, ExportOptions, export
from tests.archive.agreement.projects import Study
from tests.archive.export.conftest import read_rows, store_values


def test_long_holds_every_completed_value_and_nothing_else(coded: Study, tmp_path: Path) -> None:
    result = export(coded.db.conn, "long", tmp_path / "long.csv")
    assert [f.name for f in result.files] == ["long.csv", "long_coder_units.csv"]
    rows = read_rows(tmp_path / "long.csv")
    assert list(rows[0]) == ["unit_id", "coder_id", "variable", "value", "codebook_version", "completed_at"]
    written = {(r["unit_id"], r["coder_id"], r["variable"]): r["value"] for r in rows}
    assert written == store_values(coded.db.conn)
    assert len(written) == len(rows)  # one row per cell
    assert ("twitter:5", "ana", "Irony") not in written  # in progress is not a value
    assert written[("twitter:1", "ana", "Disclosure")] == "1"  # a span counts as present
    assert written[("twitter:3", "ana", "Stance")] == "<none>"
    assert result.rows == len(rows) + len(read_rows(tmp_path / "long_coder_units.csv"))


def test_completion_tells_missing_from_absent(coded: Study, tmp_path: Path) -> None:
    export(coded.db.conn, "long", tmp_path / "long.csv")
    status = {(r["unit_id"], r["coder_id"]): r["status"] for r in read_rows(tmp_path / "long_coder_units.csv")}
    assert status[("twitter:3", "ana")] == "coded, no code applies"
    assert status[("twitter:5", "cy")] == "not coded"
    assert status[("twitter:5", "ana")] == "in progress"
    assert status[("twitter:4", "cy")] == "in progress"
    assert status[("twitter:1", "bo")] == "coded"
    assert len(status) == 5 * 3  # every post with completed work x every coder


def test_by_unit_coder_has_a_column_per_code_and_variable(coded: Study, tmp_path: Path) -> None:
    export(coded.db.conn, "by_unit_coder", tmp_path / "wide.csv")
    rows = read_rows(tmp_path / "wide.csv")
    assert list(rows[0]) == ["unit_id", "coder_id", "Male survivor", "Irony", "Stance", "Disclosure"]
    values = store_values(coded.db.conn)
    for row in rows:
        for name in ("Male survivor", "Irony", "Stance", "Disclosure"):
            assert row[name] == values[(row["unit_id"], row["coder_id"], name)]
    assert len(rows) == len({(p, c) for p, c, _ in values})


def test_code_sets_list_applied_codes_and_none(coded: Study, tmp_path: Path) -> None:
    export(coded.db.conn, "code_sets", tmp_path / "sets.csv")
    rows = read_rows(tmp_path / "sets.csv")
    sets: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        sets.setdefault((row["unit_id"], row["coder_id"]), set()).add(row["code"])
    assert sets[("twitter:1", "ana")] == {"Male survivor", "Supportive", "Disclosure"}
    assert sets[("twitter:3", "ana")] == {"<none>"}
    stored = coded.db.conn.execute(
        "SELECT count(*) FROM codings c JOIN coder_status s ON s.post_id = c.post_id AND s.coder_id = c.coder_id"
    ).fetchone()[0]
    assert sum(1 for r in rows if r["code"] != "<none>") == stored


def test_utf8_with_an_optional_bom(coded: Study, tmp_path: Path) -> None:
    export(coded.db.conn, "long", tmp_path / "plain.csv")
    export(coded.db.conn, "long", tmp_path / "excel.csv", ExportOptions(bom=True))
    assert not (tmp_path / "plain.csv").read_bytes().startswith(codecs.BOM_UTF8)
    assert (tmp_path / "excel.csv").read_bytes().startswith(codecs.BOM_UTF8)
    assert read_rows(tmp_path / "plain.csv") == read_rows(tmp_path / "excel.csv")


@pytest.mark.parametrize("token", ["", "NA", ".", "#"])
def test_the_missing_token_is_the_one_chosen(coded: Study, tmp_path: Path, token: str) -> None:
    path = tmp_path / "irony.csv"
    export(coded.db.conn, "units_x_coders", path, ExportOptions(variable="Irony", missing=token))
    rows = {r["unit_id"]: r for r in read_rows(path)}
    assert rows["twitter:4"]["cy"] == token  # cy has not completed post 4
    assert rows["twitter:3"]["cy"] == "0"  # cy completed it without Irony: absent, not missing


def test_zero_or_a_number_cannot_mark_missing(coded: Study, tmp_path: Path) -> None:
    for token in ("0", "-99", "none"):
        with pytest.raises(ExportError, match="cannot mark missing values"):
            export(coded.db.conn, "long", tmp_path / "x.csv", ExportOptions(missing=token))
    assert not (tmp_path / "x.csv").exists()


def test_ids_stay_text(coded: Study, tmp_path: Path) -> None:
    export(coded.db.conn, "long", tmp_path / "long.csv")
    ids = {r["unit_id"] for r in read_rows(tmp_path / "long.csv")}
    assert ids == {f"twitter:{n}" for n in range(1, 6)}  # never a bare number a spreadsheet could round


def test_filters_choose_a_sample_and_a_minimum_of_coders(coded: Study, tmp_path: Path) -> None:
    export(coded.db.conn, "by_unit_coder", tmp_path / "pilot.csv", ExportOptions(sample="pilot"))
    assert {r["unit_id"] for r in read_rows(tmp_path / "pilot.csv")} == {"twitter:1", "twitter:2"}
    export(coded.db.conn, "by_unit_coder", tmp_path / "triple.csv", ExportOptions(min_coders=3))
    assert {r["unit_id"] for r in read_rows(tmp_path / "triple.csv")} == {"twitter:1", "twitter:2", "twitter:3"}


def test_long_quotes_exactly_as_the_csv_module(coded: Study, tmp_path: Path) -> None:
    import csv
    import io

    from archive.coding.codebook_edit import CodeDraft, add_code

    code = add_code(coded.db, coded.coders["ana"].id, CodeDraft('Sarcasm, "dry"'))
    coded.codes[code.name] = code
    coded.code("cy", 4, code.name)
    export(coded.db.conn, "long", tmp_path / "long.csv")
    rows = read_rows(tmp_path / "long.csv", header=False)
    assert ["twitter:4", "cy", 'Sarcasm, "dry"', "1"] in [row[:4] for row in rows]
    expected = io.StringIO()
    csv.writer(expected).writerows(rows)
    assert (tmp_path / "long.csv").read_bytes() == expected.getvalue().encode()
    assert {(r[0], r[1], r[2]): r[3] for r in rows[1:]} == store_values(coded.db.conn)
