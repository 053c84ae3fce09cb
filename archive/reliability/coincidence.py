"""Krippendorff's coincidence matrix: pairable values of each unit, counted exactly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from archive.reliability.data import Pattern, ReliabilityData

Cell = tuple[int, int]


@dataclass(frozen=True)
class Coincidences:
    """o_ck (sparse, symmetric), the margins n_c, n pairable values and the pairable units."""

    cells: dict[Cell, Fraction]
    margins: dict[int, int]
    n: int
    n_units: int

    def matrix(self, size: int) -> list[list[Fraction]]:
        """The dense size x size matrix, rows and columns in value order (for display and tests)."""
        return [[self.cells.get((c, k), Fraction(0)) for k in range(size)] for c in range(size)]


def pattern_pairs(pattern: Pattern) -> dict[Cell, int]:
    """Ordered coder pairs (i != j) with values (c, k) in one unit: n_c * (n_k - [c == k])."""
    pairs: dict[Cell, int] = {}
    for c, n_c in pattern:
        for k, n_k in pattern:
            count = n_c * (n_k - (c == k))
            if count:
                pairs[(c, k)] = count
    return pairs


def pattern_size(pattern: Pattern) -> int:
    """m_u, the number of values a unit received."""
    return sum(count for _, count in pattern)


def coincidences(data: ReliabilityData) -> Coincidences:
    """The coincidence matrix; units with fewer than two values are unpairable and add nothing."""
    # Sum integer pair counts per unit size m first and divide by (m - 1) once per size,
    # so the exact result needs only a few Fraction operations however many units there are.
    by_size: dict[int, dict[Cell, int]] = {}
    margins: dict[int, int] = {}
    n_units = 0
    for pattern, units in data.patterns.items():
        m = pattern_size(pattern)
        if m < 2:
            continue
        n_units += units
        sums = by_size.setdefault(m, {})
        for c, n_c in pattern:
            margins[c] = margins.get(c, 0) + n_c * units
        for cell, count in pattern_pairs(pattern).items():
            sums[cell] = sums.get(cell, 0) + count * units
    cells: dict[Cell, Fraction] = {}
    for m, sums in by_size.items():
        for cell, count in sums.items():
            cells[cell] = cells.get(cell, Fraction(0)) + Fraction(count, m - 1)
    return Coincidences(cells, dict(sorted(margins.items())), sum(margins.values()), n_units)


def pairable_margins(data: ReliabilityData) -> tuple[dict[int, int], int]:
    """n_c (values in units with 2+ values, by value index) and the number of such units."""
    margins: dict[int, int] = {}
    n_units = 0
    for pattern, units in data.patterns.items():
        if pattern_size(pattern) < 2:
            continue
        n_units += units
        for c, n_c in pattern:
            margins[c] = margins.get(c, 0) + n_c * units
    return dict(sorted(margins.items())), n_units


def per_unit_sum(data: ReliabilityData, within: Callable[[Pattern], int]) -> Fraction:
    """sum over pairable units of within(pattern) / (m_u - 1), exactly, from integer sums per size m."""
    by_size: dict[int, int] = {}
    for pattern, units in data.patterns.items():
        m = pattern_size(pattern)
        if m >= 2:
            by_size[m] = by_size.get(m, 0) + within(pattern) * units
    return sum((Fraction(total, m - 1) for m, total in by_size.items()), Fraction(0))
