"""What a long CSV's NA means: missing at the numeric levels (R writes it), a warned-about category at nominal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.reliability import agreement_report, load_long_csv
from desktop.cli_agreement import agreement_command

HEADER = "unit_id,coder_id,variable,value\n"


def _csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "long.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(agreement_command, list(args))
    return result.exit_code, result.stdout, result.stderr


# As R's write.csv writes it: u3 was not coded by b.
R_WRITTEN = ["u1,a,v,1", "u1,b,v,1", "u2,a,v,2", "u2,b,v,2", "u3,a,v,3", "u3,b,v,NA", "u4,a,v,3", "u4,b,v,3"]


def test_the_default_tokens_depend_on_the_level() -> None:
    from archive.reliability.csv_long import missing_tokens  # new with this test: the others run without it

    assert missing_tokens("interval") == missing_tokens("ratio") == missing_tokens("ordinal") == {"NA"}
    assert missing_tokens("nominal") == missing_tokens(None) == frozenset()
    assert missing_tokens("nominal", ["NA", " . "]) == {"NA", "."}
    assert missing_tokens("interval", [""]) == frozenset()  # only blanks


@pytest.mark.parametrize("level", ["ordinal", "interval", "ratio"])
def test_na_is_missing_at_numeric_levels(tmp_path: Path, level: str) -> None:
    table = load_long_csv(_csv(tmp_path, R_WRITTEN), level=level)["v"]  # type: ignore[arg-type]
    assert table.matrix()[1] == ["1", "2", None, "3"]
    code, out, _ = _run("--from-csv", str(tmp_path / "long.csv"), "--level", level, "--json")
    assert code == 0
    entry = json.loads(out)["variables"]["v"]
    assert (entry["n_units_pairable"], entry["krippendorff_alpha"]) == (3, 1.0)


def test_na_is_a_category_at_nominal_with_a_warning(tmp_path: Path) -> None:
    path = _csv(tmp_path, R_WRITTEN)
    code, out, _ = _run("--from-csv", str(path), "--level", "nominal", "--json")
    assert code == 0
    entry = json.loads(out)["variables"]["v"]
    assert entry["n_units_pairable"] == 4
    assert any("'NA'" in warning and "--missing NA" in warning for warning in entry["warnings"])
    code, table, _ = _run("--from-csv", str(path), "--level", "nominal")
    assert "Warnings:" in table and "--missing NA" in table


def test_missing_chooses_the_tokens(tmp_path: Path) -> None:
    path = _csv(tmp_path, [*R_WRITTEN, "u5,a,v,.", "u5,b,v,3"])
    code, out, _ = _run("--from-csv", str(path), "--level", "nominal", "--missing", "NA", "--missing", ".", "--json")
    assert code == 0
    entry = json.loads(out)["variables"]["v"]
    assert (entry["n_units"], entry["n_units_pairable"], entry["warnings"]) == (5, 3, [])
    # A chosen token replaces the default: with only "." chosen, NA is text, which interval cannot use.
    code, out, _ = _run("--from-csv", str(path), "--level", "interval", "--missing", ".", "--json")
    entry = json.loads(out)["variables"]["v"]
    assert "'NA' is not a number" in entry["undefined"]["krippendorff_alpha"]


def test_the_api_reads_long_rows_with_the_same_rule() -> None:
    rows = [("u1", "a", "v", "1"), ("u1", "b", "v", "NA"), ("u2", "a", "v", "2"), ("u2", "b", "v", "2")]
    assert agreement_report(rows, "nominal")["v"]["n_units_pairable"] == 2
    assert any("'NA'" in warning for warning in agreement_report(rows, "nominal")["v"]["warnings"])


def test_numbers_written_two_ways_on_the_command_line(tmp_path: Path) -> None:
    # The finding as reported: a=1 b=1.0; 2,2; 1,1 at --level interval gave alpha 1.000 but kappa 0.500.
    path = _csv(tmp_path, ["u1,a,v,1", "u1,b,v,1.0", "u2,a,v,2", "u2,b,v,2", "u3,a,v,1", "u3,b,v,1"])
    code, out, _ = _run("--from-csv", str(path), "--level", "interval", "--json")
    assert code == 0
    entry = json.loads(out)["variables"]["v"]
    assert entry["krippendorff_alpha"] == entry["cohen_kappa"] == entry["percent_agreement"] == 1.0


def test_nan_in_long_rows_is_missing_as_pandas_means_it() -> None:
    # Rows taken from a pandas frame carry float NaN where a cell is empty; each NaN is a new object.
    rows = [
        ("u1", "a", "v", "1"),
        ("u1", "b", "v", float("nan")),
        ("u2", "a", "v", float("nan")),
        ("u2", "b", "v", "2"),
        ("u3", "a", "v", "2"),
        ("u3", "b", "v", "2"),
    ]
    entry = agreement_report(rows, "nominal")["v"]
    assert (entry["n_units_pairable"], entry["n_pairable_values"]) == (1, 2)
