"""The per-unit quantities of Gwet's framework: pairwise agreement p_a and the category shares pi_k."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from archive.reliability.coincidence import pattern_size
from archive.reliability.data import ReliabilityData


@dataclass(frozen=True)
class UnitTerms:
    """p_a over units with 2+ values, pi_k over units with 1+ value (Gwet 2014, missing data allowed)."""

    p_a: Fraction | None
    n_pairable_units: int
    shares: dict[int, Fraction]
    n_rated_units: int


def unit_terms(data: ReliabilityData) -> UnitTerms:
    """p_a = mean of sum_k r_ik (r_ik - 1) / (r_i (r_i - 1)); pi_k = mean of r_ik / r_i."""
    agreement = Fraction(0)
    pairable = rated = 0
    share_sums: dict[int, Fraction] = {}
    for pattern, units in data.patterns.items():
        r = pattern_size(pattern)
        if r == 0:
            continue
        rated += units
        for value, count in pattern:
            share_sums[value] = share_sums.get(value, Fraction(0)) + Fraction(count * units, r)
        if r >= 2:
            pairable += units
            agreeing = sum(count * (count - 1) for _, count in pattern)
            agreement += Fraction(agreeing * units, r * (r - 1))
    p_a = agreement / pairable if pairable else None
    shares = {value: total / rated for value, total in sorted(share_sums.items())}
    return UnitTerms(p_a, pairable, shares, rated)
