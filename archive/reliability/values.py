"""Reading labels as numbers or ranks, for the metrics and weights that need an order or a distance."""

from __future__ import annotations

from collections.abc import Sequence

from archive.reliability.data import Label, ReliabilityData
from archive.reliability.errors import ReliabilityInputError
from archive.reliability.labels import Number, as_number

__all__ = ["Number", "as_number", "binary_labels", "numeric", "numeric_twins", "ranked", "same_numbers"]


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
    """True when the labels are 0 and/or 1 (absent/present), each written one way: a per-code variable.

    Nominal data keep ``"1"`` and ``"1.0"`` apart; counting both as "present" would contradict the
    statistics, which see two codes, so such a variable is not treated as present/absent.
    """
    numbers = [as_number(label) for label in data.values]
    return bool(numbers) and all(n in (0, 1) for n in numbers) and len(set(numbers)) == len(numbers)


def same_numbers(data: ReliabilityData) -> ReliabilityData:
    """The data with labels that are numbers merged by value ("2", "2.0", 2 become 2); else as they are.

    Every statistic at a numeric level reads its values through this, so "2" and "2.0" (pandas writes
    2.0 where R writes 2) are one value for kappa and percent agreement just as for alpha.
    """
    if not data.values or any(as_number(label) is None for label in data.values):
        return data
    return data.recode(_number_or_none)


def numeric_twins(data: ReliabilityData) -> list[tuple[Label, ...]]:
    """Groups of two or more labels that are one number written differently (``"2"``, ``"2.0"``)."""
    groups: dict[Number, list[Label]] = {}
    for label in data.values:
        number = as_number(label)
        if number is not None:
            groups.setdefault(number, []).append(label)
    return [tuple(labels) for labels in groups.values() if len(labels) > 1]
