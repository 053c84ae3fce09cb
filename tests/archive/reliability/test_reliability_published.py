"""Every published example in reliability_vectors.json reproduces, to the published decimals and exactly."""

from __future__ import annotations

import json
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from archive.reliability import (
    AgreementResult,
    all_agree,
    brennan_prediger,
    coder_pairs,
    cohen_kappa,
    fleiss_kappa,
    from_matrix,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)
from archive.reliability.coincidence import coincidences

# A copy of /work/shared/reference/reliability_vectors.json, kept with the tests so they run anywhere.
VECTORS = json.loads((Path(__file__).parent / "data" / "reliability_vectors.json").read_text("utf-8"))["vectors"]
BY_ID = {vector["id"]: vector for vector in VECTORS}


def _compute(statistic: str, vector: dict[str, Any], expected: dict[str, Any]) -> AgreementResult:
    data = from_matrix(vector["data"], coders=vector.get("coders"))
    if statistic == "krippendorff_alpha":
        return krippendorff_alpha(data, expected["metric"].split()[0])
    if statistic == "alpha_expected_agreement":  # 1 - D_e, ATLAS.ti's "chance agreement"
        alpha = krippendorff_alpha(data, "nominal")
        d_e = alpha.details["D_e"]
        return AgreementResult(statistic, "1 - D_e", 1 - Fraction(d_e), alpha.n_units)
    functions = {
        "percent_agreement": percent_agreement,
        "percent_agreement_gwet": percent_agreement,
        "cohen_kappa": cohen_kappa,
        "scott_pi": scott_pi,
        "fleiss_kappa": fleiss_kappa,
        "gwet_ac1": gwet_ac1,
        "brennan_prediger": brennan_prediger,
    }
    if statistic not in functions:
        pytest.fail(f"the vectors hold a statistic this test does not know: {statistic}")
    return functions[statistic](data)


CASES = [
    pytest.param(vector, expected, id=f"{vector['id']}-{expected['statistic']}-{expected.get('metric', '')}")
    for vector in VECTORS
    if "data" in vector
    for expected in vector["results"]
]


@pytest.mark.parametrize(("vector", "expected"), CASES)
def test_published_value_reproduces(vector: dict[str, Any], expected: dict[str, Any]) -> None:
    result = _compute(expected["statistic"], vector, expected)
    assert result.value is not None, result.reason
    if expected["decimals"] is not None:
        assert round(float(result.value), expected["decimals"]) == pytest.approx(expected["expected"])
    assert result.value == Fraction(expected["exact"])
    assert float(result.value) == pytest.approx(expected["exact_float"], abs=1e-10)


def test_every_vector_with_data_is_exercised() -> None:
    # The edge cases are checked below; every other vector must contribute at least one case above.
    with_data = {vector["id"] for vector in VECTORS if "data" in vector}
    assert with_data | {"EDGE_CASES"} == {vector["id"] for vector in VECTORS}
    assert {case.values[0]["id"] for case in CASES} == with_data


EDGES = BY_ID["EDGE_CASES"]["cases"]


@pytest.mark.parametrize("case", EDGES, ids=[case["name"] for case in EDGES])
def test_edge_case(case: dict[str, Any]) -> None:
    data = from_matrix(case["data"])
    alpha = krippendorff_alpha(data, "nominal")
    if case["krippendorff_alpha"] is None:
        assert alpha.value is None
        assert alpha.reason
    else:
        assert alpha.value == Fraction(case["krippendorff_alpha"])
    if "percent_agreement" in case:
        assert percent_agreement(data).value == Fraction(case["percent_agreement"])


def test_undefined_alpha_says_why() -> None:
    never_used, only_one_pair = (from_matrix(case["data"]) for case in (EDGES[0], EDGES[3]))
    assert krippendorff_alpha(never_used).reason == "no variation: all 8 pairable values are 0"
    assert krippendorff_alpha(only_one_pair).reason == "no variation: all 2 pairable values are 1"
    assert krippendorff_alpha(from_matrix([[1, None], [None, 0]])).reason.startswith("nothing pairable")


def test_k2011_c_intermediate_values() -> None:
    vector = BY_ID["K2011_C_4coders_missing"]
    intermediate = vector["intermediate"]
    data = from_matrix(vector["data"])
    assert list(data.values) == intermediate["values"]
    co = coincidences(data)
    assert co.matrix(5) == [[Fraction(cell) for cell in row] for row in intermediate["coincidence_matrix"]]
    assert list(co.margins.values()) == intermediate["n_c"]
    assert co.n == intermediate["n_pairable_values"]
    alpha = krippendorff_alpha(data, "nominal")
    assert alpha.details["D_o"] == Fraction(intermediate["nominal_Do"])
    assert alpha.details["D_e"] == Fraction(intermediate["nominal_De"])


def test_k2011_c_all_four_metrics_as_published() -> None:
    data = from_matrix(BY_ID["K2011_C_4coders_missing"]["data"])
    published = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}
    for level, value in published.items():
        alpha = krippendorff_alpha(data, level)  # type: ignore[arg-type]
        assert round(float(alpha.value), 3) == value, level
        assert alpha.n_units == 11  # unit 12 holds a lone value and is unpairable
        assert alpha.details["n_pairable_values"] == 40


def test_k2011_c_pairwise_percent_agreement_is_9_11() -> None:
    data = from_matrix(BY_ID["K2011_C_4coders_missing"]["data"])
    assert percent_agreement(data).value == Fraction(9, 11)
    assert all_agree(data).value == Fraction(8, 11)  # units 1, 3, 4, 5, 7, 9, 10, 11


@pytest.mark.parametrize("vector_id", ["FLEISS1971_30x6", "WIKIPEDIA_FLEISS_10x14"])
def test_fleiss_data_match_the_published_count_tables(vector_id: str) -> None:
    vector = BY_ID[vector_id]
    categories = len(vector["counts_units_x_categories"][0])
    per_unit = [Counter(column) for column in zip(*vector["data"], strict=True)]
    table = [[counts[c] for c in range(1, categories + 1)] for counts in per_unit]
    assert table == vector["counts_units_x_categories"]


def test_cohen_1960_data_match_the_published_table() -> None:
    vector = BY_ID["COHEN1960_3x3"]
    pairs = Counter(zip(*vector["data"], strict=True))
    assert [[pairs[(a, b)] for b in range(3)] for a in range(3)] == vector["table"]


@pytest.mark.parametrize("vector_id", ["K2011_A_binary_2coders", "K2011_B_nominal_2coders", "COHEN1960_3x3"])
def test_percent_agreement_definitions_coincide_for_two_coders_with_complete_data(vector_id: str) -> None:
    data = from_matrix(BY_ID[vector_id]["data"])
    assert percent_agreement(data).value == all_agree(data).value == coder_pairs(data).value
