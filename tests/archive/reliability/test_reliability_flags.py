"""Values that rest on no paired variation are flagged, and units coded by one coder cannot create variation."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from archive.reliability import agreement_report, brennan_prediger, fleiss_kappa, from_matrix, gwet_ac1
from desktop.cli_agreement import agreement_command

# The finding: u1-u3 both coders "1"; u4 only coder a, "2". The one "2" was never paired with anything.
LONE_VARIATION = [
    ("u1", "a", "v", "1"),
    ("u1", "b", "v", "1"),
    ("u2", "a", "v", "1"),
    ("u2", "b", "v", "1"),
    ("u3", "a", "v", "1"),
    ("u3", "b", "v", "1"),
    ("u4", "a", "v", "2"),
]


def _run(tmp_path: Path, *args: str) -> str:
    path = tmp_path / "long.csv"
    lines = ["unit_id,coder_id,variable,value", *(",".join(row) for row in LONE_VARIATION)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(agreement_command, ["--from-csv", str(path), "--level", "nominal", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_a_value_no_one_paired_creates_no_variation() -> None:
    entry = agreement_report(LONE_VARIATION, "nominal")["v"]
    for statistic in ("krippendorff_alpha", "fleiss_kappa", "gwet_ac1", "brennan_prediger"):
        assert entry[statistic] is None, statistic
        assert entry["undefined"][statistic].startswith("no variation"), statistic


def test_gwets_rule_is_still_there_by_name() -> None:
    data = from_matrix([["1", "1", "1", "2"], ["1", "1", "1", None]])
    assert fleiss_kappa(data, missing="gwet").value == 1  # pi_k counts the lone "2", as irrCAC does
    assert gwet_ac1(data, missing="gwet").value == 1
    assert brennan_prediger(data, missing="gwet").value == 1
    assert fleiss_kappa(data).value is None


def test_codebook_q_values_without_paired_variation_are_flagged_in_json_and_table(tmp_path: Path) -> None:
    entry = json.loads(_run(tmp_path, "--categories", "v=2", "--json"))["variables"]["v"]
    assert entry["gwet_ac1"] == entry["brennan_prediger"] == entry["percent_agreement"] == 1.0
    flagged = {
        "gwet_ac1",
        "brennan_prediger",
        "percent_agreement",
        "percent_agreement_all_agree",
        "percent_agreement_coder_pairs",
    }
    assert set(entry["flags"]) == flagged
    assert entry["flags"]["gwet_ac1"] == "rests on no paired variation: every value in units coded by 2+ coders is '1'"
    table = _run(tmp_path, "--categories", "v=2")
    row = next(line for line in table.splitlines() if line.startswith("v "))
    assert row.split()[-3:] == ["1.000*", "1.000*", "1.000*"]  # AC1, BP, %agree
    assert "* Rests on no paired variation" in table
    assert "  v: AC1, BP, %agree: every value in units coded by 2+ coders is '1'" in table


def test_a_variable_with_paired_variation_has_no_flags() -> None:
    rows = [("u1", "a", "v", "1"), ("u1", "b", "v", "2"), ("u2", "a", "v", "1"), ("u2", "b", "v", "1")]
    assert agreement_report(rows, "nominal")["v"]["flags"] == {}
