"""Multi-valued Krippendorff's alpha (mvα, Krippendorff & Craggs 2016) on sets of nominal labels; experimental."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from fractions import Fraction
from pathlib import Path
from typing import Any

from archive.reliability.alpha import NOTHING_PAIRABLE
from archive.reliability.coincidence import coincidences
from archive.reliability.csv_long import read_long_csv
from archive.reliability.data import MISSING, Label, ReliabilityData, label_sort_key
from archive.reliability.errors import ReliabilityInputError
from archive.reliability.result import AgreementResult, undefined

LabelSet = frozenset[Label]
"""One coder's value for one unit: the labels they applied; the empty set means "coded, no label applies"."""

STATISTIC = "multi_valued_alpha"
DEFINITION = (
    "multi-valued Krippendorff's alpha (mv-alpha, Krippendorff & Craggs 2016), nominal, experimental: values are "
    "sets of labels, the empty set included; delta(C, K) = 1 - 2|C & K| / (|C| + |K|), 0 for two empty sets; "
    "expected disagreement over every pair of label sets of the observed sizes, weighted by P(|C|) P(|K|) and by "
    "the label frequencies drawn without replacement"
)
EMPTY_SET = "<none>"
"""In the set form of the long CSV: the coder coded the unit and applied no label (the empty set)."""

MAX_WORK = 1_000_000
"""The most labels x (largest set size + 1)^2 the expected disagreement may cost: about a second or two."""

Grid = list[list[int]]


def set_delta(first: AbstractSet[Label], second: AbstractSet[Label]) -> Fraction:
    """1 - 2|C & K| / (|C| + |K|): 0 for equal sets (two empty sets too), 1 for disjoint ones (empty vs. any other)."""
    size = len(first) + len(second)
    if size == 0:
        return Fraction(0)
    return 1 - Fraction(2 * len(first & second), size)


def multivalued_alpha(data: ReliabilityData) -> AgreementResult:
    """mvα = 1 - D_o / D_e over a table whose labels are sets (``frozenset``); None with the reason when D_e = 0.

    Units with fewer than two values are unpairable and dropped, as in ordinary alpha. Raises
    ReliabilityInputError when a label is not a set, or when the expected disagreement would cost more than
    ``MAX_WORK`` (see ``check_cost``).
    """
    sets = label_sets(data)
    co = coincidences(data)
    if co.n == 0:
        return undefined(STATISTIC, DEFINITION, 0, NOTHING_PAIRABLE, n_units_total=data.n_units)
    margins = {sets[c]: count for c, count in co.margins.items()}
    observed = sum((o * set_delta(sets[c], sets[k]) for (c, k), o in co.cells.items()), Fraction(0)) / co.n
    expected = expected_disagreement(margins)
    details: dict[str, Fraction | int] = {
        "D_o": observed,
        "D_e": expected,
        "n_pairable_values": co.n,
        "n_units_total": data.n_units,
        "n_coders": data.n_coders,
        "n_labels": len(label_frequencies(margins)),
        "max_set_size": max(len(labels) for labels in margins),
        "n_empty_sets": margins.get(frozenset(), 0),
    }
    if expected == 0:
        return AgreementResult(STATISTIC, DEFINITION, None, co.n_units, _no_variation(margins, co.n), details)
    return AgreementResult(STATISTIC, DEFINITION, 1 - observed / expected, co.n_units, None, details)


def label_sets(data: ReliabilityData) -> tuple[LabelSet, ...]:
    """The table's values as sets; a value that is not a set is refused (a plain label is not its own set)."""
    found: list[LabelSet] = []
    for value in data.values:
        if not isinstance(value, AbstractSet):
            raise ReliabilityInputError(
                f"variable {data.variable!r}: multi-valued alpha needs a set of labels in every cell, found {value!r}"
            )
        found.append(frozenset(value))
    return tuple(found)


def _no_variation(margins: Mapping[LabelSet, int], n: int) -> str:
    if len(margins) == 1:
        return f"no variation: all {n} pairable values are {shown_set(next(iter(margins)))}"
    return "no expected disagreement: the label frequencies allow no other pair of sets"


