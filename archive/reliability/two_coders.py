"""The two-coder view used by Cohen's kappa and Scott's pi: value pairs on units both coders coded."""

from __future__ import annotations

from collections import Counter

from archive.reliability.data import MISSING, ReliabilityData


def not_two_coders(data: ReliabilityData, statistic: str) -> str | None:
    """The reason a two-coder statistic does not apply, or None when the data have exactly two coders."""
    if data.n_coders == 2:
        return None
    return f"not applicable: {statistic} is defined for exactly 2 coders and the data have {data.n_coders}"


def paired_values(data: ReliabilityData) -> Counter[tuple[int, int]]:
    """How often coder A gave value a and coder B value b on the same unit (units coded by both)."""
    return Counter((a, b) for a, b in data.rows if MISSING not in (a, b))


NO_COMMON_UNIT = "nothing to compare: no unit was coded by both coders"
NO_VARIATION = "no variation: both coders used one and the same value throughout"
