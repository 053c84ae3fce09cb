"""Labels as numbers and as messages show them: ``"2.0"`` is the number 2, and 15/4 is shown as 3.75."""

from __future__ import annotations

import math
from collections.abc import Hashable
from fractions import Fraction
from numbers import Real

Number = int | Fraction


def as_number(label: Hashable) -> Number | None:
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


def shown(label: object) -> str:
    """A label as a message shows it: text quoted, numbers as decimals (-15/4 is -3.75, 1/3 stays 1/3)."""
    if isinstance(label, Fraction):
        return _decimal(label) or f"{label.numerator}/{label.denominator}"
    if isinstance(label, int | float) and not isinstance(label, bool):
        return str(label)
    return repr(label)


def _decimal(number: Fraction) -> str | None:
    # A fraction has a finite decimal exactly when its denominator has no prime factor but 2 and 5.
    rest, places = number.denominator, 0
    for prime in (2, 5):
        count = 0
        while rest % prime == 0:
            rest //= prime
            count += 1
        places = max(places, count)
    if rest != 1:
        return None
    digits = str(abs(number.numerator) * 10**places // number.denominator).rjust(places + 1, "0")
    sign = "-" if number < 0 else ""
    return f"{sign}{digits[:-places]}.{digits[-places:]}" if places else f"{sign}{digits}"
