"""Percentile bootstrap interval for alpha by resampling units with replacement, seeded and cancellable."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from archive.reliability.alpha import krippendorff_alpha
from archive.reliability.binomial import multinomial
from archive.reliability.data import Label, ReliabilityData
from archive.reliability.errors import BootstrapCancelled
from archive.reliability.metrics import Level, prepare
from archive.reliability.resample_model import AlphaModel
from archive.reliability.result import AgreementResult

Progress = Callable[[int, int], bool]
"""``progress(done, total)``: return False to cancel (the bootstrap then raises BootstrapCancelled)."""

METHOD = "percentile bootstrap, pairable units resampled with replacement (Efron & Tibshirani)"
THRESHOLDS = (0.800, 0.667)
UNDEFINED_SHARE_LIMIT = 0.05
"""Above this share of resamples without an alpha, a report warns that its interval leaves much out."""


@dataclass(frozen=True)
class BootstrapResult:
    """alpha's point estimate with its interval, q(alpha < threshold), the seed and the resample count."""

    alpha: AgreementResult
    resamples: int
    seed: int
    ci_level: float
    ci_low: float | None
    ci_high: float | None
    q_below: dict[float, float] = field(default_factory=dict)
    n_undefined: int = 0
    method: str = METHOD
    estimates: tuple[float, ...] = ()
    reason: str | None = None

    @property
    def share_undefined(self) -> float:
        """The share of resamples in which alpha was undefined, left out of the interval and of q."""
        return self.n_undefined / self.resamples if self.resamples else 0.0


def bootstrap_alpha(
    data: ReliabilityData,
    level: Level = "nominal",
    resamples: int = 2000,
    seed: int | None = None,
    *,
    order: Sequence[Label] | None = None,
    ci_level: float = 0.95,
    thresholds: Sequence[float] = THRESHOLDS,
    progress: Progress | None = None,
) -> BootstrapResult:
    """Draw ``resamples`` samples of the pairable units; alpha* undefined in a resample is left out.

    Units coded by one coder add nothing to alpha, so they are not resampled either: the interval is
    the same whether or not the data carry them (a project's report drops them, its long export keeps
    them). The seed is recorded in the result (a fresh one is drawn when None), so the run can be repeated.
    """
    if resamples < 1:
        raise ValueError("the bootstrap needs at least one resample")
    if not 0 < ci_level < 1:
        raise ValueError("the confidence level must lie between 0 and 1")
    seed = random.SystemRandom().randrange(2**32) if seed is None else seed
    point = krippendorff_alpha(data, level, order)
    if point.value is None:
        reason = f"no interval: alpha is undefined on the data ({point.reason})"
        return BootstrapResult(point, resamples, seed, ci_level, None, None, reason=reason)
    model = AlphaModel(prepare(data, level, order), level)
    draws = _draw(model, resamples, random.Random(seed), progress)
    estimates = sorted(a for a in draws if a is not None)
    undefined = len(draws) - len(estimates)
    if not estimates:
        reason = "no interval: alpha was undefined in every resample"
        return BootstrapResult(point, resamples, seed, ci_level, None, None, {}, undefined, reason=reason)
    low, high = percentile_interval(estimates, ci_level)
    q_below = {t: sum(a < t for a in estimates) / len(estimates) for t in thresholds}
    return BootstrapResult(point, resamples, seed, ci_level, low, high, q_below, undefined, estimates=tuple(estimates))


def _draw(model: AlphaModel, resamples: int, rng: random.Random, progress: Progress | None) -> list[float | None]:
    sample = _sampler(model, rng)
    step = max(1, resamples // 100)
    draws: list[float | None] = []
    for done in range(1, resamples + 1):
        draws.append(sample())
        if progress is not None and (done % step == 0 or done == resamples) and not progress(done, resamples):
            raise BootstrapCancelled(f"bootstrap cancelled after {done} of {resamples} resamples")
    return draws


def _sampler(model: AlphaModel, rng: random.Random) -> Callable[[], float | None]:
    # Resampling N units with replacement and counting them per pattern is exactly a multinomial
    # draw over the patterns, which costs a few binomial draws when patterns are few (binary codes)
    # instead of N random numbers. With nearly one pattern per unit (continuous values), drawing
    # the units themselves is cheaper. Both give the same distribution.
    n, frequencies = model.n_units, model.frequencies
    if len(frequencies) * 6 <= n:
        return lambda: model.alpha(enumerate(multinomial(rng, n, frequencies)))
    units = [index for index, frequency in enumerate(frequencies) for _ in range(frequency)]
    return lambda: model.alpha_of_draws(rng.choices(units, k=n))


def percentile_interval(estimates: Sequence[float], ci_level: float) -> tuple[float, float]:
    """Nearest-rank percentiles of sorted estimates: the ceil(B(1-l)/2)-th and ceil(B(1+l)/2)-th values."""
    level = Fraction(ci_level).limit_denominator(10**6)  # 0.95 -> 19/20, so 2000 * 1/40 is exactly 50
    count = len(estimates)
    lower = max(1, math.ceil(count * (1 - level) / 2))
    upper = max(1, math.ceil(count * (1 + level) / 2))
    return estimates[lower - 1], estimates[upper - 1]
