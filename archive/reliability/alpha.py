"""Krippendorff's alpha from the coincidence matrix, any number of coders, missing data, four metrics."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction

from archive.reliability.binary import binary_counts, prevalence
from archive.reliability.coincidence import coincidences, pairable_margins, per_unit_sum
from archive.reliability.data import Label, Pattern, ReliabilityData
from archive.reliability.errors import ReliabilityInputError
from archive.reliability.labels import shown
from archive.reliability.metrics import Level, fixed_delta, negative_label, ordinal_delta4, prepare
from archive.reliability.result import AgreementResult, undefined
from archive.reliability.values import as_number

NOTHING_PAIRABLE = "nothing pairable: no unit was coded by two or more coders"


def definition(level: Level) -> str:
    """The name under which alpha is reported."""
    return f"Krippendorff's alpha, {level} metric (coincidence matrix, Krippendorff 2011)"


def krippendorff_alpha(
    data: ReliabilityData, level: Level = "nominal", order: Sequence[Label] | None = None
) -> AgreementResult:
    """alpha = 1 - D_o / D_e; undefined (value None with the reason) when D_e = 0, never 1.

    Raises ReliabilityInputError when the labels do not fit the level (text for interval, a label
    missing from ``order``, negative values for ratio).
    """
    prepared = prepare(data, level, order)
    if level == "ratio" and (negative := negative_label(prepared)) is not None:
        raise ReliabilityInputError(
            f"variable {data.variable!r}: the ratio metric is undefined for negative values ({shown(negative)})"
        )
    name = definition(level)
    observed, expected, n, n_units = disagreement_sums(prepared, level)
    if n == 0:
        return undefined("krippendorff_alpha", name, 0, NOTHING_PAIRABLE, n_units_total=data.n_units)
    details: dict[str, Fraction | int] = {
        "D_o": observed / n,
        "D_e": expected / (n * (n - 1)),
        "n_pairable_values": n,
        "n_units_total": data.n_units,
        "n_coders": data.n_coders,
    }
    if expected == 0:
        only = prepared.values[next(iter(pairable_margins(prepared)[0]))]
        reason = f"no variation: all {n} pairable values are {shown(only)}"
        return AgreementResult("krippendorff_alpha", name, None, n_units, reason, details)
    value = 1 - (n - 1) * observed / expected
    return AgreementResult(
        "krippendorff_alpha",
        name,
        value,
        n_units,
        None,
        details,
        counts=binary_counts(data),
        prevalence=prevalence(data),
    )


def disagreement_sums(data: ReliabilityData, level: Level) -> tuple[Fraction, Fraction, int, int]:
    """(sum o_ck delta_ck, sum n_c n_k delta_ck, n, pairable units) on prepared data.

    D_o = first / n and D_e = second / (n (n - 1)). Nominal and interval sums come straight from the
    units in integer arithmetic; ordinal and ratio go through the coincidence matrix.
    """
    if level == "nominal":
        margins, n_units = pairable_margins(data)
        n = sum(margins.values())
        observed = per_unit_sum(data, _nominal_within)
        return observed, Fraction(n * n - sum(m * m for m in margins.values())), n, n_units
    if level == "interval":
        return _interval_sums(data)
    co = coincidences(data)
    n, margins = co.n, co.margins
    if level == "ordinal":
        delta4 = ordinal_delta4(margins)
        observed4 = sum((o * delta4(c, k) for (c, k), o in co.cells.items()), Fraction(0))
        return observed4 / 4, Fraction(_pair_sum(margins, delta4), 4), n, co.n_units
    delta = fixed_delta(level, data.values)
    observed = sum((o * delta(c, k) for (c, k), o in co.cells.items()), Fraction(0))
    return observed, Fraction(_pair_sum(margins, delta)), n, co.n_units


def _nominal_within(pattern: Pattern) -> int:
    # Ordered pairs of different values in one unit: m^2 - sum n_c^2.
    m = sum(count for _, count in pattern)
    return m * m - sum(count * count for _, count in pattern)


def _interval_sums(data: ReliabilityData) -> tuple[Fraction, Fraction, int, int]:
    # Scale every value to an integer over a common denominator, so both sums run on (big) ints:
    # a unit's disagreement and the expected disagreement are the same spread formula.
    numbers = [_exact(label) for label in data.values]
    scale = math.lcm(*(x.denominator for x in numbers)) if numbers else 1
    scaled = [int(x * scale) for x in numbers]
    margins, n_units = pairable_margins(data)
    observed = per_unit_sum(data, lambda pattern: _spread(pattern, scaled)) / (scale * scale)
    expected = Fraction(_spread(tuple(margins.items()), scaled), scale * scale)
    return observed, expected, sum(margins.values()), n_units


def _spread(counts: Pattern, xs: list[int]) -> int:
    """sum over c, k of n_c n_k (x_c - x_k)^2 = 2 (m sum n_c x_c^2 - (sum n_c x_c)^2), m = sum n_c."""
    m = sum(n for _, n in counts)
    first = sum(n * xs[c] for c, n in counts)
    second = sum(n * xs[c] ** 2 for c, n in counts)
    return 2 * (m * second - first * first)


def _pair_sum(margins: dict[int, int], delta: Callable[[int, int], Fraction | int]) -> Fraction | int:
    # sum over c != k of n_c n_k delta(c, k); delta is zero on the diagonal for every metric.
    keys = list(margins)
    total: Fraction | int = 0
    for i, c in enumerate(keys):
        for k in keys[i + 1 :]:
            total += 2 * margins[c] * margins[k] * delta(c, k)
    return total


def _exact(label: Label) -> Fraction:
    number = as_number(label)
    if number is None:
        raise ValueError(f"{label!r} is not a number")
    return Fraction(number)
