"""Random reliability data for the differential tests against other implementations (krippendorff, irrCAC)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

Matrix = list[list[float | None]]

# Exactly representable in binary floating point, so the other implementations see the very numbers we
# see; 0 is in for the ratio metric's 0/0 case, 4.5 and 0.25 for non-integer interval distances.
VALUES = (0.0, 1.0, 2.0, 3.0, 4.5, 7.0, 0.25)

DIFFERENTIAL = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,  # the same examples on every run: a CI failure repeats locally
    suppress_health_check=[HealthCheck.too_slow],
)
"""A bounded budget: each differential test draws at most 120 datasets and runs in a second or two."""


@st.composite
def matrices(draw: st.DrawFn, max_coders: int = 5, max_units: int = 25) -> Matrix:
    """Coders x units, None where a coder did not code a unit; few distinct values, often none pairable."""
    coders = draw(st.integers(2, max_coders))
    units = draw(st.integers(1, max_units))
    domain = draw(st.lists(st.sampled_from(VALUES), min_size=1, max_size=4, unique=True))
    # One flat draw of cells (-1: not coded); about a third missing when the example allows missing cells.
    lowest = -1 if draw(st.booleans()) else 0
    cells = draw(st.lists(st.integers(lowest, len(domain) - 1), min_size=coders * units, max_size=coders * units))
    values: list[float | None] = [None if c < 0 else domain[c] for c in cells]
    return [values[i * units : (i + 1) * units] for i in range(coders)]
