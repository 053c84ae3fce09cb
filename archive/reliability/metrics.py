"""Krippendorff's difference functions (squared distances delta^2) for the four levels of measurement."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Literal, get_args

from archive.reliability.data import Label, ReliabilityData
from archive.reliability.values import Number, as_number, numeric, ranked

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = get_args(Level)

Delta = Callable[[int, int], Fraction]


def prepare(data: ReliabilityData, level: Level, order: Sequence[Label] | None = None) -> ReliabilityData:
    """Labels as the level needs them: as given (nominal), ranks (ordinal) or numbers (interval, ratio)."""
    if level == "nominal":
        return data
    if level == "ordinal":
        return ranked(data, "the ordinal metric", order)
    return numeric(data, f"the {level} metric")


def negative_label(data: ReliabilityData) -> Label | None:
    """The first negative value, which makes the ratio metric undefined; None if there is none."""
    for label in data.values:
        number = as_number(label)
        if number is not None and number < 0:
            return label
    return None


def fixed_delta(level: Level, labels: Sequence[Label]) -> Delta:
    """delta^2 for the levels whose distances depend on the two values only (not on the margins)."""
    if level == "nominal":
        return lambda c, k: Fraction(c != k)
    numbers: list[Number] = [_number(label) for label in labels]
    if level == "interval":
        return lambda c, k: Fraction(numbers[c] - numbers[k]) ** 2
    if level == "ratio":
        return lambda c, k: _ratio(numbers[c], numbers[k])
    raise ValueError(f"the {level} metric depends on the margins; use ordinal_delta4")


def _number(label: Label) -> Number:
    number = as_number(label)
    if number is None:
        raise ValueError(f"{label!r} is not a number; prepare() the data first")
    return number


def _ratio(x: Number, y: Number) -> Fraction:
    # ((x - y) / (x + y))^2, with 0 for x = y = 0 (the only way the sum can be 0 without negatives).
    total = x + y
    return Fraction(0) if total == 0 else (Fraction(x - y) / total) ** 2


def ordinal_delta4(margins: Mapping[int, int]) -> Callable[[int, int], int]:
    """4 x the ordinal delta^2 for value indices in rank order; integer, so it stays exact and fast.

    delta_ck = (sum of n_g for g from c to k - (n_c + n_k) / 2)^2, so 4 * delta = (2 * sum - n_c - n_k)^2.
    """
    ranks = sorted(margins)
    position = {value: i for i, value in enumerate(ranks)}
    prefix = [0]
    for value in ranks:
        prefix.append(prefix[-1] + margins[value])

    def delta4(c: int, k: int) -> int:
        i, j = sorted((position[c], position[k]))
        between = prefix[j + 1] - prefix[i]
        return (2 * between - margins[c] - margins[k]) ** 2

    return delta4
