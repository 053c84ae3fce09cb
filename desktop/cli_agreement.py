"""``threadcoder agreement``: inter-coder reliability of a project's own codings, or of a long CSV."""

from __future__ import annotations

import json
import sys
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from archive.agreement import JobProgress, Selection, agreement_job
from archive.agreement.report import ProjectAgreement, alpha_value
from archive.errors import ThreadcoderError
from archive.jobs import CancelToken
from archive.reliability import LEVELS, Level, load_long_csv, report_tables
from archive.reliability.bootstrap import Progress
from archive.reliability.multivalued import load_set_csv, multivalued_entry
from archive.store.project import Project
from desktop.interrupts import interrupt_cancels

# What this command said before it could read a project; kept for callers that still import it.
# (report key, column heading); alpha and its interval are laid out separately.
_COLUMNS = [
    ("cohen_kappa", "Cohen"),
    ("scott_pi", "Scott"),
    ("fleiss_kappa", "Fleiss"),
    ("gwet_ac1", "AC1"),
    ("brennan_prediger", "BP"),
    ("percent_agreement", "%agree"),
]


def _categories(entries: tuple[str, ...]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in entries:
        variable, sep, number = entry.rpartition("=")
        if not sep or not variable.strip() or not number.strip().isdigit():
            raise click.BadParameter(f"'{entry}': expected VARIABLE=Q, e.g. sentiment=3", param_hint="--categories")
        counts[variable.strip()] = int(number)
    return counts


@click.command("agreement")
@click.argument("project", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--from-csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Long CSV with columns unit_id,coder_id,variable,value (blank value = not coded).",
)
@click.option("--level", type=click.Choice(LEVELS), help="Level of measurement for alpha (--from-csv; required).")
@click.option("--sample", help="PROJECT: only this sample's posts (a coding round).")
@click.option("--codebook-version", type=int, help="PROJECT: only work done under this codebook version.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--bootstrap", type=click.IntRange(min=1), metavar="N", help="Bootstrap alpha with N resamples.")
@click.option("--seed", type=int, help="Seed of the bootstrap (recorded in the output; random if omitted).")
@click.option(
    "--categories",
    multiple=True,
    metavar="VARIABLE=Q",
    help="--from-csv: codebook category count of a variable, for AC1 and Brennan-Prediger (default: observed).",
)
@click.option(
    "--multi-valued",
    is_flag=True,
    help="Experimental: multi-valued alpha (mvα) on sets of codes. PROJECT: one whole-codebook row over the codes "
    "each coder applied to each post. --from-csv: the rows of one unit, coder and variable form a set (<none>: "
    "no label applies); only mvα is reported.",
)
def agreement_command(
    project: Path | None,
    csv_path: Path | None,
    level: Level | None,
    sample: str | None,
    codebook_version: int | None,
    as_json: bool,
    bootstrap: int | None,
    seed: int | None,
    categories: tuple[str, ...],
    multi_valued: bool,
) -> None:
    """Inter-coder agreement per code and variable: Krippendorff's alpha, Cohen, Scott, Fleiss, AC1, BP, % agreement.

    With PROJECT: the project's own codings, over posts that two or more coders completed ("not coded" is
    missing, never absent), with the pairwise coder matrix and a summary per round and codebook version.
    With --from-csv: codings made elsewhere. Undefined statistics are shown as such, never as 1.
    --multi-valued adds the experimental multi-valued alpha (see docs/reliability.md).
    """
    try:
        if seed is not None and bootstrap is None:
            raise ThreadcoderError("--seed only applies together with --bootstrap N")
        if csv_path is not None:
            if project is not None:
                raise ThreadcoderError("give either PROJECT or --from-csv FILE, not both")
            if sample is not None or codebook_version is not None:
                raise ThreadcoderError("--sample and --codebook-version apply to a PROJECT, not to --from-csv")
            if multi_valued:
                _csv_sets_mode(csv_path, level, as_json, bootstrap, categories)
            else:
                _csv_mode(csv_path, level, as_json, bootstrap, seed, categories)
        elif project is not None:
            if level not in (None, "nominal") or categories:
                raise ThreadcoderError("a project's codes and variables are nominal; --level and --categories "
                                       "apply to --from-csv")  # fmt: skip
            _project_mode(project, Selection(sample, codebook_version), as_json, bootstrap, seed, multi_valued)
        else:
            raise ThreadcoderError("give a PROJECT folder, or give the codings with --from-csv FILE")
    except ThreadcoderError as error:
        click.echo(f"threadcoder: {error}", err=True)
        sys.exit(1)


def _csv_mode(
    csv_path: Path,
    level: Level | None,
    as_json: bool,
    bootstrap: int | None,
    seed: int | None,
    categories: tuple[str, ...],
) -> None:
    if level is None:
        raise ThreadcoderError("--from-csv needs --level nominal|ordinal|interval|ratio")
    tables = load_long_csv(csv_path)
    if not tables:
        raise ThreadcoderError(f"{csv_path}: no codings found (only a header)")
    with _progress(bootstrap, len(tables)) as progress:
        report = report_tables(
            tables, level, bootstrap=bootstrap, seed=seed, categories=_categories(categories), progress=progress
        )
    if as_json:
        document = {"source": str(csv_path), "level": level, "variables": report}
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        click.echo(format_table(report, level, csv_path))


def _csv_sets_mode(
    csv_path: Path, level: Level | None, as_json: bool, bootstrap: int | None, categories: tuple[str, ...]
) -> None:
    if level not in (None, "nominal"):
        raise ThreadcoderError("--multi-valued compares sets of labels, which are nominal: leave out --level")
    if bootstrap is not None or categories:
        raise ThreadcoderError("--bootstrap and --categories do not apply to --multi-valued on a CSV")
    tables = load_set_csv(csv_path)
    if not tables:
        raise ThreadcoderError(f"{csv_path}: no codings found (only a header)")
    report = {name: multivalued_entry(data) for name, data in tables.items()}
    if as_json:
        document = {"source": str(csv_path), "level": "nominal", "multi_valued_alpha": report}
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        click.echo(format_sets_table(report, csv_path))


def format_sets_table(report: dict[str, dict[str, Any]], source: Path) -> str:
    """Multi-valued alpha per variable of a CSV as a text table, with the reasons and the definition underneath."""
    heading = ["variable", "units", "pairable", "coders", "labels", "max set", "mv-alpha"]
    rows = [heading] + [
        [name, *(str(entry[key]) for key in _SET_SIZES), _mv_shown(entry)] for name, entry in report.items()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(heading))]
    lines = [f"Multi-valued alpha (experimental) in {source} ({len(report)} variable(s))", ""]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    notes = [f"  {name}: {entry['reason']}" for name, entry in report.items() if entry["reason"]]
    lines += ["", "Undefined (never reported as 1):", *notes] if notes else []
    lines += ["", f"mv-alpha: {next(iter(report.values()))['definition']}."]
    return "\n".join(lines)


