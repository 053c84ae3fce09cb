"""Scott's pi for two coders: chance agreement from the coders' pooled distribution."""

from __future__ import annotations

from fractions import Fraction

from archive.reliability.data import ReliabilityData
from archive.reliability.result import AgreementResult, chance_corrected, undefined
from archive.reliability.two_coders import NO_COMMON_UNIT, NO_VARIATION, not_two_coders, paired_values

DEFINITION = "Scott's pi (Scott 1955), units coded by both coders; p_e from the pooled marginals"


def scott_pi(data: ReliabilityData) -> AgreementResult:
    """p_e = sum_k ((n_A,k + n_B,k) / 2N)^2; with two coders this equals Fleiss' kappa."""
    reason = not_two_coders(data, "Scott's pi")
    if reason:
        return undefined("scott_pi", DEFINITION, 0, reason)
    pairs = paired_values(data)
    total = sum(pairs.values())
    if not total:
        return undefined("scott_pi", DEFINITION, 0, NO_COMMON_UNIT)
    pooled: dict[int, int] = {}
    for (a, b), n in pairs.items():
        pooled[a] = pooled.get(a, 0) + n
        pooled[b] = pooled.get(b, 0) + n
    observed = Fraction(sum(n for (a, b), n in pairs.items() if a == b), total)
    chance = sum((Fraction(n, 2 * total) ** 2 for n in pooled.values()), Fraction(0))
    return chance_corrected("scott_pi", DEFINITION, total, observed, chance, NO_VARIATION)
