"""The agreement report: every statistic per variable as a JSON-ready dict, definitions and reasons named."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any

from archive.reliability.alpha import definition as alpha_definition
from archive.reliability.alpha import krippendorff_alpha
from archive.reliability.binary import binary_counts, prevalence
from archive.reliability.bootstrap import BootstrapResult, Progress, bootstrap_alpha
from archive.reliability.brennan_prediger import brennan_prediger
from archive.reliability.cohen import Weights, cohen_kappa
from archive.reliability.cohen import definition as cohen_definition
from archive.reliability.coincidence import pairable_margins
from archive.reliability.data import LongRow, ReliabilityData, from_long
from archive.reliability.errors import ReliabilityInputError
from archive.reliability.fleiss import fleiss_kappa
from archive.reliability.gwet import gwet_ac1
from archive.reliability.metrics import Level
from archive.reliability.notes import bootstrap_warnings, no_variation_flags, text_warnings, unit_rules
from archive.reliability.percent import all_agree, coder_pairs, percent_agreement
from archive.reliability.result import AgreementResult, undefined
from archive.reliability.scott import scott_pi
from archive.reliability.values import same_numbers

Entry = dict[str, Any]


def agreement_report(
    long_rows: Iterable[LongRow],
    level: Level = "nominal",
    *,
    bootstrap: int | None = None,
    seed: int | None = None,
    categories: Mapping[str, int] | None = None,
    progress: Progress | None = None,
) -> dict[str, Entry]:
    """Per variable: alpha, Cohen, Scott, Fleiss, AC1, Brennan-Prediger, percent agreement and counts.

    A statistic is a float, None where undefined or not applicable (the reason is under "undefined"),
    or, for alpha with ``bootstrap`` resamples, an object with its value, interval, q and seed.
    ``categories`` gives a variable's codebook category count for AC1 and Brennan-Prediger.
    """
    tables = from_long(long_rows, numeric_identity=level != "nominal")
    return report_tables(tables, level, bootstrap=bootstrap, seed=seed, categories=categories, progress=progress)


def report_tables(
    tables: Mapping[str, ReliabilityData],
    level: Level = "nominal",
    *,
    bootstrap: int | None = None,
    seed: int | None = None,
    categories: Mapping[str, int] | None = None,
    progress: Progress | None = None,
) -> dict[str, Entry]:
    """The report for tables already grouped per variable (see agreement_report).

    The labels are taken to come from text (a CSV, other software), so the report warns where they look
    like another tool's writing: "2" beside "2.0" at the nominal level.
    """
    if bootstrap is not None and seed is None:
        seed = random.SystemRandom().randrange(2**32)  # drawn once and recorded in every alpha object
    report: dict[str, Entry] = {}
    for index, (name, data) in enumerate(tables.items()):
        step = _overall(progress, index, len(tables), bootstrap or 0)
        q = (categories or {}).get(name)
        report[name] = variable_entry(
            data, level, bootstrap=bootstrap, seed=seed, categories=q, progress=step, from_text=True
        )
    return report


def _overall(progress: Progress | None, index: int, count: int, resamples: int) -> Progress | None:
    # One variable's progress as a share of the whole report's resamples.
    if progress is None:
        return None
    report_progress = progress
    return lambda done, _total: report_progress(index * resamples + done, count * resamples)


def variable_entry(
    data: ReliabilityData,
    level: Level,
    *,
    bootstrap: int | None = None,
    seed: int | None = None,
    categories: int | None = None,
    progress: Progress | None = None,
    from_text: bool = False,
) -> Entry:
    """One variable's statistics, sizes, definitions and the reasons for any that are undefined.

    At a numeric level every statistic sees labels equal as numbers as one value ("2" and "2.0"), as
    alpha does; nominal labels are compared as written (``from_text`` adds a warning where that splits
    one number written two ways).
    """
    if level != "nominal":
        data = same_numbers(data)
    margins, pairable_units = pairable_margins(data)
    entry: Entry = {
        "level": level,
        "n_units": data.n_units,
        "n_units_pairable": pairable_units,
        "n_coders": data.n_coders,
        "n_pairable_values": sum(margins.values()),
    }
    boot: BootstrapResult | None = None
    if bootstrap is not None:
        boot = _guarded_bootstrap(data, level, bootstrap, seed, progress)
        alpha = boot.alpha
    else:
        alpha = _guarded("krippendorff_alpha", alpha_definition(level), lambda: krippendorff_alpha(data, level))
    results = [alpha, *_kappa_family(data, level, categories)]
    for result in results:
        entry[result.statistic] = result.as_float()
    if boot is not None and alpha.value is not None:
        entry["krippendorff_alpha"] = bootstrap_object(boot)
    entry["prevalence"] = _float(prevalence(data))
    entry["counts"] = _counts(data)
    entry["definitions"] = {result.statistic: result.definition for result in results}
    entry["units"] = unit_rules(results, bootstrap=boot is not None and alpha.value is not None)
    entry["undefined"] = {result.statistic: result.reason for result in results if result.reason}
    entry["flags"] = no_variation_flags(data, margins, results)
    entry["warnings"] = [*(text_warnings(data, level) if from_text else []), *bootstrap_warnings(boot)]
    return entry


def _kappa_family(data: ReliabilityData, level: Level, categories: int | None) -> list[AgreementResult]:
    weighted = [] if level == "nominal" else [_weighted(data, "linear"), _weighted(data, "quadratic")]
    return [
        cohen_kappa(data),
        *weighted,
        scott_pi(data),
        fleiss_kappa(data),
        gwet_ac1(data, categories),
        brennan_prediger(data, categories),
        percent_agreement(data),
        all_agree(data),
        coder_pairs(data),
    ]


def _weighted(data: ReliabilityData, weights: Weights) -> AgreementResult:
    # Weighted kappa needs ordered codes, so it is reported for ordinal, interval and ratio data only.
    statistic, name = f"cohen_kappa_{weights}", cohen_definition(weights)
    return _guarded(statistic, name, lambda: cohen_kappa(data, weights))


def _guarded(statistic: str, name: str, compute: Callable[[], AgreementResult]) -> AgreementResult:
    # Labels that do not fit the level (text for interval) make this statistic undefined for this
    # variable, with the reason, instead of failing the whole report.
    try:
        return compute()
    except ReliabilityInputError as exc:
        return undefined(statistic, name, 0, str(exc))


def _guarded_bootstrap(
    data: ReliabilityData, level: Level, resamples: int, seed: int | None, progress: Progress | None
) -> BootstrapResult:
    try:
        return bootstrap_alpha(data, level, resamples, seed, progress=progress)
    except ReliabilityInputError as exc:
        point = undefined("krippendorff_alpha", alpha_definition(level), 0, str(exc))
        return BootstrapResult(point, resamples, seed or 0, 0.95, None, None, reason=str(exc))


def bootstrap_object(boot: BootstrapResult) -> Entry:
    """alpha with its bootstrap interval, q(alpha < .800), q(alpha < .667), B and the seed."""
    shown: Entry = {
        "value": boot.alpha.as_float(),
        "ci_low": boot.ci_low,
        "ci_high": boot.ci_high,
        "ci_level": boot.ci_level,
    }
    for threshold, share in boot.q_below.items():
        shown[f"q_below_{threshold:.3f}"] = share
    shown.update(
        {
            "resamples": boot.resamples,
            "seed": boot.seed,
            "n_undefined_resamples": boot.n_undefined,
            "share_undefined_resamples": boot.share_undefined,
            "method": boot.method,
        }
    )
    if boot.reason:
        shown["interval_reason"] = boot.reason
    return shown


def _counts(data: ReliabilityData) -> Entry | None:
    counts = binary_counts(data)
    if counts is None:
        return None
    return {
        "coder_a": counts.coder_a,
        "coder_b": counts.coder_b,
        "both": counts.both,
        "neither": counts.neither,
        "only_a": counts.only_a,
        "only_b": counts.only_b,
    }


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)
