"""The result object every statistic returns: an exact value or None with the reason, and its definition."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True)
class BinaryCounts:
    """Units coded by both of two coders, split by present (1) / absent (0), NVivo style."""

    coder_a: str
    coder_b: str
    both: int
    neither: int
    only_a: int
    only_b: int

    @property
    def total(self) -> int:
        """Units coded by both coders."""
        return self.both + self.neither + self.only_a + self.only_b


@dataclass(frozen=True)
class AgreementResult:
    """One statistic on one variable; ``value`` is None exactly when ``reason`` says why."""

    statistic: str
    definition: str
    value: Fraction | None
    n_units: int
    reason: str | None = None
    details: Mapping[str, Fraction | int] = field(default_factory=dict)
    counts: BinaryCounts | None = None
    prevalence: Fraction | None = None

    def __post_init__(self) -> None:
        if (self.value is None) == (self.reason is None):
            raise ValueError("a result has either a value or a reason why it has none")

    @property
    def defined(self) -> bool:
        """Whether the statistic has a value on these data."""
        return self.value is not None

    def as_float(self) -> float | None:
        """The value as a float for display and JSON, None when undefined."""
        return None if self.value is None else float(self.value)


def undefined(statistic: str, definition: str, n_units: int, reason: str, **details: Fraction | int) -> AgreementResult:
    """A result without a value; never a stand-in number such as 1 or 0."""
    return AgreementResult(statistic, definition, None, n_units, reason, details)


def chance_corrected(
    statistic: str,
    definition: str,
    n_units: int,
    observed: Fraction,
    chance: Fraction,
    reason_if_undefined: str,
) -> AgreementResult:
    """(p_a - p_e) / (1 - p_e), the form shared by kappa, pi, AC1 and Brennan-Prediger."""
    details: dict[str, Fraction | int] = {"p_a": observed, "p_e": chance}
    if chance == 1:
        return AgreementResult(statistic, definition, None, n_units, reason_if_undefined, details)
    return AgreementResult(statistic, definition, (observed - chance) / (1 - chance), n_units, None, details)
