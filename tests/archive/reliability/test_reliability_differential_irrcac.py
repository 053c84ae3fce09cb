"""Differential test against irrCAC (Gwet's coefficients, Python port) on random data with missing cells.

irrCAC cannot be a test extra: every release pins scipy==1.12.0 and pandas<3, which clash with this project's
numpy and pandas pins. Install it by hand to run this module (it is skipped otherwise):
``.venv/bin/pip install scipy==1.17.1 && .venv/bin/pip install --no-deps irrCAC==0.4.4``.

The documented differences, each encoded below:
* pi_k (and the observed q) come from units coded by 2+ coders by default, by 1+ in irrCAC: irrCAC equals
  our ``missing="gwet"`` always, and our default wherever no unit has a single value.
* Undefined: we give None with a reason. irrCAC raises ZeroDivisionError, returns nan, or returns a number
  that is no value: 1 for AC1 and Brennan-Prediger with one category (its p_e is set to 1 - 1e-15), and
  floating-point artifacts where chance agreement is 1 (Fleiss' kappa 1, alpha 1.25 for 47 values all 0).
* irrCAC needs two or more units (its variance divides by n (n - 1), n the rated units, or the pairable ones
  for alpha); with one it raises, where we give the estimate.
* irrCAC rounds to ``digits`` (10 here) and, under pandas 3, counts a missing cell (NaN) as a category unless
  the categories are given, so they are given.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given

from archive.reliability import (
    AgreementResult,
    brennan_prediger,
    fleiss_kappa,
    from_matrix,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
)
from archive.reliability.data import ReliabilityData
from tests.archive.reliability.differential import DIFFERENTIAL, Matrix, matrices

raw = pytest.importorskip("irrCAC.raw")
pd = pytest.importorskip("pandas")


def _categories(matrix: Matrix) -> list[float]:
    return sorted({v for row in matrix for v in row if v is not None})


def _irrcac(matrix: Matrix, method: str, weights: str = "identity") -> dict[str, Any] | None:
    """irrCAC's estimate dict, or None where it raises or gives no number."""
    frame = pd.DataFrame({f"c{i}": row for i, row in enumerate(matrix)}, dtype=float)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            cac = raw.CAC(frame, weights=weights, categories=_categories(matrix), digits=10)
            estimate: dict[str, Any] = getattr(cac, method)()["est"]
    except ZeroDivisionError:
        return None
    return estimate if math.isfinite(float(estimate["coefficient_value"])) else None


def _close(ours: Fraction | None, theirs: object) -> bool:
    return ours is not None and float(theirs) == pytest.approx(float(ours), abs=1e-9)  # type: ignore[arg-type]


def _single_values(data: ReliabilityData) -> bool:
    """Whether some unit has exactly one value: there the rules for pi_k and q differ."""
    return any(sum(count for _, count in pattern) == 1 for pattern in data.patterns)


def _check(ours: AgreementResult, theirs: dict[str, Any] | None, variance_units: int) -> None:
    if ours.value is None:
        # Where we have no value, irrCAC's output is no value either (see above); when we have none is what
        # our own tests check.
        assert (ours.reason or "").startswith(("no variation", "nothing pairable")), ours.reason
        return
    if theirs is None:
        assert variance_units < 2, ours  # irrCAC's variance needs two units; the estimate is ours alone
        return
    assert _close(ours.value, theirs["coefficient_value"]), (ours.value, theirs)


def _units(data: ReliabilityData, smallest: int) -> int:
    """Units with at least ``smallest`` values: what irrCAC's variance runs over (1 for Gwet's forms, 2 for alpha)."""
    return sum(units for pattern, units in data.patterns.items() if sum(n for _, n in pattern) >= smallest)


GWET_FORMS: list[tuple[str, Callable[[ReliabilityData, int], AgreementResult]]] = [
    ("fleiss", lambda data, _q: fleiss_kappa(data, missing="gwet")),
    ("gwet", lambda data, q: gwet_ac1(data, categories=q, missing="gwet")),
    ("bp", lambda data, q: brennan_prediger(data, categories=q, missing="gwet")),
]


@pytest.mark.parametrize(("method", "ours"), GWET_FORMS, ids=[method for method, _ in GWET_FORMS])
@DIFFERENTIAL
@given(matrix=matrices())
def test_gwets_missing_data_forms_match_irrcac(
    method: str, ours: Callable[[ReliabilityData, int], AgreementResult], matrix: Matrix
) -> None:
    data = from_matrix(matrix)
    q = len(_categories(matrix))
    theirs = _irrcac(matrix, method)
    _check(ours(data, q), theirs, _units(data, 1))
    if theirs is not None and (agreement := percent_agreement(data)).value is not None:
        assert _close(agreement.value, theirs["pa"])


@DIFFERENTIAL
@given(matrix=matrices())
def test_our_default_differs_only_where_a_unit_has_a_single_value(matrix: Matrix) -> None:
    data = from_matrix(matrix)
    if _single_values(data):
        return  # there the default takes pi_k over pairable units only: see the test above for irrCAC's rule
    _check(fleiss_kappa(data), _irrcac(matrix, "fleiss"), _units(data, 1))
    _check(gwet_ac1(data, categories=len(_categories(matrix))), _irrcac(matrix, "gwet"), _units(data, 1))


@pytest.mark.parametrize(("weights", "level"), [("identity", "nominal"), ("quadratic", "interval")])
@DIFFERENTIAL
@given(matrix=matrices())
def test_gwets_alpha_matches_ours_with_identity_and_quadratic_weights(weights: str, level: str, matrix: Matrix) -> None:
    data = from_matrix(matrix)
    ours = krippendorff_alpha(data, level)  # type: ignore[arg-type]
    _check(ours, _irrcac(matrix, "krippendorff", weights), _units(data, 2))