def shown_set(labels: AbstractSet[Label]) -> str:
    """A set as people write it, labels in a stable order: ``{irony, stance}``, ``{}`` for the empty set."""
    return "{" + ", ".join(str(label) for label in sorted(labels, key=label_sort_key)) + "}"


def label_frequencies(margins: Mapping[LabelSet, int]) -> Counter[Label]:
    """n_c: how many pairable values contain each label."""
    frequencies: Counter[Label] = Counter()
    for labels, count in margins.items():
        for label in labels:
            frequencies[label] += count
    return frequencies


def expected_disagreement(margins: Mapping[LabelSet, int]) -> Fraction:
    """D_e = sum over set sizes a, b of P(a) P(b) E[delta | a, b], from the pairable sets and their counts.

    E[delta | a, b] averages delta over every pair (C, K) with |C| = a, |K| = b, each weighted by
    n_x for every label x in C or in K, and by n_x (n_x - 1) instead for x in both (drawing without
    replacement). A size pair no labels can fill (weight 0) adds nothing, as in mvalpha.
    """
    n = sum(margins.values())
    sizes: Counter[int] = Counter()
    for labels, count in margins.items():
        sizes[len(labels)] += count
    frequencies = label_frequencies(margins)
    top = max(sizes)
    check_cost(len(frequencies), top)
    weights, shared = pair_sums(frequencies.values(), top)
    total = Fraction(0)
    for a, n_a in sizes.items():
        for b, n_b in sizes.items():
            if a + b and weights[a][b]:
                total += n_a * n_b * (1 - Fraction(2 * shared[a][b], (a + b) * weights[a][b]))
    return total / (n * n)


def check_cost(labels: int, top: int) -> None:
    """Refuse, before any work, an expected disagreement that would cost more than ``MAX_WORK`` steps."""
    work = labels * (top + 1) ** 2
    if work > MAX_WORK:
        raise ReliabilityInputError(
            f"multi-valued alpha: {labels} labels in sets of up to {top} would take {work:,} steps for the "
            f"expected disagreement, more than the limit of {MAX_WORK:,}; merge rare labels or use alpha per label"
        )


def pair_sums(frequencies: Iterable[int], top: int) -> tuple[Grid, Grid]:
    """W[a][b] = sum of the weights of all pairs (C, K) of sizes a, b; I[a][b] = the same sum of w |C & K|.

    Enumerating the pairs costs C(L, a) C(L, b) each. The weight is a product over the labels, so both
    sums are coefficients of prod_x (1 + n_x s + n_x t + n_x (n_x - 1) u s t) (s counts C's labels, t K's,
    u the shared ones) and of its derivative in u at u = 1: L * (top + 1)^2 integer steps, exact.
    """
    weights: Grid = [[0] * (top + 1) for _ in range(top + 1)]
    shared: Grid = [[0] * (top + 1) for _ in range(top + 1)]
    weights[0][0] = 1
    for done, n_x in enumerate(frequencies):
        _times_label(weights, shared, n_x, min(done + 1, top))
    return weights, shared


def _times_label(weights: Grid, shared: Grid, n_x: int, reach: int) -> None:
    # Multiply both polynomials by one label's factor in place. Going down in a and in b reads only cells
    # not yet updated; the derivative's product rule adds the both-term times the weights before it.
    both = n_x * (n_x - 1)
    for a in range(reach, -1, -1):
        for b in range(reach, -1, -1):
            w, i = weights[a][b], shared[a][b]
            if a:
                w, i = w + n_x * weights[a - 1][b], i + n_x * shared[a - 1][b]
            if b:
                w, i = w + n_x * weights[a][b - 1], i + n_x * shared[a][b - 1]
            if a and b:
                w += both * weights[a - 1][b - 1]
                i += both * (shared[a - 1][b - 1] + weights[a - 1][b - 1])
            weights[a][b], shared[a][b] = w, i


