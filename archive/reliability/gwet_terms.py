"""The per-unit quantities of Gwet's framework: pairwise agreement p_a and the category shares pi_k."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from archive.reliability.coincidence import pattern_size
from archive.reliability.data import ReliabilityData

ShareUnits = Literal["pairable", "gwet"]
"""Which units give the category shares pi_k: those coded by 2+ coders (as alpha's margins), or by 1+ (Gwet)."""

SHARE_RULES: dict[ShareUnits, str] = {
    "pairable": "p_a and pi_k over units coded by 2+ coders",
    "gwet": "p_a over units coded by 2+ coders, pi_k over units coded by 1+ (Gwet's missing-data form, irrCAC)",
}


@dataclass(frozen=True)
class UnitTerms:
    """p_a over units with 2+ values; pi_k over units with 2+ values, or 1+ under Gwet's rule."""

    p_a: Fraction | None
    n_pairable_units: int
    shares: dict[int, Fraction]
    n_rated_units: int

    @property
    def n_categories(self) -> int:
        """Categories observed in the units that give the shares (q when the codebook's count is not given)."""
        return len(self.shares)


def unit_terms(data: ReliabilityData, shares_from: ShareUnits = "pairable") -> UnitTerms:
    """p_a = mean of sum_k r_ik (r_ik - 1) / (r_i (r_i - 1)); pi_k = mean of r_ik / r_i.

    Under the default rule a unit coded by one coder adds nothing, so the statistics do not depend on
    whether such units are in the data at all (a project's report leaves them out, its long export
    keeps them); ``"gwet"`` counts them in pi_k as irrCAC does.
    """
    smallest = 2 if shares_from == "pairable" else 1
    agreement = Fraction(0)
    pairable = rated = 0
    share_sums: dict[int, Fraction] = {}
    for pattern, units in data.patterns.items():
        r = pattern_size(pattern)
        if r < smallest:
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
