"""Percent agreement under its three published definitions, each reported under its own name."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

from archive.reliability.coincidence import pattern_size
from archive.reliability.data import MISSING, ReliabilityData
from archive.reliability.gwet_terms import unit_terms
from archive.reliability.result import AgreementResult, undefined

PAIRWISE_IN_UNIT = (
    "percent agreement, pairwise within unit (Fleiss' P-bar, Gwet's p_a): mean over units coded by "
    "2+ coders of the share of agreeing coder pairs"
)
ALL_AGREE = "percent agreement, all coders agree: share of units coded by 2+ coders with a single value"
CODER_PAIRS = (
    "percent agreement, mean over coder pairs (Holsti's CR, ReCal3 average pairwise): each pair's "
    "share of equal values on the units both coded, averaged over pairs with a common unit"
)
_NO_UNIT = "nothing pairable: no unit was coded by two or more coders"


def percent_agreement(data: ReliabilityData) -> AgreementResult:
    """Pairwise-within-unit agreement, the p_a that Fleiss' kappa, AC1 and Brennan-Prediger correct."""
    terms = unit_terms(data)
    if terms.p_a is None:
        return undefined("percent_agreement", PAIRWISE_IN_UNIT, 0, _NO_UNIT)
    return AgreementResult("percent_agreement", PAIRWISE_IN_UNIT, terms.p_a, terms.n_pairable_units)


def all_agree(data: ReliabilityData) -> AgreementResult:
    """Share of pairable units on which every coder gave the same value (tidycomm's "Agreement")."""
    pairable = unanimous = 0
    for pattern, units in data.patterns.items():
        if pattern_size(pattern) >= 2:
            pairable += units
            unanimous += units if len(pattern) == 1 else 0
    if not pairable:
        return undefined("percent_agreement_all_agree", ALL_AGREE, 0, _NO_UNIT)
    return AgreementResult("percent_agreement_all_agree", ALL_AGREE, Fraction(unanimous, pairable), pairable)


def coder_pairs(data: ReliabilityData) -> AgreementResult:
    """Mean over coder pairs of their agreement on shared units (what ReCal3 calls average pairwise)."""
    pairs = list(combinations(range(data.n_coders), 2))
    common = [0] * len(pairs)
    equal = [0] * len(pairs)
    units = 0
    for row in data.rows:
        coded = False
        for p, (i, j) in enumerate(pairs):
            a, b = row[i], row[j]
            if MISSING not in (a, b):
                coded = True
                common[p] += 1
                equal[p] += a == b
        units += coded
    shares = [Fraction(e, c) for e, c in zip(equal, common, strict=True) if c]
    if not shares:
        return undefined("percent_agreement_coder_pairs", CODER_PAIRS, 0, _NO_UNIT)
    value = sum(shares, Fraction(0)) / len(shares)
    return AgreementResult(
        "percent_agreement_coder_pairs", CODER_PAIRS, value, units, details={"n_coder_pairs": len(shares)}
    )
