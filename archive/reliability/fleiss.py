"""Fleiss' kappa for any number of coders, with the missing-data rule named in the result."""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from archive.reliability.data import MISSING, ReliabilityData
from archive.reliability.gwet_terms import unit_terms
from archive.reliability.result import AgreementResult, chance_corrected, undefined

MissingRule = Literal["gwet", "listwise"]

DEFINITIONS: dict[MissingRule, str] = {
    "gwet": (
        "Fleiss' kappa with Gwet's missing-data generalisation (irrCAC fleiss.kappa.raw): p_a over "
        "units coded by 2+ coders, pi_k over units coded by 1+; equals Fleiss (1971) on complete data"
    ),
    "listwise": (
        "Fleiss' kappa (Fleiss 1971) after listwise deletion of units any coder missed "
        "(R irr kappam.fleiss, statsmodels)"
    ),
}


def fleiss_kappa(data: ReliabilityData, missing: MissingRule = "gwet") -> AgreementResult:
    """(p_a - p_e) / (1 - p_e) with p_e = sum_k pi_k^2."""
    name = DEFINITIONS[missing]
    if missing == "listwise":
        complete = tuple(row for row in data.rows if MISSING not in row)
        data = ReliabilityData(data.variable, data.coders, ("",) * len(complete), data.values, complete)
    terms = unit_terms(data)
    if terms.p_a is None:
        reason = "nothing pairable: no unit was coded by two or more coders"
        if missing == "listwise":
            reason = "nothing left: no unit was coded by every coder (listwise deletion)"
        return undefined("fleiss_kappa", name, 0, reason)
    chance = sum((share * share for share in terms.shares.values()), Fraction(0))
    no_variation = "no variation: every value is the same, so chance agreement is 1"
    return chance_corrected("fleiss_kappa", name, terms.n_pairable_units, terms.p_a, chance, no_variation)
