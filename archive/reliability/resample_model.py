"""Alpha as a weighted sum of per-pattern contributions, so each bootstrap resample costs O(patterns)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from fractions import Fraction

from archive.reliability.coincidence import pattern_pairs, pattern_size
from archive.reliability.data import Pattern, ReliabilityData
from archive.reliability.metrics import Level, ordinal_delta4
from archive.reliability.values import as_number


class AlphaModel:
    """Precomputed once per variable: each pattern's margins and observed disagreement (floats).

    A resample is a count per pattern; alpha* = 1 - (n* - 1) * sum(w_p * d_p) / D(n*), where the
    expected disagreement D depends on the resampled margins n*_c only (for interval data, on
    sum n*_c x_c and sum n*_c x_c^2, so each pattern reduces to four numbers).
    """

    def __init__(self, data: ReliabilityData, level: Level) -> None:
        """``data`` must already be prepared for ``level`` (numbers or ranks for non-nominal levels)."""
        self.level = level
        # Units with fewer than two values add nothing to alpha, so they are not resampled either: the
        # interval is the same whether or not the data carry them (see bootstrap_alpha).
        items = [(p, units) for p, units in data.patterns.items() if pattern_size(p) >= 2]
        self.frequencies = [units for _, units in items]
        self.n_units = sum(self.frequencies)
        self.n_values = len(data.values)
        self._margins: list[Pattern] = [p for p, _ in items]
        self._xs = self._positions(data) if level in ("interval", "ratio") else []
        self._observed: list[float] = []
        self._cells: list[list[tuple[int, int, float]]] = []
        if level == "ordinal":
            self._cells = [self._ordinal_cells(p) for p in self._margins]
        else:
            self._observed = [self._observed_disagreement(p) for p in self._margins]
        xs = self._xs
        self._sizes = [float(pattern_size(p)) for p in self._margins]
        self._first = [sum(n * xs[c] for c, n in p) for p in self._margins] if level == "interval" else []
        self._second = [sum(n * xs[c] ** 2 for c, n in p) for p in self._margins] if level == "interval" else []

    def _positions(self, data: ReliabilityData) -> list[float]:
        numbers = [Fraction(as_number(label) or 0) for label in data.values]
        if self.level == "ratio":
            return [float(x) for x in numbers]
        # Interval distances ignore shifts; centring keeps n*sum(x^2) - (sum x)^2 from cancelling badly.
        centre = sum(numbers, Fraction(0)) / len(numbers) if numbers else Fraction(0)
        return [float(x - centre) for x in numbers]

    def _delta(self, c: int, k: int) -> float:
        if self.level == "nominal":
            return float(c != k)
        x, y = self._xs[c], self._xs[k]
        return (x - y) ** 2 if self.level == "interval" else _ratio(x, y)

    def _observed_disagreement(self, pattern: Pattern) -> float:
        if not pattern:
            return 0.0
        m = pattern_size(pattern)
        total = sum(count * self._delta(c, k) for (c, k), count in pattern_pairs(pattern).items() if c != k)
        return total / (m - 1)

    @staticmethod
    def _ordinal_cells(pattern: Pattern) -> list[tuple[int, int, float]]:
        if not pattern:
            return []
        m = pattern_size(pattern)
        return [(c, k, count / (m - 1)) for (c, k), count in pattern_pairs(pattern).items() if c != k]

    def alpha_of_draws(self, drawn: list[int]) -> float | None:
        """alpha for a list of drawn pattern indices, one per resampled unit."""
        if self.level != "interval":
            return self.alpha(Counter(drawn).items())
        # Four C-level sums over the draws; no per-value margins are needed for interval data.
        n = sum(map(self._sizes.__getitem__, drawn))
        observed = sum(map(self._observed.__getitem__, drawn))
        first = sum(map(self._first.__getitem__, drawn))
        second = sum(map(self._second.__getitem__, drawn))
        return _interval_alpha(n, observed, first, second)

    def alpha(self, weights: Iterable[tuple[int, int]]) -> float | None:
        """alpha for ``(pattern index, times drawn)`` pairs; None when undefined in that resample."""
        if self.level == "interval":
            return self._interval_alpha(list(weights))
        margins = [0] * self.n_values
        observed = 0.0
        cells: dict[tuple[int, int], float] = {}
        ordinal = self.level == "ordinal"
        for index, weight in weights:
            pattern = self._margins[index]
            if not weight or not pattern:
                continue
            for c, count in pattern:
                margins[c] += weight * count
            if ordinal:
                for c, k, share in self._cells[index]:
                    cells[(c, k)] = cells.get((c, k), 0.0) + weight * share
            else:
                observed += weight * self._observed[index]
        present = {c: m for c, m in enumerate(margins) if m}
        if len(present) < 2:
            return None  # nothing pairable, or no variation: alpha is undefined, never 1
        n = sum(present.values())
        if ordinal:
            delta4 = ordinal_delta4(present)
            observed = sum(share * delta4(c, k) for (c, k), share in cells.items()) / 4
            expected = _pair_sum(present, lambda c, k: delta4(c, k) / 4)
        else:
            expected = self._expected(present, n)
        return 1.0 - (n - 1) * observed / expected

    def _interval_alpha(self, weights: list[tuple[int, int]]) -> float | None:
        n = sum(w * self._sizes[i] for i, w in weights)
        observed = sum(w * self._observed[i] for i, w in weights)
        first = sum(w * self._first[i] for i, w in weights)
        second = sum(w * self._second[i] for i, w in weights)
        return _interval_alpha(n, observed, first, second)

    def _expected(self, present: dict[int, int], n: int) -> float:
        if self.level == "nominal":
            return float(n * n - sum(m * m for m in present.values()))
        xs = self._xs
        return _pair_sum(present, lambda c, k: _ratio(xs[c], xs[k]))


def _interval_alpha(n: float, observed: float, first: float, second: float) -> float | None:
    # sum n_c n_k (x_c - x_k)^2 = 2 (n sum n_c x_c^2 - (sum n_c x_c)^2). When every resampled value is
    # the same, that difference is rounding noise: treat it as no variation (undefined), not as alpha.
    expected = 2.0 * (n * second - first * first)
    if n < 2 or expected <= 1e-9 * n * second:
        return None
    return 1.0 - (n - 1) * observed / expected


def _ratio(x: float, y: float) -> float:
    total = x + y
    return 0.0 if total == 0 else ((x - y) / total) ** 2


def _pair_sum(present: dict[int, int], delta: Callable[[int, int], float]) -> float:
    keys = list(present)
    total = 0.0
    for i, c in enumerate(keys):
        for k in keys[i + 1 :]:
            total += 2.0 * present[c] * present[k] * delta(c, k)
    return total
