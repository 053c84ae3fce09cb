"""Exact binomial and multinomial draws in plain Python (no numpy), in O(1) per binomial draw."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

# Below this mean, inversion (walking up the probability mass function) needs few steps and is exact;
# above it, Hoermann's BTRS rejection sampler is constant-time whatever n is.
_INVERSION_MEAN = 10.0


def binomial(rng: random.Random, n: int, p: float) -> int:
    """A Binomial(n, p) draw."""
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    if p > 0.5:
        return n - binomial(rng, n, 1.0 - p)
    if n * p < _INVERSION_MEAN:
        return _inversion(rng, n, p)
    return _btrs(rng, n, p)


def _inversion(rng: random.Random, n: int, p: float) -> int:
    q = 1.0 - p
    odds = p / q
    while True:
        u = rng.random()
        k = 0
        mass = q**n  # P(X = 0) >= e^-10-ish here, so no underflow
        while u > mass and k < n:
            u -= mass
            k += 1
            mass *= odds * (n - k + 1) / k
        if u <= mass:
            return k
        # Rounding left u above the whole mass: draw again rather than bias the tail.


def _btrs(rng: random.Random, n: int, p: float) -> int:
    # Transformed rejection with squeeze (Hoermann 1993, "The generation of binomial random
    # variates", J. Stat. Comput. Simul. 46), valid for p <= 0.5 and n * p >= 10.
    q = 1.0 - p
    spq = math.sqrt(n * p * q)
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    v_r = 0.92 - 4.2 / b
    alpha = (2.83 + 5.1 / b) * spq
    lpq = math.log(p / q)
    mode = math.floor((n + 1) * p)
    h = math.lgamma(mode + 1) + math.lgamma(n - mode + 1)
    while True:
        u = rng.random() - 0.5
        v = rng.random()
        us = 0.5 - abs(u)
        if us == 0.0:
            continue
        k = math.floor((2.0 * a / us + b) * u + c)
        if k < 0 or k > n:
            continue
        if us >= 0.07 and v <= v_r:
            return k
        if v == 0.0:
            continue
        log_v = math.log(v * alpha / (a / (us * us) + b))
        if log_v <= h - math.lgamma(k + 1) - math.lgamma(n - k + 1) + (k - mode) * lpq:
            return k


def multinomial(rng: random.Random, n: int, frequencies: Sequence[int]) -> list[int]:
    """Counts of n draws with replacement from a population where item i occurs frequencies[i] times."""
    # Drawing item by item, conditionally binomial on what is left, gives the exact multinomial;
    # the conditional probabilities come from integer suffix sums, so they do not drift.
    remaining_mass = sum(frequencies)
    counts: list[int] = []
    remaining = n
    for frequency in frequencies:
        if remaining == 0 or remaining_mass == 0:
            counts.append(0)
            continue
        drawn = remaining if frequency == remaining_mass else binomial(rng, remaining, frequency / remaining_mass)
        counts.append(drawn)
        remaining -= drawn
        remaining_mass -= frequency
    return counts
