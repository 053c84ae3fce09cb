"""Krippendorff's alpha: coincidences, the four metrics, exact arithmetic and how undefined is reported."""

from __future__ import annotations

from fractions import Fraction

import pytest

from archive.reliability import ReliabilityInputError, from_matrix, krippendorff_alpha, scott_pi
from archive.reliability.coincidence import coincidences

K2011_A = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
K2011_B = [
    ["a", "a", "b", "b", "d", "c", "c", "c", "e", "d", "d", "a"],  # Ben
    ["b", "a", "b", "b", "b", "c", "c", "c", "e", "d", "d", "d"],  # Gerry
]
K2011_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def test_k2011_a_coincidence_matrix_and_disagreements() -> None:
    data = from_matrix(K2011_A)
    co = coincidences(data)
    assert co.matrix(2) == [[10, 4], [4, 2]]
    assert co.margins == {0: 14, 1: 6}
    alpha = krippendorff_alpha(data)
    assert (alpha.details["D_o"], alpha.details["D_e"]) == (Fraction(2, 5), Fraction(42, 95))
    assert alpha.value == Fraction(2, 21)


def test_k2011_b_coincidence_matrix() -> None:
    data = from_matrix(K2011_B)
    assert coincidences(data).matrix(5) == [
        [2, 1, 0, 1, 0],
        [1, 4, 0, 1, 0],
        [0, 0, 6, 0, 0],
        [1, 1, 0, 4, 0],
        [0, 0, 0, 0, 2],
    ]
    alpha = krippendorff_alpha(data)
    assert (alpha.details["D_o"], alpha.details["D_e"]) == (Fraction(1, 4), Fraction(56, 69))
    assert alpha.value == Fraction(155, 224)


def test_two_coder_nominal_alpha_relates_to_scott_pi() -> None:
    # 1 - alpha = (1 - pi) (n - 1) / n for two coders with complete nominal data (n pairable values).
    data = from_matrix(K2011_B)
    alpha, pi = krippendorff_alpha(data).value, scott_pi(data).value
    assert 1 - alpha == (1 - pi) * Fraction(23, 24)


def test_binary_shortcut() -> None:
    # alpha = 1 - (n - 1) o_01 / (n_0 n_1)
    co = coincidences(from_matrix(K2011_A))
    assert 1 - (co.n - 1) * co.cells[(0, 1)] / (co.margins[0] * co.margins[1]) == Fraction(2, 21)


def test_a_lone_value_adds_nothing() -> None:
    with_lone = krippendorff_alpha(from_matrix(K2011_C), "interval")
    without = [row[:11] for row in K2011_C]
    assert krippendorff_alpha(from_matrix(without), "interval").value == with_lone.value == Fraction(951, 1120)


def test_ordinal_alpha_depends_on_ranks_only() -> None:
    stretched = [[None if v is None else v**3 + 10 for v in row] for row in K2011_C]
    original, transformed = from_matrix(K2011_C), from_matrix(stretched)
    assert krippendorff_alpha(transformed, "ordinal").value == Fraction(108577, 133160)
    assert krippendorff_alpha(transformed, "interval").value != krippendorff_alpha(original, "interval").value


def test_ordinal_labels_with_an_explicit_order() -> None:
    words = {1: "never", 2: "rarely", 3: "sometimes", 4: "often", 5: "always"}
    labelled = from_matrix([[None if v is None else words[v] for v in row] for row in K2011_C])
    alpha = krippendorff_alpha(labelled, "ordinal", order=list(words.values()))
    assert alpha.value == Fraction(108577, 133160)
    with pytest.raises(ReliabilityInputError, match="'often' is not in the order"):
        krippendorff_alpha(labelled, "ordinal", order=["never", "rarely", "sometimes", "always"])


def test_decimal_text_is_read_exactly() -> None:
    # Interval and ratio alpha do not change when every value is divided by 10; "0.3" must stay 3/10.
    tenths = from_matrix([[None if v is None else f"0.{v}" for v in row] for row in K2011_C])
    assert krippendorff_alpha(tenths, "interval").value == Fraction(951, 1120)
    assert krippendorff_alpha(tenths, "ratio").value == Fraction(18222619, 22852465)


def test_equal_numbers_written_differently_are_one_value_for_interval() -> None:
    data = from_matrix([["1", "2.0", "3"], [1.0, 2, "3.00"]])
    assert krippendorff_alpha(data, "interval").value == 1
    assert krippendorff_alpha(data, "nominal").value != 1  # as labels, "2.0" and 2 differ


def test_text_for_interval_and_negatives_for_ratio_are_input_errors() -> None:
    with pytest.raises(ReliabilityInputError, match="'neg' is not a number"):
        krippendorff_alpha(from_matrix([["pos", "neg"], ["pos", "pos"]]), "interval")
    with pytest.raises(ReliabilityInputError, match="negative values"):
        krippendorff_alpha(from_matrix([[-1, 2], [1, 2]]), "ratio")


def test_ratio_treats_two_zeros_as_agreement() -> None:
    data = from_matrix([[0, 0, 5], [0, 0, 5]])
    assert krippendorff_alpha(data, "ratio").value == 1


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_no_variation_is_undefined_at_every_level(level: str) -> None:
    data = from_matrix([[3, 3, 3, None], [3, 3, None, 3], [None, 3, 3, 3]])
    alpha = krippendorff_alpha(data, level)  # type: ignore[arg-type]
    assert alpha.value is None
    assert alpha.as_float() is None
    assert alpha.reason == "no variation: all 9 pairable values are 3"
    assert alpha.n_units == 4


def test_nothing_pairable_is_undefined() -> None:
    alpha = krippendorff_alpha(from_matrix([[1, None, 2], [None, 0, None]]))
    assert alpha.value is None
    assert alpha.reason == "nothing pairable: no unit was coded by two or more coders"
    assert alpha.n_units == 0


def test_binary_alpha_reports_prevalence_and_counts() -> None:
    alpha = krippendorff_alpha(from_matrix(K2011_A, coders=["A", "B"]))
    assert alpha.prevalence == Fraction(6, 20)
    counts = alpha.counts
    assert counts is not None
    assert (counts.both, counts.neither, counts.only_a, counts.only_b) == (1, 5, 1, 3)
    assert (counts.coder_a, counts.coder_b, counts.total) == ("A", "B", 10)


def test_counts_only_for_two_coders_and_prevalence_only_for_binary_codes() -> None:
    assert krippendorff_alpha(from_matrix([[0, 1, 1], [0, 1, 0], [1, 1, 0]])).counts is None
    assert krippendorff_alpha(from_matrix(K2011_B)).prevalence is None
