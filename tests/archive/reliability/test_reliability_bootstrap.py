"""The unit bootstrap of alpha: reproducible, cancellable, and the same distribution as naive resampling."""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter

import pytest

from archive.reliability import BootstrapCancelled, bootstrap_alpha, from_matrix, krippendorff_alpha
from archive.reliability.binomial import binomial, multinomial
from archive.reliability.bootstrap import percentile_interval
from archive.reliability.data import ReliabilityData

K2011_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def _ordered_sample(units: int, coders: int, seed: int) -> ReliabilityData:
    """Codes 0, 1, 2 (common to rare); each coder agrees with the truth 85% of the time."""
    rng = random.Random(seed)
    truth = rng.choices([0, 1, 2], weights=[6, 3, 1], k=units)
    return from_matrix([[t if rng.random() < 0.85 else rng.choice([0, 1, 2]) for t in truth] for _ in range(coders)])


def _naive_bootstrap(data: ReliabilityData, level: str, resamples: int, seed: int) -> list[float]:
    """Textbook resampling: draw units with replacement, rebuild the table, compute alpha exactly."""
    rng = random.Random(seed)
    matrix = data.matrix()
    estimates = []
    for _ in range(resamples):
        units = rng.choices(range(data.n_units), k=data.n_units)
        alpha = krippendorff_alpha(from_matrix([[row[u] for u in units] for row in matrix]), level)  # type: ignore[arg-type]
        if alpha.value is not None:
            estimates.append(float(alpha.value))
    return sorted(estimates)


def test_same_seed_same_result_and_the_seed_is_recorded() -> None:
    data = from_matrix(K2011_C)
    first = bootstrap_alpha(data, "interval", 500, seed=7)
    again = bootstrap_alpha(data, "interval", 500, seed=7)
    other = bootstrap_alpha(data, "interval", 500, seed=8)
    assert first == again
    assert first.estimates != other.estimates
    assert (first.seed, first.resamples) == (7, 500)
    unseeded = bootstrap_alpha(data, "interval", 50)
    assert bootstrap_alpha(data, "interval", 50, seed=unseeded.seed) == unseeded


def test_result_holds_the_point_estimate_interval_and_q() -> None:
    result = bootstrap_alpha(from_matrix(K2011_C), "nominal", 2000, seed=1)
    assert float(result.alpha.value) == pytest.approx(113 / 152)
    assert result.ci_low is not None and result.ci_high is not None
    assert result.ci_low < float(result.alpha.value) < result.ci_high <= 1
    assert set(result.q_below) == {0.800, 0.667}
    assert result.q_below[0.667] <= result.q_below[0.800]
    assert result.q_below[0.800] == sum(a < 0.8 for a in result.estimates) / len(result.estimates)
    assert len(result.estimates) + result.n_undefined == 2000
    assert "units resampled with replacement" in result.method


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_pattern_multinomial_matches_naive_unit_resampling(level: str) -> None:
    # Few distinct patterns (coded categories): the fast path draws pattern counts from a multinomial.
    data = _ordered_sample(units=150, coders=3, seed=11)
    assert len(data.patterns) * 6 <= data.n_units
    fast = bootstrap_alpha(data, level, 2000, seed=3)  # type: ignore[arg-type]
    naive = _naive_bootstrap(data, level, 1000, seed=4)
    for share in (0.025, 0.5, 0.975):
        assert fast.estimates[int(share * len(fast.estimates))] == pytest.approx(
            naive[int(share * len(naive))], abs=0.02
        )
    assert statistics.stdev(fast.estimates) == pytest.approx(statistics.stdev(naive), rel=0.1)


