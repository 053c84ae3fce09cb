"""Properties every agreement statistic must have, checked on generated reliability data (hypothesis)."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.reliability import (
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
from archive.reliability.metrics import prepare
from archive.reliability.resample_model import AlphaModel

LEVELS = ["nominal", "ordinal", "interval", "ratio"]
COINCIDENCE_FREE = [fleiss_kappa, gwet_ac1, brennan_prediger, percent_agreement, all_agree, coder_pairs]
Matrix = list[list[int | None]]


@st.composite
def reliability_matrices(draw: st.DrawFn, coders: tuple[int, int] = (2, 5), values: int = 4) -> Matrix:
    """Coders x units with codes 1..values and some missing cells."""
    n_coders = draw(st.integers(*coders))
    n_units = draw(st.integers(1, 25))
    cell = st.one_of(st.none(), st.integers(1, values))
    return [draw(st.lists(cell, min_size=n_units, max_size=n_units)) for _ in range(n_coders)]


def _all_statistics(matrix: Matrix) -> list[Fraction | None]:
    data = from_matrix(matrix)
    values = [krippendorff_alpha(data, level).value for level in LEVELS]  # type: ignore[arg-type]
    values += [statistic(data).value for statistic in COINCIDENCE_FREE]
    if len(matrix) == 2:
        values += [cohen_kappa(data).value, scott_pi(data).value]
        values += [cohen_kappa(data, "linear").value, cohen_kappa(data, "quadratic").value]
    return values


@settings(max_examples=150, deadline=None)
@given(reliability_matrices(), st.randoms(use_true_random=False))
def test_permuting_coders_changes_nothing(matrix: Matrix, rng: random.Random) -> None:
    shuffled = list(matrix)
    rng.shuffle(shuffled)
    assert _all_statistics(shuffled) == _all_statistics(matrix)


@settings(max_examples=150, deadline=None)
@given(reliability_matrices(), st.randoms(use_true_random=False))
def test_permuting_units_changes_nothing(matrix: Matrix, rng: random.Random) -> None:
    order = list(range(len(matrix[0])))
    rng.shuffle(order)
    shuffled = [[row[u] for u in order] for row in matrix]
    assert _all_statistics(shuffled) == _all_statistics(matrix)


@settings(max_examples=150, deadline=None)
@given(reliability_matrices(), st.permutations(["x", "why", "zed", "w"]))
def test_renaming_values_changes_nothing_for_nominal_statistics(matrix: Matrix, names: list[str]) -> None:
    renamed = [[None if v is None else names[v - 1] for v in row] for row in matrix]
    before, after = from_matrix(matrix), from_matrix(renamed)
    assert krippendorff_alpha(after).value == krippendorff_alpha(before).value
    for statistic in COINCIDENCE_FREE:
        assert statistic(after).value == statistic(before).value
    if len(matrix) == 2:
        assert cohen_kappa(after).value == cohen_kappa(before).value
        assert scott_pi(after).value == scott_pi(before).value


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(1, 5), min_size=2, max_size=20).filter(lambda units: len(set(units)) > 1),
    st.integers(2, 5),
)
def test_perfect_agreement_with_variation_gives_one(truth: list[int], n_coders: int) -> None:
    data = from_matrix([list(truth) for _ in range(n_coders)])
    for level in LEVELS:
        assert krippendorff_alpha(data, level).value == 1  # type: ignore[arg-type]
    for statistic in (fleiss_kappa, gwet_ac1, brennan_prediger, percent_agreement):
        assert statistic(data).value == 1
    if n_coders == 2:
        assert cohen_kappa(data).value == scott_pi(data).value == 1


@settings(max_examples=100, deadline=None)
@given(reliability_matrices(values=1))
def test_no_variation_is_undefined_never_one(matrix: Matrix) -> None:
    data = from_matrix(matrix)
    for level in LEVELS:
        alpha = krippendorff_alpha(data, level)  # type: ignore[arg-type]
        assert alpha.value is None
        assert alpha.reason.startswith(("no variation", "nothing pairable"))


@settings(max_examples=150, deadline=None)
@given(reliability_matrices())
def test_alpha_never_exceeds_one_and_nominal_matches_the_shortcut(matrix: Matrix) -> None:
    data = from_matrix(matrix)
    alpha = krippendorff_alpha(data).value
    co = coincidences(data)
    if alpha is None:
        return
    assert alpha <= 1
    # nominal: [(n - 1) sum o_cc - sum n_c (n_c - 1)] / [n (n - 1) - sum n_c (n_c - 1)]
    n = co.n
    same = sum(co.cells.get((c, c), 0) for c in co.margins)
    chance = sum(m * (m - 1) for m in co.margins.values())
    assert alpha == ((n - 1) * same - chance) / Fraction(n * (n - 1) - chance)


@settings(max_examples=100, deadline=None)
@given(reliability_matrices(), st.sampled_from(LEVELS))
def test_the_bootstrap_model_reproduces_alpha_on_the_original_sample(matrix: Matrix, level: str) -> None:
    data = from_matrix(matrix)
    exact = krippendorff_alpha(data, level).value  # type: ignore[arg-type]
    model = AlphaModel(prepare(data, level), level)  # type: ignore[arg-type]
    estimate = model.alpha(enumerate(model.frequencies))
    if exact is None:
        assert estimate is None
    else:
        assert estimate == pytest.approx(float(exact), abs=1e-9)
        units = [i for i, f in enumerate(model.frequencies) for _ in range(f)]
        assert model.alpha_of_draws(units) == pytest.approx(float(exact), abs=1e-9)
