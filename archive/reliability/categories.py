"""The number of categories q that Gwet's AC1 and Brennan-Prediger use for chance agreement."""

from __future__ import annotations

from archive.reliability.data import ReliabilityData
from archive.reliability.errors import ReliabilityInputError


def category_count(data: ReliabilityData, categories: int | None) -> tuple[int, str]:
    """q and how it was chosen: the codebook's count when given (preferred), else the observed values."""
    observed = len(data.values)
    if categories is None:
        return observed, f"q = {observed} observed categories"
    if categories < observed:
        raise ReliabilityInputError(
            f"variable {data.variable!r}: {categories} categories given but {observed} values occur"
        )
    return categories, f"q = {categories} codebook categories"
