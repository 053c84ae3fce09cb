"""One way to draw random choices for both Hypothesis (shrinkable) and the soak (a seeded Random, fast)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Protocol, TypeVar

from hypothesis import strategies as st

T = TypeVar("T")


class Draw(Protocol):
    """The few kinds of choice the generators make."""

    def integer(self, low: int, high: int) -> int: ...

    def choice(self, items: Sequence[T]) -> T: ...

    def chance(self, probability: float) -> bool: ...


class RandomDraw:
    """Choices from a seeded ``random.Random``: the soak draws millions and needs them cheap."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def integer(self, low: int, high: int) -> int:
        return self.random.randint(low, high)

    def choice(self, items: Sequence[T]) -> T:
        return items[self.random.randrange(len(items))]

    def chance(self, probability: float) -> bool:
        return self.random.random() < probability


class HypothesisDraw:
    """Choices drawn through Hypothesis, so that a failing example shrinks (towards fewer, earlier items
    and towards "no" for every chance)."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def integer(self, low: int, high: int) -> int:
        return self.data.draw(st.integers(low, high))

    def choice(self, items: Sequence[T]) -> T:
        return items[self.data.draw(st.integers(0, len(items) - 1))]

    def chance(self, probability: float) -> bool:
        return self.data.draw(st.integers(0, 999)) >= 1000 - round(probability * 1000)