_SET_SIZES = ("n_units", "n_units_pairable", "n_coders", "n_labels", "max_set_size")


def _mv_shown(entry: dict[str, Any]) -> str:
    return "undef." if entry["value"] is None else f"{entry['value']:.3f}"


def _project_mode(
    project: Path, selection: Selection, as_json: bool, bootstrap: int | None, seed: int | None, multi_valued: bool
) -> None:
    cancel = CancelToken()
    with Project(project, writable=False) as opened:
        job = agreement_job(
            opened.db.conn, selection, bootstrap=bootstrap, seed=seed, multi_valued=multi_valued, cancel=cancel
        )
        result = _run(job, cancel)
    if result.cancelled:
        raise ThreadcoderError("interrupted; nothing was computed")
    report = {"project": str(project), **result.report}
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(format_project_table(report))


def _run(job: Generator[JobProgress, None, ProjectAgreement], cancel: CancelToken) -> ProjectAgreement:
    # A progress bar only for a person watching a terminal; Ctrl-C stops at the next step.
    show = sys.stderr.isatty()
    with (
        interrupt_cancels(cancel),
        click.progressbar(length=1, label="Agreement", file=sys.stderr, hidden=not show) as bar,
    ):
        while True:
            try:
                progress = next(job)
            except StopIteration as stop:
                result: ProjectAgreement = stop.value
                return result
            if progress.total:
                bar.length, bar.label = progress.total, progress.stage
                bar.update(progress.done - bar.pos)


