"""The reliability report as CSV (one row per code or variable and statistic), the pairwise coder matrix and
the summary per coding round and codebook version. An undefined statistic is the missing-value token with
its reason beside it, never 1 or 0.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from archive.agreement.report import ProjectAgreement, agreement_job
from archive.export.context import ExportContext
from archive.export.files import Cell
from archive.jobs import JobProgress

REPORT_COLUMNS = (
    "variable",
    "kind",
    "level_of_measurement",
    "statistic",
    "definition",
    "value",
    "ci_low",
    "ci_high",
    "ci_level",
    "ci_method",
    "B",
    "seed",
    "q_below_.800",
    "q_below_.667",
    "n_units",
    "n_units_pairable",
    "n_coders",
    "n_pairable_values",
    "prevalence",
    "pct_agreement_pairwise",
    "pct_agreement_all",
    "n_both",
    "n_neither",
    "n_only_A",
    "n_only_B",
    "undefined_reason",
    "codebook",
    "codebook_version",
    "sample",
    "selected_codebook_version",
    "software",
    "generated_at",
)
PAIRWISE_COLUMNS = (
    "variable",
    "kind",
    "coder_a",
    "coder_b",
    "n_units",
    "krippendorff_alpha",
    "cohen_kappa",
    "percent_agreement",
    "prevalence",
    "n_both",
    "n_neither",
    "n_only_A",
    "n_only_B",
    "undefined_reason",
)
ROUND_COLUMNS = (
    "sample",
    "codebook_version",
    "n_posts",
    "coders",
    "n_variables",
    "n_defined",
    "alpha_min",
    "alpha_median",
    "n_at_least_0.800",
    "n_at_least_0.667",
    "undefined",
)


def _agreement(ctx: ExportContext, **kwargs: Any) -> Generator[JobProgress, None, ProjectAgreement]:
    options = ctx.options
    job = agreement_job(ctx.conn, options.selection(2), cancel=ctx.cancel, **kwargs)
    return (yield from job)


def write_report(ctx: ExportContext) -> Generator[JobProgress, None, None]:
    options = ctx.options
    result = yield from _agreement(ctx, bootstrap=options.bootstrap, seed=options.seed, pairwise=False, rounds=False)
    if result.cancelled:
        return
    report = result.report
    out = ctx.outputs.csv(ctx.path)
    out.header(REPORT_COLUMNS)
    tail = _provenance(report)
    for name, entry in report["variables"].items():
        for statistic, definition in entry["definitions"].items():
            out.row([name, entry["kind"], entry["level"], statistic, definition, *_value(entry, statistic), *tail])
    yield JobProgress(f"writing {ctx.path.name}", 1, 1)


def _value(entry: dict[str, Any], statistic: str) -> list[Cell]:
    raw = entry[statistic]
    boot = raw if isinstance(raw, dict) else {}
    value = boot.get("value") if boot else raw
    counts = entry["counts"] or {}
    return [
        value,
        boot.get("ci_low"),
        boot.get("ci_high"),
        boot.get("ci_level"),
        boot.get("method"),
        boot.get("resamples"),
        boot.get("seed"),
        boot.get("q_below_0.800"),
        boot.get("q_below_0.667"),
        entry["n_units"],
        entry["n_units_pairable"],
        entry["n_coders"],
        entry["n_pairable_values"],
        entry["prevalence"],
        entry["percent_agreement"],
        entry["percent_agreement_all_agree"],
        counts.get("both"),
        counts.get("neither"),
        counts.get("only_a"),
        counts.get("only_b"),
        entry["undefined"].get(statistic) or boot.get("interval_reason"),
    ]


def _provenance(report: dict[str, Any]) -> list[Cell]:
    codebook, selected = report["codebook"], report["filter"]
    return [
        codebook["name"],
        codebook["version"],
        selected["sample"],
        selected["codebook_version"],
        report["software"],
        report["generated_at"],
    ]


def write_pairwise(ctx: ExportContext) -> Generator[JobProgress, None, None]:
    result = yield from _agreement(ctx, pairwise=True, rounds=False)
    if result.cancelled:
        return
    kinds = {name: entry["kind"] for name, entry in result.report["variables"].items()}
    out = ctx.outputs.csv(ctx.path)
    out.header(PAIRWISE_COLUMNS)
    for pair in result.report["pairwise"]:
        for name, entry in pair["variables"].items():
            counts = entry["counts"] or {}
            reasons = "; ".join(f"{k}: {v}" for k, v in entry["undefined"].items()) or None
            out.row(
                [
                    name,
                    kinds[name],
                    pair["coder_a"],
                    pair["coder_b"],
                    entry["n_units"],
                    entry["krippendorff_alpha"],
                    entry["cohen_kappa"],
                    entry["percent_agreement"],
                    entry["prevalence"],
                    counts.get("both"),
                    counts.get("neither"),
                    counts.get("only_a"),
                    counts.get("only_b"),
                    reasons,
                ]
            )
    yield JobProgress(f"writing {ctx.path.name}", 1, 1)


def write_rounds(ctx: ExportContext) -> Generator[JobProgress, None, None]:
    result = yield from _agreement(ctx, pairwise=False, rounds=True)
    if result.cancelled:
        return
    out = ctx.outputs.csv(ctx.path)
    out.header(ROUND_COLUMNS)
    for entry in result.report["rounds"]:
        out.row(
            [
                entry["sample"],
                entry["codebook_version"],
                entry["n_posts"],
                " ".join(entry["coders"]),
                entry["n_variables"],
                entry["n_defined"],
                entry["alpha_min"],
                entry["alpha_median"],
                entry["n_at_least_0.800"],
                entry["n_at_least_0.667"],
                "; ".join(entry["undefined"]) or None,
            ]
        )
    yield JobProgress(f"writing {ctx.path.name}", 1, 1)
