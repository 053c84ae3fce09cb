"""Files for Freelon's ReCal: ReCal2 (two coders), ReCal3 (two or more) and ReCal OIR, with their code map.

ReCal takes digits only, no header and no unit ids, so every label becomes an integer written in the
code map (``<stem>_codemap.csv`` or ``recal_codemap.csv``): a code's absent/present is 0/1; a variable's
values are 1, 2, ... in codebook order and "no value applies" (``<none>``) is 0. ReCal2 and ReCal3 allow no
missing cell: only posts completed by every coder in the file are written (the notes count the others).
ReCal OIR marks a missing cell with ``#`` (whatever token was chosen) and drops rows with fewer than two
values, as ReCal does. Files are written without a BOM, which ReCal would reject.

ReCal refuses a file above 100,000 bytes. A ReCal2 file above it is also written split by variables into
``<stem>_part1.csv``, ... (every post in each: a column pair is one variable, so no statistic changes); a
ReCal3 or OIR file holds one variable, whose rows cannot be split without changing its statistic, so the
notes say so and name the tools that take any size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from archive.agreement.tables import pair_table
from archive.agreement.targets import NONE, Target
from archive.export.context import ExportContext
from archive.export.errors import ExportError
from archive.export.files import CODEMAP_COMPANION, FOLDER_CODEMAP, LINE_END, RECAL3, RECAL_OIR, sibling
from archive.export.wide import chosen_targets, complete_rows, read_tables, target_paths
from archive.jobs import JobProgress
from archive.reliability.data import MISSING, Label, ReliabilityData

CODEMAP_COLUMNS = ("file", "columns", "variable", "kind", "label", "code")
RECAL_LIMIT = 100_000
"""The largest file ReCal accepts, in bytes (its upload form's MAX_FILE_SIZE)."""
_LINE_END = 2  # bytes of the "\r\n" each row ends with


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
    columns = [_pair_columns(pairs[t.name], code_map(t)) for t in targets]
    codemap = _CodeMap(ctx, sibling(ctx.path, CODEMAP_COMPANION))
    _write_pairs(ctx, ctx.path, codemap, list(zip(targets, columns, strict=True)), len(units))
    size = _pairs_size(columns, len(units))
    if size > RECAL_LIMIT:
        _split_recal2(ctx, codemap, targets, columns, len(units), size)
    elif (stale := _part_path(ctx.path, 1)).exists():
        ctx.notes.append(f"ReCal2: {stale.name} and any further parts are from an earlier export, not this one")
    ctx.notes.append(
        f"ReCal2 coders: column 1 of each pair is {tables.coders[first]}, column 2 {tables.coders[second]}"
    )
    yield JobProgress(f"writing {ctx.path.name}", 1, 1)


def _pair_columns(data: ReliabilityData, mapping: dict[Label, int]) -> list[str]:
    # One target's "a,b" text per post; ReCal2 cells are digits, which the csv module never quotes.
    return [",".join(str(mapping[data.values[c]]) for c in row) for row in data.rows]


def _write_pairs(
    ctx: ExportContext, path: Path, codemap: _CodeMap, chosen: list[tuple[Target, list[str]]], rows: int
) -> None:
    out = ctx.outputs.csv(path, bom=False)
    for n, (target, _) in enumerate(chosen):
        codemap.add(path, target, f"{2 * n + 1},{2 * n + 2}")
    for u in range(rows):
        out.lines(",".join(cells[u] for _, cells in chosen) + LINE_END, 1)


def _pairs_size(columns: Sequence[list[str]], rows: int) -> int:
    """Bytes of a ReCal2 file holding these column pairs: their text, the commas between them, line ends."""
    return sum(sum(len(cell) for cell in cells) for cells in columns) + rows * (len(columns) - 1 + _LINE_END)


def _part_path(path: Path, number: int) -> Path:
    return path.with_name(f"{path.stem}_part{number}{path.suffix}")


def _split_recal2(
    ctx: ExportContext, codemap: _CodeMap, targets: list[Target], columns: list[list[str]], rows: int, size: int
) -> None:
    # Greedy, in codebook order: each part takes variables while it stays within the limit.
    groups: list[list[int]] = []
    for t in range(len(targets)):
        if groups and _pairs_size([columns[i] for i in (*groups[-1], t)], rows) <= RECAL_LIMIT:
            groups[-1].append(t)
        else:
            groups.append([t])
    too_big = [targets[g[0]].name for g in groups if len(g) == 1 and _pairs_size([columns[g[0]]], rows) > RECAL_LIMIT]
    if too_big:
        ctx.notes.append(
            f"ReCal2: {ctx.path.name} is {size:,} bytes and ReCal refuses files above {RECAL_LIMIT:,}; no split by "
            f"variables fits, as {', '.join(too_big)} alone is larger: `threadcoder agreement` computes the same "
            "statistics on any size, and the units_x_coders shape feeds R irr and irrCAC"
        )
        return
    paths = [_part_path(ctx.path, n) for n in range(1, len(groups) + 1)]
    for path, group in zip(paths, groups, strict=True):
        _write_pairs(ctx, path, codemap, [(targets[t], columns[t]) for t in group], rows)
    ctx.notes.append(
        f"ReCal2: {ctx.path.name} is {size:,} bytes and ReCal refuses files above {RECAL_LIMIT:,}, so its variables "
        f"are also written in {len(paths)} files under the limit ({', '.join(p.name for p in paths)}), every post "
        "in each: a column pair is one variable, so no statistic changes; the code map gives each file's columns"
    )


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
    too_big: list[str] = []
    for done, target in enumerate(targets, start=1):
        path = paths[target.name]
        out = ctx.outputs.csv(path, bom=False, missing="#")
        codemap.add(path, target)
        mapping = code_map(target)
        data = tables.tables[target.name]
        rows = rows_of(data)
        size = 0
        for row in rows:
            cells = ["#" if cell == MISSING else str(mapping[data.values[cell]]) for cell in row]
            out.row(cells)
            size += sum(len(cell) for cell in cells) + len(cells) - 1 + _LINE_END
        if done == 1 and len(rows) < data.n_units:  # completion is per post: the same posts for every target
            ctx.notes.append(f"{tool}: {data.n_units - len(rows)} post(s) {dropped} were left out")
        if size > RECAL_LIMIT:
            too_big.append(f"{path.name} ({size:,} bytes)")
        yield JobProgress(f"writing {path.name}", done, len(targets))
    if too_big:
        ctx.notes.append(
            f"{tool}: ReCal refuses files above {RECAL_LIMIT:,} bytes: {', '.join(too_big)}. Each file is one "
            "variable, and splitting its rows would give each part its own statistic, not the variable's: "
            "`threadcoder agreement` computes the same statistics on any size, and the units_x_coders shape "
            "feeds R irr and irrCAC"
        )


def _recal3_rows(data: ReliabilityData) -> list[tuple[int, ...]]:
    return [row for _, row in complete_rows(data)]


def _oir_rows(data: ReliabilityData) -> list[tuple[int, ...]]:
    return [row for row in data.rows if sum(1 for cell in row if cell != MISSING) >= 2]
