"""What the reasons and footnotes say: numbers as written decimals, footnotes only where they apply."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.reliability import ReliabilityInputError, agreement_report, from_matrix, krippendorff_alpha
from desktop.cli_agreement import agreement_command


@pytest.mark.parametrize(
    ("label", "text"),
    [
        (Fraction(-15, 4), "-3.75"),
        (Fraction(1, 3), "1/3"),
        (Fraction(7, 1), "7"),
        (Fraction(1, 80), "0.0125"),
        (Fraction(-1, 2), "-0.5"),
        (3, "3"),
        (2.5, "2.5"),
        ("pos", "'pos'"),
        (True, "True"),
    ],
)
def test_labels_are_shown_as_decimals_or_quoted_text(label: object, text: str) -> None:
    from archive.reliability.labels import shown  # a module new with this test: the others run without it

    assert shown(label) == text


@pytest.mark.parametrize("level", ["ordinal", "interval", "ratio"])
def test_no_variation_names_the_value_as_written(level: str) -> None:
    rows = [(f"u{u}", coder, "v", "3.75") for u in range(2) for coder in "ab"]
    reason = agreement_report(rows, level)["v"]["undefined"]["krippendorff_alpha"]  # type: ignore[arg-type]
    assert reason == "no variation: all 4 pairable values are 3.75"
    assert "Fraction" not in reason


def test_the_ratio_metric_names_a_negative_value_as_written() -> None:
    with pytest.raises(ReliabilityInputError, match=r"negative values \(-3.75\)$"):
        krippendorff_alpha(from_matrix([["-3.75", "1"], ["-3.75", "2"]]), "ratio")


def _table(tmp_path: Path, coders: str) -> str:
    path = tmp_path / "long.csv"
    rows = [f"u{u},{coder},v,{(u + (coder == 'c')) % 2}" for u in range(4) for coder in coders]
    path.write_text("unit_id,coder_id,variable,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(agreement_command, ["--from-csv", str(path), "--level", "nominal"])
    assert result.exit_code == 0
    return result.stdout


def test_the_two_coder_footnote_only_where_a_statistic_is_not_applicable(tmp_path: Path) -> None:
    assert "need exactly 2 coders" not in _table(tmp_path, "ab")
    table = _table(tmp_path, "abc")
    assert "n/a: not applicable (Cohen's kappa and Scott's pi need exactly 2 coders)." in table
    row = next(line for line in table.splitlines() if line.startswith("v "))
    assert row.split()[5:7] == ["n/a", "n/a"]
