"""The number of categories q that Gwet's AC1 and Brennan-Prediger use for chance agreement."""

from __future__ import annotations

from archive.reliability.data import ReliabilityData
from archive.reliability.errors import ReliabilityInputError


def category_count(data: ReliabilityData, categories: int | None, observed: int | None = None) -> tuple[int, str]:
    """q and how it was chosen: the codebook's count when given (preferred), else the observed values.

    ``observed`` is the number of categories in the units the statistic uses (by default every value in
    the data); the codebook's count is checked against every value, wherever it occurs.
    """
    seen = len(data.values) if observed is None else observed
    if categories is None:
        return seen, f"q = {seen} observed categories"
    if categories < len(data.values):
        raise ReliabilityInputError(
            f"variable {data.variable!r}: {categories} categories given but {len(data.values)} values occur"
        )
    return categories, f"q = {categories} codebook categories"
