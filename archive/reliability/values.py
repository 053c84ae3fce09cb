"""Reading labels as numbers or ranks, for the metrics and weights that need an order or a distance."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from numbers import Real

from archive.reliability.data import Label, ReliabilityData
from archive.reliability.errors import ReliabilityInputError

Number = int | Fraction


def as_number(label: Label) -> Number | None:
    """The exact number a label stands for (``"2.5"`` -> 5/2, ``3.0`` -> 3), or None if it is not one."""
    if isinstance(label, bool):
        return None
    if isinstance(label, str):
        try:
            # Fraction parses decimal text exactly, so "0.1" stays 1/10 rather than a binary float.
            number = Fraction(label.strip())
        except (ValueError, ZeroDivisionError):
            return None
    elif isinstance(label, Real):
        if isinstance(label, float) and not math.isfinite(label):
            return None
        number = Fraction(label)  # int, float and Fraction all convert
    else:
        return None
    return number.numerator if number.denominator == 1 else number


def _number_or_none(label: Label) -> Label:
    return as_number(label)


def numeric(data: ReliabilityData, purpose: str) -> ReliabilityData:
    """The data with every label replaced by its number; raises naming the first label that is not one."""
    for label in data.values:
        if as_number(label) is None:
            raise ReliabilityInputError(
                f"variable {data.variable!r}: {purpose} needs numeric values, and {label!r} is not a number"
            )
    return data.recode(_number_or_none)


def ranked(data: ReliabilityData, purpose: str, order: Sequence[Label] | None = None) -> ReliabilityData:
    """The data with labels replaced by sortable ranks: positions in ``order`` if given, else numbers."""
    if order is None:
        return numeric(data, purpose)
    position = {label: i for i, label in enumerate(order)}
    for label in data.values:
        if label not in position:
            raise ReliabilityInputError(
                f"variable {data.variable!r}: {label!r} is not in the order given for {purpose}"
            )
    return data.recode(lambda label: position[label])


def binary_labels(data: ReliabilityData) -> bool:
    """True when every label is 0 or 1 (absent/present), the shape of a per-code variable."""
    return bool(data.values) and all(as_number(label) in (0, 1) for label in data.values)