def test_unit_draws_match_naive_resampling_when_every_unit_differs() -> None:
    # Nearly one pattern per unit (continuous values): the other path draws the units themselves.
    rng = random.Random(5)
    truth = [rng.uniform(0, 100) for _ in range(80)]
    data = from_matrix([[round(t + rng.gauss(0, 15), 1) for t in truth] for _ in range(3)])
    assert len(data.patterns) * 6 > data.n_units
    fast = bootstrap_alpha(data, "interval", 1000, seed=3)
    naive = _naive_bootstrap(data, "interval", 1000, seed=4)
    assert statistics.mean(fast.estimates) == pytest.approx(statistics.mean(naive), abs=0.01)
    assert statistics.stdev(fast.estimates) == pytest.approx(statistics.stdev(naive), rel=0.15)


def test_progress_is_reported_and_can_cancel() -> None:
    data = from_matrix(K2011_C)
    seen: list[tuple[int, int]] = []
    bootstrap_alpha(data, "nominal", 300, seed=1, progress=lambda done, total: seen.append((done, total)) or True)
    assert seen[-1] == (300, 300)
    assert [done for done, _ in seen] == sorted({done for done, _ in seen})
    with pytest.raises(BootstrapCancelled, match="after 30 of 3000"):
        bootstrap_alpha(data, "nominal", 3000, seed=1, progress=lambda done, _total: done < 30)


def test_no_interval_when_alpha_is_undefined() -> None:
    result = bootstrap_alpha(from_matrix([[0, 0, 0], [0, 0, 0]]), "nominal", 100, seed=1)
    assert result.alpha.value is None
    assert (result.ci_low, result.ci_high) == (None, None)
    assert result.reason.startswith("no interval: alpha is undefined")


def test_resamples_without_variation_are_left_out_and_counted() -> None:
    # A rare code: many resamples contain no "present" value at all, so alpha* is undefined there.
    data = from_matrix([[1] + [0] * 9, [1] + [0] * 9])
    result = bootstrap_alpha(data, "nominal", 1000, seed=2)
    assert result.n_undefined > 0
    assert len(result.estimates) == 1000 - result.n_undefined
    assert set(result.estimates) == {1.0}


def test_percentile_interval_uses_nearest_ranks() -> None:
    estimates = [float(i) for i in range(1, 2001)]
    assert percentile_interval(estimates, 0.95) == (50.0, 1950.0)
    assert percentile_interval(estimates, 0.90) == (100.0, 1900.0)
    assert percentile_interval([0.5], 0.95) == (0.5, 0.5)


@pytest.mark.parametrize(("n", "p"), [(30, 0.1), (30, 0.7), (200, 0.3), (10_000, 0.25), (10_000, 0.0004)])
def test_binomial_draws_have_the_right_mean_and_variance(n: int, p: float) -> None:
    rng = random.Random(n)
    draws = [binomial(rng, n, p) for _ in range(20_000)]
    assert all(0 <= d <= n for d in draws)
    sd = math.sqrt(n * p * (1 - p))
    assert statistics.mean(draws) == pytest.approx(n * p, abs=5 * sd / math.sqrt(len(draws)))
    assert statistics.pstdev(draws) == pytest.approx(sd, rel=0.03)


@pytest.mark.parametrize(("n", "p"), [(12, 0.3), (60, 0.4)])
def test_binomial_draws_follow_the_probability_mass_function(n: int, p: float) -> None:
    rng = random.Random(1)
    draws = 40_000
    counts = Counter(binomial(rng, n, p) for _ in range(draws))
    for k in range(n + 1):
        expected = draws * math.comb(n, k) * p**k * (1 - p) ** (n - k)
        if expected >= 20:
            assert counts[k] == pytest.approx(expected, abs=5 * math.sqrt(expected))


def test_multinomial_keeps_the_total_and_skips_empty_items() -> None:
    rng = random.Random(3)
    for _ in range(200):
        counts = multinomial(rng, 1000, [500, 0, 300, 200])
        assert sum(counts) == 1000
        assert counts[1] == 0
    totals = [sum(multinomial(rng, 1000, [500, 0, 300, 200])[0] for _ in range(2000)) / 2000]
    assert totals[0] == pytest.approx(500, abs=3)
