"""The pairwise coder matrix: every pair of coders on the posts both completed, per code and variable.

ReCal3 shows all pairwise kappas "to root out rogue coders"; with three or more coders this is also where
the both / neither / only-A / only-B counts of each code live, since those are defined for two coders.
"""

from __future__ import annotations

import statistics
from fractions import Fraction
from itertools import combinations
from typing import Any

from archive.agreement.tables import ProjectTables, pair_table
from archive.reliability.alpha import krippendorff_alpha
from archive.reliability.binary import binary_counts, prevalence
from archive.reliability.cohen import cohen_kappa
from archive.reliability.coincidence import pairable_margins
from archive.reliability.data import MISSING, ReliabilityData
from archive.reliability.notes import no_variation_flags
from archive.reliability.percent import percent_agreement

Entry = dict[str, Any]


def pairwise_matrix(tables: ProjectTables) -> list[Entry]:
    """One entry per coder pair: shared posts, median alpha, mean agreement and the per-target figures."""
    matrix: list[Entry] = []
    first_table = next(iter(tables.tables.values()), None)
    for (i, a), (j, b) in combinations(enumerate(tables.coders), 2):
        per_target = {name: pair_entry(pair_table(data, i, j)) for name, data in tables.tables.items()}
        alphas = [e["krippendorff_alpha"] for e in per_target.values() if e["krippendorff_alpha"] is not None]
        agreements = [e["percent_agreement"] for e in per_target.values() if e["percent_agreement"] is not None]
        matrix.append(
            {
                "coder_a": a,
                "coder_b": b,
                "n_posts": _shared(first_table, i, j),
                "alpha_median": statistics.median(alphas) if alphas else None,
                "n_alpha_defined": len(alphas),
                "percent_agreement_mean": statistics.fmean(agreements) if agreements else None,
                "variables": per_target,
            }
        )
    return matrix


def pair_entry(data: ReliabilityData) -> Entry:
    """alpha, Cohen's kappa, raw agreement, prevalence and the 2x2 counts of two coders on one target.

    Where the two coders gave one value throughout, alpha and kappa are undefined and the agreement of 1
    is flagged, as in the report's per-target entries.
    """
    alpha, kappa, agreement = krippendorff_alpha(data), cohen_kappa(data), percent_agreement(data)
    results = (alpha, kappa, agreement)
    counts = binary_counts(data)
    entry: Entry = {
        "n_units": data.n_units,
        "krippendorff_alpha": alpha.as_float(),
        "cohen_kappa": kappa.as_float(),
        "percent_agreement": agreement.as_float(),
        "prevalence": _float(prevalence(data)),
        "counts": None,
        "undefined": {r.statistic: r.reason for r in results if r.reason},
        "flags": no_variation_flags(data, pairable_margins(data)[0], results),
    }
    if counts is not None:
        entry["counts"] = {
            "both": counts.both,
            "neither": counts.neither,
            "only_a": counts.only_a,
            "only_b": counts.only_b,
        }
    return entry


def _shared(data: ReliabilityData | None, i: int, j: int) -> int:
    # Completion is per post, so every target has the same missing cells: one table tells them all.
    if data is None:
        return 0
    return sum(1 for row in data.rows if row[i] != MISSING and row[j] != MISSING)


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)
