"""Agreement on a project's own codings, as a job: per code and variable, pairwise, per round and version.

``agreement_job`` is a generator (it yields ``JobProgress`` and honours a ``CancelToken``) so the GUI can run
it off the UI thread; ``project_agreement`` runs it to the end here. Every statistic comes from
``archive.reliability``; this module decides what the units, coders and values are (see ``selection`` and
``targets``) and lays the results out as one JSON-ready report.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Generator
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from archive.agreement.pairwise import pairwise_matrix
from archive.agreement.rounds import rounds_summary, summarise
from archive.agreement.selection import Selection, select
from archive.agreement.tables import ProjectTables, build_tables
from archive.agreement.targets import Target, list_targets
from archive.agreement.whole_codebook import whole_codebook_entry
from archive.coding.codebook import codebook_info
from archive.coding.errors import CodingError
from archive.jobs import CancelToken, JobProgress, cancelled, drain
from archive.reliability.bootstrap import METHOD
from archive.reliability.errors import BootstrapCancelled
from archive.reliability.metrics import Level
from archive.reliability.report import variable_entry
from archive.store.clock import now

LEVEL: Level = "nominal"  # codes are present/absent and variables unordered groups: both are nominal data


@dataclass
class ProjectAgreement:
    """The report (a JSON-ready dict, see docs/export.md) and the tables it was computed on."""

    report: dict[str, Any] = field(default_factory=dict)
    tables: ProjectTables | None = None
    cancelled: bool = False


def software() -> str:
    """The name and version of this software, recorded in reports and exports."""
    try:
        return f"Threadcoder {version('threadcoder')}"
    except PackageNotFoundError:  # a source tree that was never installed
        return "Threadcoder"


def project_agreement(
    conn: sqlite3.Connection,
    selection: Selection | None = None,
    *,
    bootstrap: int | None = None,
    seed: int | None = None,
    pairwise: bool = True,
    rounds: bool = True,
    multi_valued: bool = False,
) -> ProjectAgreement:
    """The whole report, computed on this thread."""
    job = agreement_job(
        conn, selection, bootstrap=bootstrap, seed=seed, pairwise=pairwise, rounds=rounds, multi_valued=multi_valued
    )
    return drain(job)


def agreement_job(
    conn: sqlite3.Connection,
    selection: Selection | None = None,
    *,
    bootstrap: int | None = None,
    seed: int | None = None,
    pairwise: bool = True,
    rounds: bool = True,
    multi_valued: bool = False,
    cancel: CancelToken | None = None,
) -> Generator[JobProgress, None, ProjectAgreement]:
    """Compute the report step by step; a cancelled run returns ``ProjectAgreement(cancelled=True)``.

    With ``bootstrap`` resamples, one seed (``seed``, or one drawn now) serves every code and variable and
    is recorded, so any one of them can be reproduced on its own. With ``multi_valued``, the report also has
    ``multi_valued_alpha``: mvα over the set of codes each coder applied to each post (experimental; no
    bootstrap interval).
    """
    selection = selection or Selection()
    if selection.min_coders < 2:
        raise CodingError("agreement needs posts that at least two coders completed (min_coders >= 2)")
    if bootstrap is not None and seed is None:
        seed = random.SystemRandom().randrange(2**32)
    yield JobProgress("reading codings", 0, 1)
    targets = list_targets(conn)
    with select(conn, selection) as cells:
        tables = build_tables(cells, targets)
    variables: dict[str, Any] = {}
    for index, target in enumerate(targets):
        yield JobProgress("agreement", index, len(targets))
        if cancelled(cancel):
            return ProjectAgreement(cancelled=True)
        try:
            variables[target.name] = _target_entry(tables, target, bootstrap, seed, cancel)
        except BootstrapCancelled:
            return ProjectAgreement(cancelled=True)
    report = _report(conn, selection, tables, variables, bootstrap, seed)
    if multi_valued:
        yield JobProgress("multi-valued alpha (whole codebook)", 0, 1)
        report["multi_valued_alpha"] = whole_codebook_entry(tables)
    if pairwise:
        yield JobProgress("pairwise coder matrix", 0, 1)
        report["pairwise"] = pairwise_matrix(tables)
    if rounds and not cancelled(cancel):
        yield JobProgress("rounds and codebook versions", 0, 1)
        report["rounds"] = rounds_summary(conn, targets, selection.min_coders)
    if cancelled(cancel):
        return ProjectAgreement(cancelled=True)
    return ProjectAgreement(report, tables)


def _target_entry(
    tables: ProjectTables, target: Target, bootstrap: int | None, seed: int | None, cancel: CancelToken | None
) -> dict[str, Any]:
    entry = variable_entry(
        tables.tables[target.name],
        LEVEL,
        bootstrap=bootstrap,
        seed=seed,
        categories=target.categories,
        progress=lambda _done, _total: not cancelled(cancel),
    )
    return {"kind": target.kind, "guid": target.code.guid, "categories": target.categories, **entry}


def _report(
    conn: sqlite3.Connection,
    selection: Selection,
    tables: ProjectTables,
    variables: dict[str, Any],
    bootstrap: int | None,
    seed: int | None,
) -> dict[str, Any]:
    info = codebook_info(conn)
    return {
        "software": software(),
        "generated_at": now(),
        "codebook": {"name": info.name, "version": info.version, "citation": info.citation},
        "filter": selection.describe(),
        "level": LEVEL,
        "n_posts": tables.n_posts,
        "coders": list(tables.coders),
        "bootstrap": None if bootstrap is None else {"resamples": bootstrap, "seed": seed, "method": METHOD},
        "variables": variables,
        "summary": summarise({name: alpha_value(entry) for name, entry in variables.items()}),
        "pairwise": [],
        "rounds": [],
    }


def alpha_value(entry: dict[str, Any]) -> float | None:
    """alpha of one report entry, whether it is a plain number or a bootstrap object."""
    alpha = entry["krippendorff_alpha"]
    value = alpha["value"] if isinstance(alpha, dict) else alpha
    return None if value is None else float(value)
