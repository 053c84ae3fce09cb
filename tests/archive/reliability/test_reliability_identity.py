"""Which labels are one value: numbers at the numeric levels, labels as written at the nominal level."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.reliability import ReliabilityInputError, agreement_report, from_long, load_long_csv
from archive.reliability.data import LongRow
from archive.reliability.values import binary_labels

STATISTICS = (
    "krippendorff_alpha",
    "cohen_kappa",
    "cohen_kappa_linear",
    "cohen_kappa_quadratic",
    "scott_pi",
    "fleiss_kappa",
    "gwet_ac1",
    "brennan_prediger",
    "percent_agreement",
    "percent_agreement_all_agree",
    "percent_agreement_coder_pairs",
)


def _rows(*units: tuple[str, str]) -> list[LongRow]:
    return [
        (f"u{n}", coder, "v", value)
        for n, pair in enumerate(units, start=1)
        for coder, value in zip("ab", pair, strict=True)
    ]


# pandas writes 2.0 where R writes 2: coder a's "1.0" and b's "1" are the same code.
WRITTEN_TWO_WAYS = _rows(("1.0", "1"), ("2", "2"), ("1", "1"))


@pytest.mark.parametrize("level", ["ordinal", "interval", "ratio"])
def test_numbers_written_two_ways_are_one_value_for_every_statistic(level: str) -> None:
    entry = agreement_report(WRITTEN_TWO_WAYS, level)["v"]  # type: ignore[arg-type]
    for statistic in STATISTICS:
        assert entry[statistic] == 1.0, statistic
    assert entry["undefined"] == {}


def test_a_present_code_written_two_ways_counts_once() -> None:
    entry = agreement_report(_rows(("1.0", "1"), ("0", "0"), ("1", "1")), "interval")["v"]
    assert entry["counts"] == {"coder_a": "a", "coder_b": "b", "both": 2, "neither": 1, "only_a": 0, "only_b": 0}
    assert entry["prevalence"] == pytest.approx(2 / 3)


def test_nominal_labels_stay_as_written_and_the_report_says_so() -> None:
    entry = agreement_report(WRITTEN_TWO_WAYS, "nominal")["v"]
    assert entry["krippendorff_alpha"] < 1 and entry["cohen_kappa"] == 0.5  # '1.0' and '1' are two codes
    assert any("'1' and '1.0'" in warning and "--level" in warning for warning in entry["warnings"])
    # '1' and '1.0' are different values here, so the variable is not a clean present/absent code.
    assert entry["counts"] is None and entry["prevalence"] is None


def test_a_nominal_variable_without_twins_has_no_warning() -> None:
    assert agreement_report(_rows(("1", "1"), ("2", "1")), "nominal")["v"]["warnings"] == []


def test_binary_labels_need_two_distinct_numbers() -> None:
    assert binary_labels(from_long(_rows(("0", "1")))["v"])
    assert not binary_labels(from_long(_rows(("0", "1"), ("1.0", "0")))["v"])


def test_a_cell_repeated_as_2_and_2_0_is_one_value_at_numeric_levels(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("unit_id,coder_id,variable,value\nu1,a,v,2\nu1,a,v,2.0\nu1,b,v,3\n", encoding="utf-8")
    table = load_long_csv(path, level="interval")["v"]
    assert table.matrix() == [["2"], ["3"]]
    with pytest.raises(ReliabilityInputError, match=r"line 3: unit 'u1', coder 'a', variable 'v' has value '2\.0'"):
        load_long_csv(path, level="nominal")


def test_from_long_merges_numbers_only_when_asked() -> None:
    rows = _rows(("2", "2.0"))
    assert len(from_long(rows)["v"].values) == 2
    assert len(from_long(rows, numeric_identity=True)["v"].values) == 1