@contextmanager
def _progress(bootstrap: int | None, variables: int) -> Iterator[Progress | None]:
    # A progress bar only for a person watching a terminal; pipes and tests get clean output.
    if bootstrap is None or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=bootstrap * variables, label="Bootstrap", file=sys.stderr) as bar:

        def advance(done: int, _total: int) -> bool:
            bar.update(done - bar.pos)
            return True

        yield advance


def format_table(report: dict[str, dict[str, Any]], level: str, source: Path) -> str:
    """The report as an aligned text table with the reasons and definitions underneath."""
    boot = any(isinstance(entry["krippendorff_alpha"], dict) for entry in report.values())
    heading = ["variable", "units", "pairable", "coders", "alpha"]
    heading += ["95% CI", "q<.800", "q<.667"] if boot else []
    heading += [title for _, title in _COLUMNS]
    rows = [heading] + [_row(name, entry, boot) for name, entry in report.items()]
    widths = [max(len(row[i]) for row in rows) for i in range(len(heading))]
    lines = [f"Agreement in {source} (level: {level}; {len(report)} variable(s))", ""]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines += _notes(report, boot)
    return "\n".join(lines)


def _row(name: str, entry: dict[str, Any], boot: bool) -> list[str]:
    alpha = entry["krippendorff_alpha"]
    value = alpha["value"] if isinstance(alpha, dict) else alpha
    cells = [name, str(entry["n_units"]), str(entry["n_units_pairable"]), str(entry["n_coders"])]
    cells.append(_shown(value, entry, "krippendorff_alpha"))
    if boot:
        if isinstance(alpha, dict) and alpha["ci_low"] is not None:
            cells += [f"[{alpha['ci_low']:.3f}, {alpha['ci_high']:.3f}]"]
            cells += [f"{alpha['q_below_0.800']:.3f}", f"{alpha['q_below_0.667']:.3f}"]
        else:
            cells += ["-", "-", "-"]
    cells += [_shown(entry[key], entry, key) for key, _ in _COLUMNS]
    return cells


def _shown(value: float | None, entry: dict[str, Any], key: str) -> str:
    if value is not None:
        return f"{value:.3f}"
    return "n/a" if entry["undefined"].get(key, "").startswith("not applicable") else "undef."


def _notes(report: dict[str, dict[str, Any]], boot: bool) -> list[str]:
    notes = [
        f"  {name}: {key}: {reason}"
        for name, entry in report.items()
        for key, reason in entry["undefined"].items()
        if not reason.startswith("not applicable")
    ]
    lines = ["", "Undefined (never reported as 1):", *notes] if notes else []
    first = next(iter(report.values()))["definitions"]
    lines += [
        "",
        "n/a: not applicable (Cohen's kappa and Scott's pi need exactly 2 coders).",
        f"alpha: {first['krippendorff_alpha']}.",
        f"%agree: {first['percent_agreement']}.",
        f"Fleiss: {first['fleiss_kappa']}.",
        "AC1, BP: Gwet's AC1 and Brennan-Prediger in Gwet's definition (pairwise p_a, p_e = 1/q), with q the"
        " categories observed in the variable unless --categories gives the codebook's.",
    ]
    if boot:
        alpha = next(e["krippendorff_alpha"] for e in report.values() if isinstance(e["krippendorff_alpha"], dict))
        lines.append(f"CI: {alpha['method']}; B = {alpha['resamples']}, seed = {alpha['seed']}.")
    return lines


