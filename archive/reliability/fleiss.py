"""Fleiss' kappa for any number of coders, with the missing-data rule named in the result."""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from archive.reliability.data import MISSING, ReliabilityData
from archive.reliability.gwet_terms import unit_terms
from archive.reliability.result import AgreementResult, chance_corrected, undefined

MissingRule = Literal["pairable", "gwet", "listwise"]

DEFINITIONS: dict[MissingRule, str] = {
    "pairable": (
        "Fleiss' kappa with missing data: p_a and pi_k over units coded by 2+ coders (a unit coded by one "
        "coder adds nothing, as in alpha); equals Fleiss (1971) on complete data"
    ),
    "gwet": (
        "Fleiss' kappa with Gwet's missing-data generalisation (irrCAC fleiss.kappa.raw): p_a over "
        "units coded by 2+ coders, pi_k over units coded by 1+; equals Fleiss (1971) on complete data"
    ),
    "listwise": (
        "Fleiss' kappa (Fleiss 1971) after listwise deletion of units any coder missed "
        "(R irr kappam.fleiss, statsmodels)"
    ),
}


def fleiss_kappa(data: ReliabilityData, missing: MissingRule = "pairable") -> AgreementResult:
    """(p_a - p_e) / (1 - p_e) with p_e = sum_k pi_k^2.

    The rules differ only when some units were coded by fewer coders than others: "gwet" also counts
    units coded by one coder in pi_k, "listwise" keeps only the units every coder coded.
    """
    name = DEFINITIONS[missing]
    if missing == "listwise":
        complete = tuple(row for row in data.rows if MISSING not in row)
        data = ReliabilityData(data.variable, data.coders, ("",) * len(complete), data.values, complete)
    terms = unit_terms(data, "gwet" if missing == "gwet" else "pairable")
    if terms.p_a is None:
        reason = "nothing pairable: no unit was coded by two or more coders"
        if missing == "listwise":
            reason = "nothing left: no unit was coded by every coder (listwise deletion)"
        return undefined("fleiss_kappa", name, 0, reason)
    chance = sum((share * share for share in terms.shares.values()), Fraction(0))
    where = {"listwise": "every value", "gwet": "every value in units coded by 1+ coders"}.get(
        missing, "every value in units coded by 2+ coders"
    )
    no_variation = f"no variation: {where} is the same, so chance agreement is 1"
    return chance_corrected("fleiss_kappa", name, terms.n_pairable_units, terms.p_a, chance, no_variation)
