"""Differential test: alpha at all four levels against the `krippendorff` package on random data with missing cells.

The one documented difference: where alpha is undefined (no variation, nothing pairable) we report None with a
reason, and `krippendorff` raises ValueError or returns nan. Everywhere else the two agree to float precision.
"""

from __future__ import annotations

import math
import warnings

import pytest
from hypothesis import given

from archive.reliability import from_matrix, krippendorff_alpha
from tests.archive.reliability.differential import DIFFERENTIAL, Matrix, matrices

krippendorff = pytest.importorskip("krippendorff")
np = pytest.importorskip("numpy")

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def _theirs(matrix: Matrix, level: str) -> float | None:
    """krippendorff.alpha, or None where it declines (ValueError) or gives no number (nan)."""
    data = np.array([[math.nan if v is None else v for v in row] for row in matrix], dtype=float)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # its 0/0 where alpha is undefined
            value = float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))
    except (ValueError, ZeroDivisionError):
        return None
    return value if math.isfinite(value) else None


@pytest.mark.parametrize("level", LEVELS)
@DIFFERENTIAL
@given(matrix=matrices())
def test_alpha_matches_krippendorff(level: str, matrix: Matrix) -> None:
    ours = krippendorff_alpha(from_matrix(matrix), level)  # type: ignore[arg-type]
    theirs = _theirs(matrix, level)
    if ours.value is None:
        assert theirs is None, (ours.reason, theirs)
    else:
        assert theirs == pytest.approx(float(ours.value), abs=1e-9)


def test_the_published_c_data_agree_at_every_level() -> None:
    # A fixed case beside the random ones: Krippendorff (2011) C, which the package's own docs use.
    c = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    for level in LEVELS:
        ours = krippendorff_alpha(from_matrix(c), level).value  # type: ignore[arg-type]
        assert ours is not None
        assert _theirs(c, level) == pytest.approx(float(ours), abs=1e-12)  # type: ignore[arg-type]
