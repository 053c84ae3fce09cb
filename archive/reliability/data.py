"""Reliability data: one units x coders table per variable, with missing cells, built from long rows."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from numbers import Real

from archive.reliability.errors import ReliabilityInputError
from archive.reliability.labels import as_number

Label = Hashable
"""A coded value: a label such as ``"pos"`` or a number. Equal labels (``1 == 1.0``) are one value."""

MISSING = -1
"""The cell index of "this coder did not code this unit" (never the same as a code being absent)."""

_NO_ROW = -2  # only while building: no row seen yet, so a later row may fill the cell

Pattern = tuple[tuple[int, int], ...]
"""What one unit received: (value index, number of coders who gave it), ordered by value index."""

LongRow = tuple[str, str, str, Label | None]
"""(unit_id, coder_id, variable, value); a value of None, NaN or blank text is missing."""


def label_sort_key(label: Label) -> tuple[object, ...]:
    """Numbers first in numeric order, then text, then anything else by its repr (a stable order)."""
    if isinstance(label, Real):
        # Compare as floats first: exact Fraction comparisons are slow and rarely needed to break ties.
        try:
            return (0, float(label), label)
        except OverflowError:
            return (0, math.copysign(math.inf, label), label)
    if isinstance(label, str):
        return (1, label)
    return (2, repr(label))


def is_blank(value: Label | None) -> bool:
    """A value that means "not coded": None, NaN (pandas' missing value) or text empty after stripping."""
    if isinstance(value, float):
        return math.isnan(value)
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class ReliabilityData:
    """The codings of one variable: ``rows[u][c]`` indexes ``values`` or is MISSING."""

    variable: str
    coders: tuple[str, ...]
    units: tuple[str, ...]
    values: tuple[Label, ...]
    rows: tuple[tuple[int, ...], ...]

    def __post_init__(self) -> None:
        if len(self.rows) != len(self.units):
            raise ValueError(f"{len(self.units)} unit ids for {len(self.rows)} rows")
        width, top = len(self.coders), len(self.values)
        for row in self.rows:
            if len(row) != width or (row and (min(row) < MISSING or max(row) >= top)):
                raise ValueError(f"row {row!r} does not fit {width} coders and {top} values")

    @property
    def n_units(self) -> int:
        """Units in the table, including those that fewer than two coders coded."""
        return len(self.units)

    @property
    def n_coders(self) -> int:
        """Coders who appear in the table."""
        return len(self.coders)

    @cached_property
    def patterns(self) -> dict[Pattern, int]:
        """How many units received each pattern of values; most statistics need nothing else."""
        # Units with the same multiset of values are interchangeable for every coder-blind
        # statistic, and binary codes have only a handful of patterns: computing per pattern
        # instead of per unit is what keeps alpha and its bootstrap fast on large samples.
        counted = Counter(tuple(sorted(Counter(c for c in row if c != MISSING).items())) for row in self.rows)
        return dict(counted)

    def label(self, cell: int) -> Label | None:
        """The label of a cell index, None for MISSING."""
        return None if cell == MISSING else self.values[cell]

    def matrix(self) -> list[list[Label | None]]:
        """The coders x units matrix (Krippendorff's layout), None for missing cells."""
        return [[self.label(row[c]) for row in self.rows] for c in range(self.n_coders)]

    def recode(self, mapping: Callable[[Label], Label]) -> ReliabilityData:
        """The same codings with every label replaced by ``mapping(label)``; labels that become equal merge."""
        new_labels = [mapping(label) for label in self.values]
        ordered = sorted(set(new_labels), key=label_sort_key)
        position = {label: i for i, label in enumerate(ordered)}
        remap = [position[label] for label in new_labels]
        rows = tuple(tuple(MISSING if c == MISSING else remap[c] for c in row) for row in self.rows)
        return ReliabilityData(self.variable, self.coders, self.units, tuple(ordered), rows)


def from_matrix(
    matrix: Sequence[Sequence[Label | None]],
    coders: Sequence[str] | None = None,
    units: Sequence[str] | None = None,
    variable: str = "",
) -> ReliabilityData:
    """Data from a coders x units matrix (the layout of Krippendorff's papers), None for missing."""
    width = len(matrix[0]) if matrix else 0
    if any(len(line) != width for line in matrix):
        raise ReliabilityInputError("every coder's row must have one cell per unit")
    coder_ids = [str(c) for c in (coders if coders is not None else range(1, len(matrix) + 1))]
    unit_ids = [str(u) for u in (units if units is not None else range(1, width + 1))]
    if len(coder_ids) != len(matrix) or len(unit_ids) != width:
        raise ReliabilityInputError("the coder and unit ids must match the matrix's shape")
    builder = _TableBuilder()
    for coder, line in zip(coder_ids, matrix, strict=True):
        for unit, value in zip(unit_ids, line, strict=True):
            builder.add(unit, coder, value, variable)
    return builder.build(variable)


def from_long(rows: Iterable[LongRow], *, numeric_identity: bool = False) -> dict[str, ReliabilityData]:
    """One table per variable, in order of first appearance, from (unit, coder, variable, value) rows.

    With ``numeric_identity`` (the numeric levels), labels equal as numbers are one value: "2" and "2.0".
    """
    builder = LongTableBuilder(numeric_identity=numeric_identity)
    for unit, coder, variable, value in rows:
        try:
            builder.add(unit, coder, variable, value)
        except CellConflict as conflict:
            raise ReliabilityInputError(conflict.describe()) from None
    return builder.build()


class CellConflict(ValueError):
    """Two rows give different values for the same (unit, coder, variable)."""

    def __init__(self, unit: str, coder: str, variable: str, first: Label | None, second: Label | None):
        super().__init__(unit, coder, variable, first, second)
        self.unit, self.coder, self.variable = unit, coder, variable
        self.first, self.second = first, second

    def describe(self, earlier: str = "an earlier row") -> str:
        """A sentence naming the cell, both values and what was expected."""
        return (
            f"unit {self.unit!r}, coder {self.coder!r}, variable {self.variable!r} has value "
            f"{_shown(self.second)} but {earlier} gave {_shown(self.first)}; "
            "expected one value per (unit, coder, variable)"
        )


def _shown(value: Label | None) -> str:
    return "blank (missing)" if value is None else repr(value)


class LongTableBuilder:
    """Collects long rows one at a time (so a reader can stream) and freezes them into tables."""

    def __init__(self, *, numeric_identity: bool = False) -> None:
        self._tables: dict[str, _TableBuilder] = {}
        self._numeric_identity = numeric_identity

    def add(self, unit: str, coder: str, variable: str, value: Label | None) -> None:
        """Record one cell; repeating the same value is harmless, a different one raises CellConflict."""
        table = self._tables.get(variable)
        if table is None:
            table = self._tables[variable] = _TableBuilder(self._numeric_identity)
        table.add(unit, coder, value, variable)

    def build(self) -> dict[str, ReliabilityData]:
        """The tables, one per variable, in order of first appearance."""
        return {name: table.build(name) for name, table in self._tables.items()}


class _TableBuilder:
    """One variable's cells, stored as small ints per unit so a large sample stays compact."""

    def __init__(self, numeric_identity: bool = False) -> None:
        self.units: dict[str, int] = {}
        self.coders: dict[str, int] = {}
        self.values: dict[Hashable, int] = {}  # a value's identity -> its index
        self.labels: list[Label] = []  # each value as first written
        self.cells: list[list[int]] = []
        self._numeric_identity = numeric_identity

    def add(self, unit: str, coder: str, value: Label | None, variable: str) -> None:
        u = self.units.setdefault(unit, len(self.units))
        if u == len(self.cells):
            self.cells.append([])
        row = self.cells[u]
        c = self.coders.setdefault(coder, len(self.coders))
        if len(row) <= c:
            row.extend([_NO_ROW] * (c + 1 - len(row)))
        v = MISSING if is_blank(value) else self._index(value)
        old = row[c]
        if old == _NO_ROW:
            row[c] = v
        elif old != v:
            first = None if old == MISSING else self.labels[old]
            raise CellConflict(unit, coder, variable, first, None if v == MISSING else value)

    def _index(self, value: Label) -> int:
        key = value
        if self._numeric_identity:
            # At a numeric level "2", "2.0" and 2 are one value, so repeating a cell either way is harmless.
            number = as_number(value)
            key = value if number is None else ("number", number)
        index = self.values.get(key)
        if index is None:
            index = self.values[key] = len(self.labels)
            self.labels.append(value)
        return index

    def build(self, variable: str) -> ReliabilityData:
        order = sorted(range(len(self.labels)), key=lambda i: label_sort_key(self.labels[i]))
        remap = [0] * len(order)
        for new, old in enumerate(order):
            remap[old] = new
        width = len(self.coders)
        rows = tuple(
            tuple(remap[c] if c >= 0 else MISSING for c in row) + (MISSING,) * (width - len(row)) for row in self.cells
        )
        values = tuple(self.labels[i] for i in order)
        return ReliabilityData(variable, tuple(self.coders), tuple(self.units), values, rows)
