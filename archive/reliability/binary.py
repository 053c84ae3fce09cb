"""Present/absent summaries of a per-code (0/1) variable: prevalence and the both/neither/only counts."""

from __future__ import annotations

from fractions import Fraction

from archive.reliability.coincidence import pattern_size
from archive.reliability.data import MISSING, ReliabilityData
from archive.reliability.result import BinaryCounts
from archive.reliability.values import as_number, binary_labels


def present_index(data: ReliabilityData) -> int | None:
    """The value index of "present" (1) in a binary variable; None if the variable is not 0/1."""
    if not binary_labels(data):
        return None
    return next((i for i, label in enumerate(data.values) if as_number(label) == 1), None)


def prevalence(data: ReliabilityData) -> Fraction | None:
    """Share of pairable values (units coded by two or more coders) that say "present"."""
    if not binary_labels(data):
        return None
    present = present_index(data)
    total = hits = 0
    for pattern, units in data.patterns.items():
        m = pattern_size(pattern)
        if m < 2:
            continue
        total += m * units
        hits += sum(count for value, count in pattern if value == present) * units
    return Fraction(hits, total) if total else None


def binary_counts(data: ReliabilityData) -> BinaryCounts | None:
    """Both / neither / only A / only B over units coded by both of exactly two coders (else None)."""
    if data.n_coders != 2 or not binary_labels(data):
        return None
    present = present_index(data)
    tally = {(True, True): 0, (False, False): 0, (True, False): 0, (False, True): 0}
    for a, b in data.rows:
        if MISSING not in (a, b):
            tally[(a == present, b == present)] += 1
    return BinaryCounts(
        coder_a=data.coders[0],
        coder_b=data.coders[1],
        both=tally[(True, True)],
        neither=tally[(False, False)],
        only_a=tally[(True, False)],
        only_b=tally[(False, True)],
    )
