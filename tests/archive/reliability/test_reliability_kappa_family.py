"""Cohen, Scott, Fleiss, Gwet's AC1, Brennan-Prediger and percent agreement: definitions and edge cases."""

from __future__ import annotations

from fractions import Fraction

import pytest

from archive.reliability import (
    ReliabilityInputError,
    all_agree,
    brennan_prediger,
    coder_pairs,
    cohen_kappa,
    fleiss_kappa,
    from_matrix,
    gwet_ac1,
    percent_agreement,
    scott_pi,
)

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
# Worked by hand: pairs (1,1) (2,3) (3,3) (1,2); A's shares 1/2 1/4 1/4, B's 1/4 1/4 1/2.
SMALL = [[1, 2, 3, 1], [1, 3, 3, 2]]


def test_cohen_kappa_unweighted_and_weighted_by_hand() -> None:
    data = from_matrix(SMALL)
    assert cohen_kappa(data).value == Fraction(3, 11)  # p_o 1/2, p_e 5/16
    assert cohen_kappa(data, "linear").value == Fraction(1, 2)  # p_o 3/4, p_e 1/2
    assert cohen_kappa(data, "quadratic").value == Fraction(9, 13)  # p_o 7/8, p_e 19/32


def test_weighted_kappa_uses_category_ranks_not_code_values() -> None:
    # As in R irr kappa2 and scikit-learn: the weights index the sorted categories.
    spread = from_matrix([[{1: 1, 2: 2, 3: 10}[v] for v in row] for row in SMALL])
    assert cohen_kappa(spread, "linear").value == Fraction(1, 2)
    assert cohen_kappa(spread, "quadratic").value == Fraction(9, 13)


def test_weighted_kappa_needs_ordered_codes() -> None:
    with pytest.raises(ReliabilityInputError, match="not a number"):
        cohen_kappa(from_matrix(K2011_B), "linear")
    order = ["a", "b", "c", "d", "e"]
    assert cohen_kappa(from_matrix(K2011_B), "linear", order=order).value is not None


def test_cohen_uses_only_units_both_coders_coded() -> None:
    data = from_matrix([[0, 1, 1, None, 0], [0, 1, 0, 1, None]])
    kappa = cohen_kappa(data)
    assert kappa.n_units == 3
    assert kappa.value == cohen_kappa(from_matrix([[0, 1, 1], [0, 1, 0]])).value


@pytest.mark.parametrize("statistic", [cohen_kappa, scott_pi])
def test_two_coder_statistics_do_not_apply_to_three_coders(statistic: object) -> None:
    result = statistic(from_matrix([[0, 1], [0, 1], [1, 1]]))  # type: ignore[operator]
    assert result.value is None
    assert result.reason.startswith("not applicable")
    assert "3" in result.reason


def test_two_coder_statistics_without_common_units() -> None:
    data = from_matrix([[0, None], [None, 1]])
    assert cohen_kappa(data).reason == scott_pi(data).reason == "nothing to compare: no unit was coded by both coders"


def test_kappa_with_one_shared_value_is_undefined_not_one() -> None:
    data = from_matrix([[1, 1, 1], [1, 1, 1]])
    for result in (cohen_kappa(data), scott_pi(data), fleiss_kappa(data)):
        assert result.value is None
        assert result.reason.startswith("no variation")


def test_fleiss_equals_scott_for_two_coders() -> None:
    data = from_matrix(K2011_B)
    assert fleiss_kappa(data).value == scott_pi(data).value == Fraction(19, 28)


def test_fleiss_missing_data_rules_differ_and_are_named() -> None:
    data = from_matrix(K2011_C)
    gwet, listwise = fleiss_kappa(data, missing="gwet"), fleiss_kappa(data, missing="listwise")
    complete = from_matrix([row[1:9] for row in K2011_C])  # units 2-9 are the ones every coder coded
    assert listwise.value == fleiss_kappa(complete).value
    assert listwise.n_units == 8
    assert gwet.value != listwise.value
    assert "Gwet's missing-data generalisation" in gwet.definition
    assert "listwise" in listwise.definition


def test_fleiss_listwise_with_no_complete_unit() -> None:
    result = fleiss_kappa(from_matrix([[0, None], [None, 1], [1, 0]]), missing="listwise")
    assert result.value is None
    assert "listwise" in result.reason


def test_codebook_categories_change_ac1_and_brennan_prediger() -> None:
    never_used = from_matrix([[0, 0, 0], [0, 0, 0]])
    assert gwet_ac1(never_used).value is None  # one observed category: q = 1
    assert gwet_ac1(never_used, categories=2).value == 1
    assert brennan_prediger(never_used, categories=2).value == 1
    assert "q = 2 codebook categories" in gwet_ac1(never_used, categories=2).definition
    k2011_b = from_matrix(K2011_B)
    assert brennan_prediger(k2011_b, categories=10).value == (Fraction(3, 4) - Fraction(1, 10)) / Fraction(9, 10)


def test_fewer_codebook_categories_than_observed_values_is_an_error() -> None:
    with pytest.raises(ReliabilityInputError, match="2 categories given but 5 values occur"):
        gwet_ac1(from_matrix(K2011_B), categories=2)


def test_brennan_prediger_uses_gwets_pairwise_agreement_for_many_coders() -> None:
    data = from_matrix(K2011_C)
    assert brennan_prediger(data).value == (Fraction(9, 11) - Fraction(1, 5)) / Fraction(4, 5)


def test_percent_agreement_definitions_differ_with_three_coders() -> None:
    # Unit 1: all agree. Unit 2: 1 of 3 pairs agree. Unit 3: coder 3 missing, the pair agrees.
    data = from_matrix([[1, 1, 2], [1, 1, 2], [1, 2, None]])
    assert percent_agreement(data).value == (1 + Fraction(1, 3) + 1) / 3
    assert all_agree(data).value == Fraction(2, 3)
    # Pairs (1,2): 3/3; (1,3): 1/2; (2,3): 1/2.
    assert coder_pairs(data).value == (1 + Fraction(1, 2) + Fraction(1, 2)) / 3
    names = {percent_agreement(data).definition, all_agree(data).definition, coder_pairs(data).definition}
    assert len(names) == 3


def test_percent_agreement_without_pairable_units_is_undefined() -> None:
    data = from_matrix([[1, None], [None, 2]])
    for result in (percent_agreement(data), all_agree(data), coder_pairs(data)):
        assert result.value is None
        assert result.reason


def test_cohen_reports_binary_counts() -> None:
    kappa = cohen_kappa(from_matrix([[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]))
    assert kappa.counts is not None
    assert (kappa.counts.both, kappa.counts.neither, kappa.counts.only_a, kappa.counts.only_b) == (1, 5, 1, 3)
    assert kappa.details["p_a"] == Fraction(3, 5)
