"""The text tables of ``threadcoder agreement``: a CSV's report, a project's report and multi-valued alpha."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from archive.agreement.report import alpha_value

Entry = dict[str, Any]

# (report key, column heading) of the statistics after alpha; alpha and its interval are laid out separately.
CSV_COLUMNS = [
    ("cohen_kappa", "Cohen"),
    ("scott_pi", "Scott"),
    ("fleiss_kappa", "Fleiss"),
    ("gwet_ac1", "AC1"),
    ("brennan_prediger", "BP"),
    ("percent_agreement", "%agree"),
]
PROJECT_COLUMNS = [("percent_agreement", "%agree"), ("gwet_ac1", "AC1"), ("fleiss_kappa", "Fleiss")]
BOOT_HEADINGS = ["95% CI", "undef.B", "q<.800", "q<.667"]
FLAG = "*"  # marks a value that rests on no paired variation
_SET_SIZES = ("n_units", "n_units_pairable", "n_coders", "n_labels", "max_set_size")


def format_table(report: dict[str, Entry], level: str, source: Path) -> str:
    """A CSV's report as an aligned text table with the warnings, reasons and definitions underneath."""
    boot = any(isinstance(entry["krippendorff_alpha"], dict) for entry in report.values())
    heading = ["variable", "units", "pairable", "coders", "alpha", *(BOOT_HEADINGS if boot else [])]
    heading += [title for _, title in CSV_COLUMNS]
    rows = [heading]
    for name, entry in report.items():
        cells = [name, str(entry["n_units"]), str(entry["n_units_pairable"]), str(entry["n_coders"])]
        cells += [_shown(alpha_value(entry), entry, "krippendorff_alpha"), *(_interval(entry) if boot else [])]
        rows.append(cells + [_shown(entry[key], entry, key) for key, _ in CSV_COLUMNS])
    lines = [f"Agreement in {source} (level: {level}; {len(report)} variable(s))", "", *_aligned(rows)]
    lines += _notes(report, CSV_COLUMNS)
    first = next(iter(report.values()))["definitions"]
    lines += [
        f"alpha: {first['krippendorff_alpha']}.",
        f"Cohen: {first['cohen_kappa']}.",
        f"Scott: {first['scott_pi']}.",
        f"Fleiss: {first['fleiss_kappa']}.",
        "AC1, BP: Gwet's AC1 and Brennan-Prediger in Gwet's definition (pairwise p_a, p_e = 1/q), with q the"
        " categories observed in the variable unless --categories gives the codebook's.",
        f"%agree: {first['percent_agreement']}.",
    ]
    lines += _units(report, [("krippendorff_alpha", "alpha"), *CSV_COLUMNS])
    if boot:
        alpha = next(e["krippendorff_alpha"] for e in report.values() if isinstance(e["krippendorff_alpha"], dict))
        lines += _boot_lines(alpha["method"], alpha["resamples"], alpha["seed"])
    return "\n".join(lines)


def format_project_table(report: Entry) -> str:
    """A project's report as text: per code and variable, the summary, the pairwise matrix and the rounds."""
    coders, chosen, variables = report["coders"], report["filter"], report["variables"]
    where = f", sample {chosen['sample']}" if chosen["sample"] else ""
    if chosen["codebook_version"] is not None:
        where += f", codebook version {chosen['codebook_version']}"
    lines = [
        f"Agreement in {report['project']} ({report['codebook']['citation']}{where}): {report['n_posts']} posts "
        f"completed by 2+ coders; coders: {', '.join(coders) or 'none'}",
        "",
    ]
    boot = report["bootstrap"] is not None
    heading = ["variable", "kind", "posts", "coders", "alpha", *(BOOT_HEADINGS if boot else [])]
    heading += ["%agree", "prev.", "both", "neither", "only A", "only B", "AC1", "Fleiss"]
    rows = [heading] + [_project_row(name, entry, boot) for name, entry in variables.items()]
    whole = report.get("multi_valued_alpha")
    if whole is not None:  # one whole-codebook row; the other columns are per-code statistics
        rows.append([whole["variable"], "mv-alpha", str(whole["n_units"]), str(whole["n_coders"]), _mv_shown(whole)])
        rows[-1] += ["-"] * (len(heading) - len(rows[-1]))
    lines += _aligned(rows)
    if len(coders) == 2:
        lines.append(f"Counts: A = {coders[0]}, B = {coders[1]}.")
    elif len(coders) > 2:
        lines.append("Counts need two coders: see each pair below (--json has every pair's counts).")
    lines += _summary_lines(report)
    extra = [f"  {whole['variable']}: multi_valued_alpha: {whole['reason']}"] if whole and whole["reason"] else []
    lines += _notes(variables, PROJECT_COLUMNS, extra) if variables else _titled("Undefined", extra)
    lines.append("%agree: percent agreement, pairwise within unit. prev.: share of values that are 'present'.")
    if variables:
        lines += _units(variables, [("krippendorff_alpha", "alpha"), *PROJECT_COLUMNS])
    if boot:
        settings = report["bootstrap"]
        lines += _boot_lines(settings["method"], settings["resamples"], settings["seed"])
    if whole is not None:
        lines.append(
            "mv-alpha (experimental, no interval): Krippendorff & Craggs' multi-valued alpha over the set of "
            "codes each coder applied to each post ({} when none); --json gives its definition."
        )
    return "\n".join(lines)


