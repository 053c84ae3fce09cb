"""``threadcoder agreement``: inter-coder reliability of a long CSV as a table or as JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from archive.errors import ThreadcoderError
from archive.reliability import LEVELS, Level, load_long_csv, report_tables
from archive.reliability.bootstrap import Progress

NOT_AVAILABLE = "agreement on a project's own codings needs the coding features (not available yet)"

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
@click.option("--level", type=click.Choice(LEVELS), required=True, help="Level of measurement for alpha.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--bootstrap", type=click.IntRange(min=1), metavar="N", help="Bootstrap alpha with N resamples.")
@click.option("--seed", type=int, help="Seed of the bootstrap (recorded in the output; random if omitted).")
@click.option(
    "--categories",
    multiple=True,
    metavar="VARIABLE=Q",
    help="Codebook category count of a variable, for AC1 and Brennan-Prediger (default: observed).",
)
def agreement_command(
    project: Path | None,
    csv_path: Path | None,
    level: Level,
    as_json: bool,
    bootstrap: int | None,
    seed: int | None,
    categories: tuple[str, ...],
) -> None:
    """Inter-coder agreement per variable: Krippendorff's alpha, Cohen, Scott, Fleiss, AC1, BP, % agreement.

    Reads the codings from --from-csv. Undefined statistics are shown as such, never as 1.
    """
    try:
        if csv_path is None:
            raise ThreadcoderError(NOT_AVAILABLE if project is not None else "give the codings with --from-csv FILE")
        if project is not None:
            raise ThreadcoderError("give either PROJECT or --from-csv FILE, not both")
        if seed is not None and bootstrap is None:
            raise ThreadcoderError("--seed only applies together with --bootstrap N")
        tables = load_long_csv(csv_path)
        if not tables:
            raise ThreadcoderError(f"{csv_path}: no codings found (only a header)")
        with _progress(bootstrap, len(tables)) as progress:
            report = report_tables(
                tables, level, bootstrap=bootstrap, seed=seed, categories=_categories(categories), progress=progress
            )
    except ThreadcoderError as error:
        click.echo(f"threadcoder: {error}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(format_table(report, level, csv_path))


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