def set_table(
    variable: str, coders: Sequence[str], units: Sequence[str], cells: Sequence[Sequence[AbstractSet[Label] | None]]
) -> ReliabilityData:
    """A table whose labels are sets: ``cells[u][c]`` is a coder's set for a unit, None when not coded."""
    distinct = sorted({frozenset(cell) for row in cells for cell in row if cell is not None}, key=_set_order)
    position = {labels: i for i, labels in enumerate(distinct)}
    rows = tuple(tuple(MISSING if cell is None else position[frozenset(cell)] for cell in row) for row in cells)
    return ReliabilityData(variable, tuple(coders), tuple(units), tuple(distinct), rows)


def _set_order(labels: LabelSet) -> tuple[object, ...]:
    return (len(labels), *(label_sort_key(label) for label in sorted(labels, key=label_sort_key)))


def multivalued_entry(data: ReliabilityData) -> dict[str, Any]:
    """mvα as a JSON-ready dict marked experimental; input it refuses (the cost limit) is null with the reason."""
    try:
        result = multivalued_alpha(data)
    except ReliabilityInputError as exc:
        result = undefined(STATISTIC, DEFINITION, 0, str(exc))
    details = result.details

    def number(key: str) -> float | None:
        return float(details[key]) if key in details else None

    return {
        "experimental": True,
        "value": result.as_float(),
        "n_units": data.n_units,
        "n_units_pairable": result.n_units,
        "n_coders": data.n_coders,
        "n_pairable_values": details.get("n_pairable_values", 0),
        "n_labels": details.get("n_labels", 0),
        "max_set_size": details.get("max_set_size", 0),
        "n_empty_sets": details.get("n_empty_sets", 0),
        "D_o": number("D_o"),
        "D_e": number("D_e"),
        "definition": result.definition,
        "reason": result.reason,
    }


def load_set_csv(path: Path, missing: Collection[str] = ()) -> dict[str, ReliabilityData]:
    """Set-valued tables, one per variable, from a long CSV: the rows of one (unit, coder, variable) form a set.

    A blank value, or one of the ``missing`` tokens, says nothing (a cell with only such rows is missing);
    ``<none>`` is the empty set and cannot share a cell with a label. Repeating a label is harmless.
    """
    cells: dict[str, dict[tuple[str, str], set[str]]] = {}
    empty: dict[tuple[str, str, str], int] = {}
    labelled: dict[tuple[str, str, str], int] = {}
    for row in read_long_csv(path, frozenset(token.strip() for token in missing)):
        cell = cells.setdefault(row.variable, {}).setdefault((row.unit_id, row.coder_id), set())
        key = (row.unit_id, row.coder_id, row.variable)
        if row.value is None:
            continue
        if row.value == EMPTY_SET:
            empty.setdefault(key, row.line)
        else:
            cell.add(row.value)
            labelled.setdefault(key, row.line)
        if key in empty and key in labelled:
            raise ReliabilityInputError(
                f"{path}, line {row.line}: unit {row.unit_id!r}, coder {row.coder_id!r}, variable {row.variable!r} "
                f"has {EMPTY_SET!r} (line {empty[key]}) and a label (line {labelled[key]}); expected either labels "
                f"or {EMPTY_SET!r} (no label applies)"
            )
    return {name: _csv_table(name, variable, empty) for name, variable in cells.items()}


def _csv_table(
    name: str, cells: dict[tuple[str, str], set[str]], empty: Mapping[tuple[str, str, str], int]
) -> ReliabilityData:
    units = list(dict.fromkeys(unit for unit, _ in cells))
    coders = list(dict.fromkeys(coder for _, coder in cells))
    rows: list[list[AbstractSet[Label] | None]] = []
    for unit in units:
        row: list[AbstractSet[Label] | None] = []
        for coder in coders:
            labels = cells.get((unit, coder))
            coded = bool(labels) or (unit, coder, name) in empty
            row.append(frozenset(labels or ()) if coded else None)
        rows.append(row)
    return set_table(name, coders, units, rows)