def format_sets_table(report: dict[str, Entry], source: Path) -> str:
    """Multi-valued alpha per variable of a CSV as a text table, with the reasons and the definition underneath."""
    heading = ["variable", "units", "pairable", "coders", "labels", "max set", "mv-alpha"]
    rows = [heading] + [
        [name, *(str(entry[key]) for key in _SET_SIZES), _mv_shown(entry)] for name, entry in report.items()
    ]
    lines = [f"Multi-valued alpha (experimental) in {source} ({len(report)} variable(s))", "", *_aligned(rows)]
    notes = [f"  {name}: {entry['reason']}" for name, entry in report.items() if entry["reason"]]
    lines += ["", "Undefined (never reported as 1):", *notes] if notes else []
    lines += ["", f"mv-alpha: {next(iter(report.values()))['definition']}."]
    return "\n".join(lines)


def _project_row(name: str, entry: Entry, boot: bool) -> list[str]:
    cells = [name, entry["kind"], str(entry["n_units"]), str(entry["n_coders"])]
    cells += [_shown(alpha_value(entry), entry, "krippendorff_alpha"), *(_interval(entry) if boot else [])]
    cells.append(_shown(entry["percent_agreement"], entry, "percent_agreement"))
    cells.append("-" if entry["prevalence"] is None else f"{entry['prevalence']:.3f}")
    counts = entry["counts"] or {}
    cells += [str(counts.get(key, "-")) for key in ("both", "neither", "only_a", "only_b")]
    cells += [_shown(entry[key], entry, key) for key in ("gwet_ac1", "fleiss_kappa")]
    return cells


def _interval(entry: Entry) -> list[str]:
    # The share of resamples without an alpha sits beside the interval: they are not in it.
    alpha = entry["krippendorff_alpha"]
    if not isinstance(alpha, dict) or alpha["ci_low"] is None:
        return ["-", "-", "-", "-"]
    return [
        f"[{alpha['ci_low']:.3f}, {alpha['ci_high']:.3f}]",
        f"{alpha['share_undefined_resamples']:.1%}",
        f"{alpha['q_below_0.800']:.3f}",
        f"{alpha['q_below_0.667']:.3f}",
    ]


def _shown(value: float | None, entry: Entry, key: str) -> str:
    if value is not None:
        return f"{value:.3f}{FLAG if key in entry['flags'] else ''}"
    return "n/a" if entry["undefined"].get(key, "").startswith("not applicable") else "undef."


def _mv_shown(entry: Entry) -> str:
    return "undef." if entry["value"] is None else f"{entry['value']:.3f}"


def _aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]


def _titled(title: str, lines: list[str]) -> list[str]:
    return ["", f"{title}:", *lines] if lines else []


def _notes(report: dict[str, Entry], columns: Sequence[tuple[str, str]], extra: Iterable[str] = ()) -> list[str]:
    """Warnings, undefined reasons, flagged values and the n/a footnote, each only when it applies."""
    shown = {"krippendorff_alpha", *(key for key, _ in columns)}
    titles = {"krippendorff_alpha": "alpha", **dict(columns)}
    warnings = [f"  {name}: {warning}" for name, entry in report.items() for warning in entry["warnings"]]
    undefined = [
        f"  {name}: {key}: {reason}"
        for name, entry in report.items()
        for key, reason in entry["undefined"].items()
        if not reason.startswith("not applicable")
    ]
    flagged = []
    for name, entry in report.items():
        keys = [key for key in entry["flags"] if key in shown]
        if keys:
            note = entry["flags"][keys[0]].removeprefix("rests on no paired variation: ")
            flagged.append(f"  {name}: {', '.join(titles[k] for k in keys)}: {note}")
    lines = _titled("Warnings", warnings) + _titled("Undefined (never reported as 1)", [*undefined, *extra])
    lines += _titled(f"{FLAG} Rests on no paired variation (true to its formula, no evidence of reliability)", flagged)
    not_applicable = any(
        entry["undefined"].get(key, "").startswith("not applicable") for entry in report.values() for key in shown
    )
    lines.append("")
    if not_applicable:
        lines.append("n/a: not applicable (Cohen's kappa and Scott's pi need exactly 2 coders).")
    return lines


def _units(report: dict[str, Entry], columns: Sequence[tuple[str, str]]) -> list[str]:
    """Beside each statistic, the units it is computed on (the same rule for every variable)."""
    rules = next(iter(report.values()))["units"]
    width = max(len(title) for _, title in columns)
    lines = [f"  {title.ljust(width)}  {rules[key]['rule']}" for key, title in columns]
    return ["", "Units each statistic uses:", *lines]


def _boot_lines(method: str, resamples: int, seed: int) -> list[str]:
    return [
        f"CI: {method}; B = {resamples}, seed = {seed}.",
        "undef.B: share of the resamples in which alpha was undefined; they are left out of the CI and q.",
    ]


def _summary_lines(report: Entry) -> list[str]:
    lines = ["", _summary_text("Summary", report["summary"])]
    if report["pairwise"]:
        lines += ["", "Pairwise (median alpha over codes and variables; posts both completed):"]
        for pair in report["pairwise"]:
            median = "undef." if pair["alpha_median"] is None else f"{pair['alpha_median']:.3f}"
            lines.append(f"  {pair['coder_a']} / {pair['coder_b']}: {median} ({pair['n_posts']} posts)")
    if report["rounds"]:
        lines += ["", "Per coding round (sample) and codebook version:"]
        for entry in report["rounds"]:
            name = entry["sample"] or "all posts"
            title = f"  {name}, version {entry['codebook_version']}, {entry['n_posts']} posts"
            lines.append(_summary_text(title, entry))
    return lines


def _summary_text(title: str, summary: Entry) -> str:
    if not summary["n_defined"]:
        return f"{title}: alpha undefined for every code and variable"
    return (
        f"{title}: alpha min {summary['alpha_min']:.3f}, median {summary['alpha_median']:.3f}; "
        f"{summary['n_at_least_0.800']} of {summary['n_variables']} at or above .800, "
        f"{summary['n_at_least_0.667']} at or above .667"
    )
