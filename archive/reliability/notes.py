"""What a report says beside its numbers: the units each statistic uses, values that rest on no paired
variation, and warnings (labels that look like another tool's writing, a bootstrap that lost resamples)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from archive.reliability.bootstrap import UNDEFINED_SHARE_LIMIT, BootstrapResult
from archive.reliability.data import ReliabilityData
from archive.reliability.labels import shown
from archive.reliability.metrics import Level
from archive.reliability.result import AgreementResult
from archive.reliability.values import numeric_twins

LIKELY_MISSING = frozenset({"NA", "N/A", "#N/A", "NaN", "nan", "NULL", "null", "None", "."})
"""Text other software writes for a missing value (R: NA, Excel: #N/A, Stata: .); a category at nominal."""

PAIRABLE = "units coded by 2+ coders"
BOTH = "units coded by both coders"
UNIT_RULES = {
    "krippendorff_alpha": f"{PAIRABLE} (pairable); a unit coded by one coder adds nothing",
    "cohen_kappa": BOTH,
    "cohen_kappa_linear": BOTH,
    "cohen_kappa_quadratic": BOTH,
    "scott_pi": BOTH,
    "fleiss_kappa": f"{PAIRABLE}, for p_a and pi_k",
    "gwet_ac1": f"{PAIRABLE}, for p_a, pi_k and q when observed",
    "brennan_prediger": f"{PAIRABLE}, for p_a and q when observed",
    "percent_agreement": PAIRABLE,
    "percent_agreement_all_agree": PAIRABLE,
    "percent_agreement_coder_pairs": "per coder pair, the units both coded",
}
"""The units each statistic is computed on. None depends on units coded by one coder, so a project's report
(which leaves such posts out) and its long export read back (which keeps them) give the same numbers."""


def unit_rules(results: Sequence[AgreementResult], bootstrap: bool) -> dict[str, dict[str, Any]]:
    """Per statistic, the rule that picks its units and how many units it used."""
    rules: dict[str, dict[str, Any]] = {}
    for result in results:
        rule = UNIT_RULES[result.statistic]
        if bootstrap and result.statistic == "krippendorff_alpha":
            rule += "; the bootstrap resamples these units"
        rules[result.statistic] = {"rule": rule, "n_units": result.n_units}
    return rules


def no_variation_flags(
    data: ReliabilityData, margins: Mapping[int, int], results: Sequence[AgreementResult]
) -> dict[str, str]:
    """Defined values computed where every paired value is the same: true to their formulas, no evidence.

    AC1 and Brennan-Prediger with the codebook's q, and the percent agreements, are 1 when the coders all
    gave one value; alpha, kappa and pi are undefined there. The flag keeps such a 1 from reading as
    reliability next to an undefined alpha.
    """
    if len(margins) != 1:
        return {}
    only = shown(data.values[next(iter(margins))])
    note = f"rests on no paired variation: every value in {PAIRABLE} is {only}"
    return {result.statistic: note for result in results if result.value is not None}


def text_warnings(data: ReliabilityData, level: Level) -> list[str]:
    """What a variable read from text should be checked for: at nominal, NA and numbers written two ways."""
    warnings: list[str] = []
    if level != "nominal":
        return warnings
    for label in data.values:
        if isinstance(label, str) and label in LIKELY_MISSING:
            warnings.append(
                f"the value {label!r} is read as a category at the nominal level, but other software writes it "
                f"for a missing value (R's write.csv writes NA): if it means not coded, give --missing {label}"
            )
    for twins in numeric_twins(data):
        written = " and ".join(shown(label) for label in twins)
        warnings.append(
            f"{written} are one number written differently (pandas writes 2.0 where R writes 2) but two "
            "values at the nominal level: if they are one code, give an ordered --level or write them one way"
        )
    return warnings


def bootstrap_warnings(boot: BootstrapResult | None) -> list[str]:
    """A warning when more than 5% of the resamples had no alpha and so are missing from the interval."""
    if boot is None or boot.share_undefined <= UNDEFINED_SHARE_LIMIT:
        return []
    return [
        f"alpha was undefined in {boot.n_undefined:,} of {boot.resamples:,} bootstrap resamples "
        f"({boot.share_undefined:.1%}; typically a rare code that no resample unit showed): the interval and q "
        "describe only the resamples with a defined alpha and understate the uncertainty"
    ]
