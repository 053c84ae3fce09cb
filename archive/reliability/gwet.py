"""Gwet's AC1: chance agreement from how far the category shares are from uniform."""

from __future__ import annotations

from fractions import Fraction

from archive.reliability.categories import category_count
from archive.reliability.data import ReliabilityData
from archive.reliability.gwet_terms import SHARE_RULES, ShareUnits, unit_terms
from archive.reliability.result import AgreementResult, chance_corrected, undefined


def gwet_ac1(data: ReliabilityData, categories: int | None = None, missing: ShareUnits = "pairable") -> AgreementResult:
    """p_e = sum_k pi_k (1 - pi_k) / (q - 1), p_a pairwise within unit (Gwet 2008, 2014; missing allowed).

    ``missing="gwet"`` takes pi_k (and the observed q) over units coded by 1+ coders, as irrCAC does.
    """
    terms = unit_terms(data, missing)
    q, how = category_count(data, categories, terms.n_categories)
    name = f"Gwet's AC1 (Gwet 2008), unweighted, {how}; {SHARE_RULES[missing]}"
    if terms.p_a is None:
        return undefined("gwet_ac1", name, 0, "nothing pairable: no unit was coded by two or more coders")
    if q < 2:
        return undefined("gwet_ac1", name, terms.n_pairable_units, "no variation: only one category (q = 1)")
    spread = sum((share * (1 - share) for share in terms.shares.values()), Fraction(0))
    chance = spread / (q - 1)
    return chance_corrected("gwet_ac1", name, terms.n_pairable_units, terms.p_a, chance, "chance agreement is 1")
