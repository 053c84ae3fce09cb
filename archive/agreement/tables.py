"""Reliability data from a project's own codings: one units x coders table per code and per variable.

A unit is a selected post, a coder a person who completed at least one of them; a cell is the coder's
label for the target (see ``targets``) or MISSING when the coder did not complete the post.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from archive.agreement.selection import Cells
from archive.agreement.targets import LabelPlan, Target
from archive.reliability.data import MISSING, Label, ReliabilityData, label_sort_key


@dataclass(frozen=True)
class ProjectTables:
    """The tables of one selection, keyed by target name, in codebook order."""

    targets: tuple[Target, ...]
    coders: tuple[str, ...]
    units: tuple[str, ...]
    tables: dict[str, ReliabilityData]

    @property
    def n_posts(self) -> int:
        return len(self.units)


def build_tables(cells: Cells, targets: Sequence[Target]) -> ProjectTables:
    """Read the selected work once and fill every target's table."""
    coders = cells.coders()
    position = {coder_id: i for i, (coder_id, _) in enumerate(coders)}
    plan = LabelPlan(targets)
    not_coded = [MISSING] * len(targets)
    units: list[str] = []
    rows: list[list[tuple[int, ...]]] = [[] for _ in targets]
    # Most rows repeat (a code nobody applied is (0, 0, 0, 0) on most posts): keeping one copy of each
    # distinct row keeps the tables a few bytes per cell instead of a tuple per post and target.
    shared: dict[tuple[int, ...], tuple[int, ...]] = {}
    for post_id, group in cells.units():
        units.append(post_id)
        columns = [not_coded] * len(coders)
        for row in group:
            columns[position[row.coder_id]] = plan.indices(row.code_ids)
        # Transposing the coders' label vectors gives each target's row for this post.
        for t, target_row in enumerate(zip(*columns, strict=True)):
            rows[t].append(shared.setdefault(target_row, target_row))
    names = tuple(name for _, name in coders)
    unit_ids = tuple(units)
    tables = {
        target.name: _freeze(target.name, names, unit_ids, plan.labels[t], rows[t]) for t, target in enumerate(targets)
    }
    return ProjectTables(tuple(targets), names, unit_ids, tables)


def _freeze(
    name: str, coders: tuple[str, ...], units: tuple[str, ...], labels: list[Label], rows: list[tuple[int, ...]]
) -> ReliabilityData:
    # The statistics expect only the labels that occur, in a stable sorted order.
    used = sorted(set(itertools.chain.from_iterable(rows)) - {MISSING}, key=lambda i: label_sort_key(labels[i]))
    remap = {old: new for new, old in enumerate(used)}
    if any(old != new for old, new in remap.items()):
        renumbered: dict[tuple[int, ...], tuple[int, ...]] = {}  # rows repeat: renumber each distinct one once
        for row in rows:
            if row not in renumbered:
                renumbered[row] = tuple(MISSING if c == MISSING else remap[c] for c in row)
        rows = [renumbered[row] for row in rows]
    return ReliabilityData(name, coders, units, tuple(labels[i] for i in used), tuple(rows))


def pair_table(data: ReliabilityData, first: int, second: int) -> ReliabilityData:
    """Two coders' columns of a table, on the units both coded, with only the labels they used."""
    pairs = [(row[first], row[second]) for row in data.rows]
    kept = [(unit, pair) for unit, pair in zip(data.units, pairs, strict=True) if MISSING not in pair]
    used = sorted({c for _, pair in kept for c in pair})
    remap = {old: new for new, old in enumerate(used)}
    return ReliabilityData(
        data.variable,
        (data.coders[first], data.coders[second]),
        tuple(unit for unit, _ in kept),
        tuple(data.values[c] for c in used),
        tuple((remap[a], remap[b]) for _, (a, b) in kept),
    )
