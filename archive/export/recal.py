"""Files for Freelon's ReCal: ReCal2 (two coders), ReCal3 (two or more) and ReCal OIR, with their code map.

ReCal takes digits only, no header and no unit ids, so every label becomes an integer written in the
code map (``<stem>_codemap.csv`` or ``recal_codemap.csv``): a code's absent/present is 0/1; a variable's
values are 1, 2, ... in codebook order and "no value applies" (``<none>``) is 0. ReCal2 and ReCal3 allow no
missing cell: only posts completed by every coder in the file are written (the notes count the others).
ReCal OIR marks a missing cell with ``#`` (whatever token was chosen) and drops rows with fewer than two
values, as ReCal does. Files are written without a BOM, which ReCal would reject.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from archive.agreement.tables import pair_table
from archive.agreement.targets import NONE, Target
from archive.export.context import ExportContext
from archive.export.errors import ExportError
from archive.export.files import CODEMAP_COMPANION, FOLDER_CODEMAP, RECAL3, RECAL_OIR, sibling
from archive.export.wide import chosen_targets, complete_rows, read_tables, target_paths
from archive.jobs import JobProgress
from archive.reliability.data import MISSING, Label, ReliabilityData

CODEMAP_COLUMNS = ("file", "columns", "variable", "kind", "label", "code")


def code_map(target: Target) -> dict[Label, int]:
    """The integer ReCal sees for each of the target's labels."""
    if not target.code.exclusive:
        return {0: 0, 1: 1}
    mapping: dict[Label, int] = {value.name: n for n, value in enumerate(target.values, start=1)}
    mapping[NONE] = 0
    return mapping


class _CodeMap:
    """The code map file, filled as the ReCal files are written."""

    def __init__(self, ctx: ExportContext, path: Path) -> None:
        self.out = ctx.outputs.csv(path)
        self.out.header(CODEMAP_COLUMNS)

    def add(self, file: Path, target: Target, columns: str = "") -> None:
        for label, code in code_map(target).items():
            self.out.row((file.name, columns, target.name, target.kind, label, code))


def _codemap_path(ctx: ExportContext) -> Path:
    if ctx.options.variable is not None:
        return sibling(ctx.path, CODEMAP_COMPANION)
    return ctx.path / FOLDER_CODEMAP


def write_recal2(ctx: ExportContext) -> Iterator[JobProgress]:
    """Both coders' columns side by side, one (coder 1, coder 2) pair per code and variable."""
    targets = chosen_targets(ctx)
    yield JobProgress("reading codings", 0, 1)
    tables = read_tables(ctx, targets)
    first, second = _two_coders(ctx, tables.coders)
    pairs = {t.name: pair_table(tables.tables[t.name], first, second) for t in targets}
    units = next(iter(pairs.values())).units if pairs else ()
    left_out = tables.n_posts - len(units)
    if left_out:
        ctx.notes.append(f"ReCal2: {left_out} post(s) not completed by both coders were left out")
    out = ctx.outputs.csv(ctx.path, bom=False)
    codemap = _CodeMap(ctx, sibling(ctx.path, CODEMAP_COMPANION))
    for n, target in enumerate(targets):
        codemap.add(ctx.path, target, f"{2 * n + 1},{2 * n + 2}")
    maps = [code_map(t) for t in targets]
    for u in range(len(units)):
        cells: list[int] = []
        for target, mapping in zip(targets, maps, strict=True):
            data = pairs[target.name]
            cells += [mapping[data.values[c]] for c in data.rows[u]]
        out.row(cells)
    ctx.notes.append(
        f"ReCal2 coders: column 1 of each pair is {tables.coders[first]}, column 2 {tables.coders[second]}"
    )
    yield JobProgress(f"writing {ctx.path.name}", 1, 1)


def _two_coders(ctx: ExportContext, coders: tuple[str, ...]) -> tuple[int, int]:
    chosen = ctx.options.coders
    if not chosen:
        if len(coders) != 2:
            raise ExportError(f"ReCal2 takes two coders and {len(coders)} completed these posts: choose two")
        return 0, 1
    if len(chosen) != 2:
        raise ExportError("ReCal2 takes exactly two coders")
    folded = [c.lower() for c in coders]
    missing = [name for name in chosen if name.lower() not in folded]
    if missing:
        raise ExportError(f"no completed work by {', '.join(missing)} in this selection")
    return folded.index(chosen[0].lower()), folded.index(chosen[1].lower())


def write_recal3(ctx: ExportContext) -> Iterator[JobProgress]:
    """One file per code or variable: one column per coder, posts every coder completed."""
    yield from _per_target(ctx, RECAL3, _recal3_rows, "ReCal3", "not completed by every coder")


def write_recal_oir(ctx: ExportContext) -> Iterator[JobProgress]:
    """One file per code or variable: one column per coder, ``#`` for a missing cell."""
    yield from _per_target(ctx, RECAL_OIR, _oir_rows, "ReCal OIR", "with fewer than two values")


def _per_target(
    ctx: ExportContext,
    ending: str,
    rows_of: Callable[[ReliabilityData], list[tuple[int, ...]]],
    tool: str,
    dropped: str,
) -> Iterator[JobProgress]:
    targets = chosen_targets(ctx)
    yield JobProgress("reading codings", 0, len(targets))
    tables = read_tables(ctx, targets)
    if len(tables.coders) < 2:
        raise ExportError("ReCal needs the work of at least two coders")
    if tool == "ReCal3" and len(tables.coders) == 2:
        ctx.notes.append("only two coders: ReCal2 is the ReCal tool made for two")
    paths = target_paths(ctx, targets, ending)
    codemap = _CodeMap(ctx, _codemap_path(ctx))
    for done, target in enumerate(targets, start=1):
        path = paths[target.name]
        out = ctx.outputs.csv(path, bom=False, missing="#")
        codemap.add(path, target)
        mapping = code_map(target)
        data = tables.tables[target.name]
        rows = rows_of(data)
        for row in rows:
            out.row([None if cell == MISSING else mapping[data.values[cell]] for cell in row])
        if done == 1 and len(rows) < data.n_units:  # completion is per post: the same posts for every target
            ctx.notes.append(f"{tool}: {data.n_units - len(rows)} post(s) {dropped} were left out")
        yield JobProgress(f"writing {path.name}", done, len(targets))


def _recal3_rows(data: ReliabilityData) -> list[tuple[int, ...]]:
    return [row for _, row in complete_rows(data)]


def _oir_rows(data: ReliabilityData) -> list[tuple[int, ...]]:
    return [row for row in data.rows if sum(1 for cell in row if cell != MISSING) >= 2]
