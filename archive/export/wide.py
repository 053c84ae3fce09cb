"""Per-variable matrices: units x coders (R irr, irrCAC, SPSS KALPHA, Stata kappaetc, Excel) and the
transposed coders x units (Python krippendorff, R irr::kripp.alpha, Stata kalpha).

With ``variable`` set, that one code or variable goes to the file given; otherwise the path is a folder
and every code and variable gets its own file, ``<name>__units_x_coders.csv`` or ``__coders_x_units.csv``.
A missing cell (the coder did not complete the post) is the missing-value token, never 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from archive.agreement.selection import select
from archive.agreement.tables import ProjectTables, build_tables
from archive.agreement.targets import Target, find_target, list_targets
from archive.export.context import ExportContext
from archive.export.files import CODERS_X_UNITS, UNITS_X_CODERS, file_names, folder
from archive.jobs import JobProgress
from archive.reliability.data import ReliabilityData


def chosen_targets(ctx: ExportContext) -> list[Target]:
    """The one code or variable asked for, or every one."""
    if ctx.options.variable is not None:
        return [find_target(ctx.conn, ctx.options.variable)]
    return list_targets(ctx.conn)


def read_tables(ctx: ExportContext, targets: list[Target], default_min_coders: int = 2) -> ProjectTables:
    """The units x coders tables of the export's selection."""
    with select(ctx.conn, ctx.options.selection(default_min_coders)) as cells:
        return build_tables(cells, targets)


def target_paths(ctx: ExportContext, targets: list[Target], ending: str) -> dict[str, Path]:
    """Where each target's file goes: the path itself for one chosen variable, else files in a folder."""
    if ctx.options.variable is not None:
        return {targets[0].name: ctx.path}
    base = folder(ctx.path)
    return {name: base / file for name, file in file_names([t.name for t in targets], ending).items()}


def write_units_x_coders(ctx: ExportContext) -> Iterator[JobProgress]:
    targets = chosen_targets(ctx)
    yield JobProgress("reading codings", 0, len(targets))
    tables = read_tables(ctx, targets)
    paths = target_paths(ctx, targets, UNITS_X_CODERS)
    for done, target in enumerate(targets, start=1):
        data = tables.tables[target.name]
        out = ctx.outputs.csv(paths[target.name])
        out.header(["unit_id", *data.coders])
        labels = [*(out.cell(label) for label in data.values), out.cell(None)]  # index -1 (MISSING): the token
        out.prepared(
            [[out.cell(unit), *(labels[cell] for cell in row)] for unit, row in zip(data.units, data.rows, strict=True)]
        )
        yield JobProgress(f"writing {paths[target.name].name}", done, len(targets))


def write_coders_x_units(ctx: ExportContext) -> Iterator[JobProgress]:
    targets = chosen_targets(ctx)
    yield JobProgress("reading codings", 0, len(targets))
    tables = read_tables(ctx, targets)
    paths = target_paths(ctx, targets, CODERS_X_UNITS)
    for done, target in enumerate(targets, start=1):
        data = tables.tables[target.name]
        out = ctx.outputs.csv(paths[target.name])
        out.header(["coder_id", *data.units])
        for coder, labels in zip(data.coders, data.matrix(), strict=True):
            out.row([coder, *labels])
        yield JobProgress(f"writing {paths[target.name].name}", done, len(targets))


def complete_rows(data: ReliabilityData) -> list[tuple[str, tuple[int, ...]]]:
    """The units every coder of the table coded, with their cells."""
    return [(unit, row) for unit, row in zip(data.units, data.rows, strict=True) if min(row, default=0) >= 0]
