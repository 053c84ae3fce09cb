"""agreement_report: every statistic per variable, null with a reason where undefined or not applicable."""

from __future__ import annotations

import json

import pytest

from archive.reliability import agreement_report
from archive.reliability.data import LongRow

K2011_A = {"A": [0, 1, 0, 0, 0, 0, 0, 0, 1, 0], "B": [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]}
K2011_C = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}


def _long(variable: str, by_coder: dict[str, list[object]]) -> list[LongRow]:
    return [
        (f"post{u + 1}", coder, variable, None if value is None else str(value))
        for coder, values in by_coder.items()
        for u, value in enumerate(values)
    ]


def test_two_coder_binary_code() -> None:
    entry = agreement_report(_long("irony", K2011_A), "nominal")["irony"]
    assert entry["krippendorff_alpha"] == pytest.approx(2 / 21)
    assert entry["cohen_kappa"] == pytest.approx(1 / 11)
    assert entry["scott_pi"] == pytest.approx(1 / 21)
    assert entry["fleiss_kappa"] == pytest.approx(1 / 21)
    assert entry["gwet_ac1"] == pytest.approx(9 / 29)
    assert entry["brennan_prediger"] == pytest.approx(0.2)
    assert entry["percent_agreement"] == pytest.approx(0.6)
    assert (entry["n_units"], entry["n_units_pairable"], entry["n_coders"], entry["n_pairable_values"]) == (
        10,
        10,
        2,
        20,
    )
    assert entry["prevalence"] == pytest.approx(0.3)
    assert entry["counts"] == {"coder_a": "A", "coder_b": "B", "both": 1, "neither": 5, "only_a": 1, "only_b": 3}
    assert entry["undefined"] == {}
    assert "Krippendorff's alpha, nominal metric" in entry["definitions"]["krippendorff_alpha"]
    assert "cohen_kappa_linear" not in entry  # weighted kappa only for ordered levels


def test_four_coders_with_missing_data() -> None:
    entry = agreement_report(_long("severity", K2011_C), "ordinal")["severity"]
    assert entry["krippendorff_alpha"] == pytest.approx(108577 / 133160)
    assert entry["cohen_kappa"] is None
    assert entry["scott_pi"] is None
    assert entry["undefined"]["cohen_kappa"].startswith("not applicable")
    assert entry["cohen_kappa_linear"] is None
    assert entry["brennan_prediger"] == pytest.approx(17 / 22)
    assert entry["percent_agreement"] == pytest.approx(9 / 11)
    assert entry["counts"] is None
    assert (entry["n_units"], entry["n_units_pairable"], entry["n_pairable_values"]) == (12, 11, 40)


def test_each_variable_gets_its_own_entry_and_undefined_is_null() -> None:
    rows = _long("irony", K2011_A) + _long("spam", {"A": [0] * 10, "B": [0] * 10})
    report = agreement_report(rows, "nominal")
    assert list(report) == ["irony", "spam"]
    spam = report["spam"]
    assert spam["krippendorff_alpha"] is None
    assert spam["undefined"]["krippendorff_alpha"] == "no variation: all 20 pairable values are '0'"
    assert spam["percent_agreement"] == 1.0
    assert spam["prevalence"] == 0.0


def test_text_values_at_interval_level_leave_alpha_undefined_for_that_variable_only() -> None:
    rows = _long("stance", {"A": ["pro", "anti", "pro"], "B": ["pro", "anti", "anti"]}) + _long("irony", K2011_A)
    report = agreement_report(rows, "interval")
    assert report["stance"]["krippendorff_alpha"] is None
    assert "needs numeric values" in report["stance"]["undefined"]["krippendorff_alpha"]
    assert report["stance"]["cohen_kappa"] is not None
    assert report["irony"]["krippendorff_alpha"] == pytest.approx(2 / 21)


def test_bootstrapped_alpha_is_an_object_with_its_interval_and_seed() -> None:
    rows = _long("severity", K2011_C)
    report = agreement_report(rows, "interval", bootstrap=400, seed=12)
    alpha = report["severity"]["krippendorff_alpha"]
    assert alpha["value"] == pytest.approx(951 / 1120)
    assert alpha["ci_low"] < alpha["value"] < alpha["ci_high"]
    assert set(alpha) >= {"ci_level", "q_below_0.800", "q_below_0.667", "resamples", "seed", "method"}
    assert (alpha["resamples"], alpha["seed"]) == (400, 12)
    assert agreement_report(rows, "interval", bootstrap=400, seed=12) == report
    unseeded = agreement_report(rows, "interval", bootstrap=50)["severity"]["krippendorff_alpha"]
    assert isinstance(unseeded["seed"], int)
    json.dumps(report)  # plain JSON types only


def test_report_progress_covers_all_variables() -> None:
    rows = _long("irony", K2011_A) + _long("severity", K2011_C)
    seen: list[tuple[int, int]] = []
    agreement_report(rows, "nominal", bootstrap=100, seed=1, progress=lambda d, t: seen.append((d, t)) or True)
    assert seen[-1] == (200, 200)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_codebook_categories_per_variable() -> None:
    rows = _long("irony", K2011_A)
    entry = agreement_report(rows, "nominal", categories={"irony": 4})["irony"]
    assert entry["brennan_prediger"] == pytest.approx((0.6 - 0.25) / 0.75)
    assert "q = 4 codebook categories" in entry["definitions"]["gwet_ac1"]
