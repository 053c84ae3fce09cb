"""Cohen's kappa for two coders, unweighted or with linear/quadratic agreement weights for ordered codes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Literal

from archive.reliability.binary import binary_counts
from archive.reliability.data import Label, ReliabilityData
from archive.reliability.result import AgreementResult, chance_corrected, undefined
from archive.reliability.two_coders import NO_COMMON_UNIT, NO_VARIATION, not_two_coders, paired_values
from archive.reliability.values import ranked

Weights = Literal["linear", "quadratic"]
_Weight = Callable[[int, int], Fraction]


def definition(weights: Weights | None) -> str:
    """The name under which this kappa is reported."""
    if weights is None:
        return "Cohen's kappa (Cohen 1960), units coded by both coders"
    return (
        f"Cohen's weighted kappa, {weights} agreement weights by rank over the observed categories "
        "(R irr kappa2, scikit-learn), units coded by both coders"
    )


def cohen_kappa(
    data: ReliabilityData, weights: Weights | None = None, order: Sequence[Label] | None = None
) -> AgreementResult:
    """p_a from the paired values, p_e = sum_k p_A,k p_B,k (each weighted by w_ij when ``weights``).

    Weighted kappa needs ordered codes: numbers, or the labels' ``order``; else ReliabilityInputError.
    """
    statistic = "cohen_kappa" if weights is None else f"cohen_kappa_{weights}"
    name = definition(weights)
    reason = not_two_coders(data, "Cohen's kappa")
    if reason:
        return undefined(statistic, name, 0, reason)
    if weights is not None:
        data = ranked(data, f"{weights}-weighted kappa", order)
    pairs = paired_values(data)
    total = sum(pairs.values())
    if not total:
        return undefined(statistic, name, 0, NO_COMMON_UNIT)
    categories = sorted({a for a, _ in pairs} | {b for _, b in pairs})
    weight = _weight_function(weights, categories)
    row_margin = {c: sum(n for (a, _), n in pairs.items() if a == c) for c in categories}
    col_margin = {c: sum(n for (_, b), n in pairs.items() if b == c) for c in categories}
    observed = sum((n * weight(a, b) for (a, b), n in pairs.items()), Fraction(0)) / total
    chance = sum(
        (row_margin[a] * col_margin[b] * weight(a, b) for a in categories for b in categories), Fraction(0)
    ) / (total * total)
    result = chance_corrected(statistic, name, total, observed, chance, NO_VARIATION)
    counts = binary_counts(data) if weights is None else None
    return AgreementResult(result.statistic, name, result.value, total, result.reason, result.details, counts=counts)


def _weight_function(weights: Weights | None, categories: list[int]) -> _Weight:
    rank = {c: i for i, c in enumerate(categories)}
    span = len(categories) - 1
    if weights is None or span == 0:
        # With a single category every weighting is the identity; kappa is then undefined anyway.
        return lambda a, b: Fraction(a == b)
    if weights == "linear":
        return lambda a, b: 1 - Fraction(abs(rank[a] - rank[b]), span)
    return lambda a, b: 1 - Fraction((rank[a] - rank[b]) ** 2, span * span)
