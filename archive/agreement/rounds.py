"""Summaries over the codebook: alpha's spread across codes, per coding round and codebook version.

A coding round is a sample drawn for double coding (draw one per round); "all posts" is listed too. Within
each, the work is split by the codebook version it was done under, so a revised codebook can be compared
with the one before it.
"""

from __future__ import annotations

import sqlite3
import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from archive.agreement.selection import Selection, select
from archive.agreement.tables import build_tables
from archive.agreement.targets import Target
from archive.coding.samples import list_samples
from archive.reliability.alpha import krippendorff_alpha

THRESHOLDS = (0.800, 0.667)  # Krippendorff: conclusions, and tentative conclusions only


def summarise(alphas: Mapping[str, float | None]) -> dict[str, Any]:
    """Min and median alpha over the codes and variables, and how many reach .800 and .667."""
    defined = sorted(value for value in alphas.values() if value is not None)
    summary: dict[str, Any] = {
        "n_variables": len(alphas),
        "n_defined": len(defined),
        "alpha_min": defined[0] if defined else None,
        "alpha_median": statistics.median(defined) if defined else None,
    }
    for threshold in THRESHOLDS:
        summary[f"n_at_least_{threshold:.3f}"] = sum(1 for value in defined if value >= threshold)
    summary["undefined"] = [name for name, value in alphas.items() if value is None]
    return summary


def rounds_summary(conn: sqlite3.Connection, targets: Sequence[Target], min_coders: int = 2) -> list[dict[str, Any]]:
    """One entry per (round, codebook version) with posts completed by ``min_coders`` or more coders."""
    entries: list[dict[str, Any]] = []
    for sample in [None, *(s.name for s in list_samples(conn))]:
        with select(conn, Selection(sample, None, min_coders)) as cells:
            versions = cells.versions()
        for version in versions:
            entry = _round(conn, targets, Selection(sample, version, min_coders))
            if entry["n_posts"]:
                entries.append(entry)
    return entries


def _round(conn: sqlite3.Connection, targets: Sequence[Target], selection: Selection) -> dict[str, Any]:
    with select(conn, selection) as cells:
        tables = build_tables(cells, targets)
    alphas = {name: krippendorff_alpha(data).as_float() for name, data in tables.tables.items()}
    return {
        "sample": selection.sample,
        "codebook_version": selection.codebook_version,
        "n_posts": tables.n_posts,
        "coders": list(tables.coders),
        **summarise(alphas),
        "alpha": alphas,
    }
