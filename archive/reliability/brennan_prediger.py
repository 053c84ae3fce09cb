"""Brennan-Prediger's coefficient (Bennett's S, free-marginal kappa): chance agreement 1/q."""

from __future__ import annotations

from fractions import Fraction

from archive.reliability.categories import category_count
from archive.reliability.data import ReliabilityData
from archive.reliability.gwet_terms import ShareUnits, unit_terms
from archive.reliability.result import AgreementResult, chance_corrected, undefined


def brennan_prediger(
    data: ReliabilityData, categories: int | None = None, missing: ShareUnits = "pairable"
) -> AgreementResult:
    """(p_a - 1/q) / (1 - 1/q) with Gwet's pairwise p_a; not von Eye's all-agree variant for 3+ coders.

    The observed q counts the categories of units coded by 2+ coders, or 1+ with ``missing="gwet"``.
    """
    terms = unit_terms(data, missing)
    q, how = category_count(data, categories, terms.n_categories)
    where = "2+" if missing == "pairable" else "1+"
    name = (
        f"Brennan-Prediger (1981) in Gwet's definition: pairwise p_a over units coded by 2+ coders, p_e = 1/q, "
        f"{how}{' in units coded by ' + where + ' coders' if categories is None else ''} "
        "(differs from von Eye's for 3+ coders)"
    )
    if terms.p_a is None:
        return undefined("brennan_prediger", name, 0, "nothing pairable: no unit was coded by two or more coders")
    if q < 2:
        reason = "no variation: only one category (q = 1)"
        return undefined("brennan_prediger", name, terms.n_pairable_units, reason)
    chance = Fraction(1, q)
    return chance_corrected("brennan_prediger", name, terms.n_pairable_units, terms.p_a, chance, "q = 1")