def format_project_table(report: dict[str, Any]) -> str:
    """A project's report as text: per code and variable, the summary, the pairwise matrix and the rounds."""
    coders = report["coders"]
    chosen = report["filter"]
    where = f", sample {chosen['sample']}" if chosen["sample"] else ""
    if chosen["codebook_version"] is not None:
        where += f", codebook version {chosen['codebook_version']}"
    lines = [
        f"Agreement in {report['project']} ({report['codebook']['citation']}{where}): {report['n_posts']} posts "
        f"completed by 2+ coders; coders: {', '.join(coders) or 'none'}",
        "",
    ]
    boot = report["bootstrap"] is not None
    heading = ["variable", "kind", "posts", "coders", "alpha"] + (["95% CI", "q<.800", "q<.667"] if boot else [])
    heading += ["%agree", "prev.", "both", "neither", "only A", "only B", "AC1", "Fleiss"]
    rows = [heading] + [_project_row(name, entry, boot) for name, entry in report["variables"].items()]
    whole = report.get("multi_valued_alpha")
    if whole is not None:  # one whole-codebook row; the other columns are per-code statistics
        rows.append([whole["variable"], "mv-alpha", str(whole["n_units"]), str(whole["n_coders"]), _mv_shown(whole)])
        rows[-1] += ["-"] * (len(heading) - len(rows[-1]))
    widths = [max(len(row[i]) for row in rows) for i in range(len(heading))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    if len(coders) == 2:
        lines.append(f"Counts: A = {coders[0]}, B = {coders[1]}.")
    elif len(coders) > 2:
        lines.append("Counts need two coders: see each pair below (--json has every pair's counts).")
    lines += _summary_lines(report)
    notes = [f"  {name}: {key}: {reason}" for name, entry in report["variables"].items()
             for key, reason in entry["undefined"].items() if not reason.startswith("not applicable")]  # fmt: skip
    if whole is not None and whole["reason"]:
        notes.append(f"  {whole['variable']}: multi_valued_alpha: {whole['reason']}")
    lines += ["", "Undefined (never reported as 1):", *notes] if notes else []
    if boot:
        lines.append(f"CI: {report['bootstrap']['method']}; B = {report['bootstrap']['resamples']}, "
                     f"seed = {report['bootstrap']['seed']}.")  # fmt: skip
    lines.append("%agree: percent agreement, pairwise within unit. prev.: share of values that are 'present'.")
    if whole is not None:
        lines.append("mv-alpha (experimental, no interval): Krippendorff & Craggs' multi-valued alpha over the set of "
                     "codes each coder applied to each post ({} when none); --json gives its definition.")  # fmt: skip
    return "\n".join(lines)


def _project_row(name: str, entry: dict[str, Any], boot: bool) -> list[str]:
    alpha = entry["krippendorff_alpha"]
    cells = [name, entry["kind"], str(entry["n_units"]), str(entry["n_coders"])]
    cells.append(_shown(alpha_value(entry), entry, "krippendorff_alpha"))
    if boot:
        if isinstance(alpha, dict) and alpha["ci_low"] is not None:
            cells += [f"[{alpha['ci_low']:.3f}, {alpha['ci_high']:.3f}]"]
            cells += [f"{alpha['q_below_0.800']:.3f}", f"{alpha['q_below_0.667']:.3f}"]
        else:
            cells += ["-", "-", "-"]
    cells.append(_shown(entry["percent_agreement"], entry, "percent_agreement"))
    cells.append("-" if entry["prevalence"] is None else f"{entry['prevalence']:.3f}")
    counts = entry["counts"] or {}
    cells += [str(counts.get(key, "-")) for key in ("both", "neither", "only_a", "only_b")]
    cells += [_shown(entry[key], entry, key) for key in ("gwet_ac1", "fleiss_kappa")]
    return cells


def _summary_lines(report: dict[str, Any]) -> list[str]:
    summary = report["summary"]
    lines = ["", _summary_text("Summary", summary)]
    if report["pairwise"]:
        lines += ["", "Pairwise (median alpha over codes and variables; posts both completed):"]
        for pair in report["pairwise"]:
            median = "undef." if pair["alpha_median"] is None else f"{pair['alpha_median']:.3f}"
            lines.append(f"  {pair['coder_a']} / {pair['coder_b']}: {median} ({pair['n_posts']} posts)")
    if report["rounds"]:
        lines += ["", "Per coding round (sample) and codebook version:"]
        for entry in report["rounds"]:
            name = entry["sample"] or "all posts"
            lines.append(
                _summary_text(f"  {name}, version {entry['codebook_version']}, {entry['n_posts']} posts", entry)
            )
    return lines


def _summary_text(title: str, summary: dict[str, Any]) -> str:
    if not summary["n_defined"]:
        return f"{title}: alpha undefined for every code and variable"
    return (
        f"{title}: alpha min {summary['alpha_min']:.3f}, median {summary['alpha_median']:.3f}; "
        f"{summary['n_at_least_0.800']} of {summary['n_variables']} at or above .800, "
        f"{summary['n_at_least_0.667']} at or above .667"
    )
