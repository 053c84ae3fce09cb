"""Multi-valued alpha (mvα, Krippendorff & Craggs 2016): hand-worked values, the published tables, properties.

The published values are Krippendorff & Craggs (2016), "The Reliability of Multi-Valued Coding of Data",
Communication Methods and Measures 10(4):181-198, Tables 3, 8a-c and 9a-c, as transcribed with their data in
the R package mvalpha (C. Drake, github.com/therealcfdrake/mvalpha: ``worksheet.Rmd`` lists the tables and
the values .2866, .947, .923, .895, .716, .554 and -.002; ``tests/testthat/test-mvalpha.R`` checks Table 3 at
0.2865907). The exact fractions are ours; they round to the published values.
"""

from __future__ import annotations

import itertools
import random
import time
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.agreement.selection import Selection, select
from archive.agreement.tables import build_tables
from archive.agreement.targets import list_targets
from archive.agreement.whole_codebook import WHOLE_CODEBOOK, codebook_sets
from archive.reliability import from_matrix, krippendorff_alpha
from archive.reliability.errors import ReliabilityInputError
from archive.reliability.multivalued import (
    MAX_WORK,
    check_cost,
    load_set_csv,
    multivalued_alpha,
    multivalued_entry,
    set_delta,
    set_table,
)
from tests.archive.agreement.projects import make_study

Cell = frozenset[str] | None
Matrix = list[list[Cell]]  # coders x units, Krippendorff's layout


def s(*labels: str) -> frozenset[str]:
    return frozenset(labels)


def alpha(matrix: Matrix) -> Fraction | None:
    return multivalued_alpha(from_matrix(matrix)).value


# --- the difference function ------------------------------------------------------------------------------------


def test_delta_of_sets_and_of_the_empty_set() -> None:
    assert set_delta(s(), s()) == 0  # two coders who both applied nothing agree
    assert set_delta(s(), s("a")) == 1  # nothing against something: 1 - 0 / 1
    assert set_delta(s("a", "b"), s()) == 1
    assert set_delta(s("a"), s("a")) == 0
    assert set_delta(s("a"), s("b")) == 1
    assert set_delta(s("a"), s("a", "b")) == Fraction(1, 3)  # 1 - 2*1/(1+2)
    assert set_delta(s("a", "b"), s("b", "c")) == Fraction(1, 2)  # 1 - 2*1/(2+2)
    assert set_delta(s("a", "b", "d"), s("b")) == Fraction(1, 2)  # 1 - 2*1/(3+1)


# --- hand-worked examples -----------------------------------------------------------------------------------------


def test_two_units_worked_by_hand() -> None:
    # Coder A: {a}, {b}; coder B: {a, b}, {b}. Pairable values, n = 4: {a}, {a,b}, {b}, {b}.
    # D_o: unit 1 has two ordered pairs with delta({a},{a,b}) = 1/3, over m - 1 = 1: 2/3; unit 2 agrees.
    #      D_o = (2/3) / 4 = 1/6.
    # Label frequencies: n_a = 2 ({a}, {a,b}), n_b = 3 ({a,b}, {b}, {b}). Sizes: P(1) = 3/4, P(2) = 1/4.
    # E(1,1): weights n_x (n_x - 1) on the diagonal, n_x n_y off it: aa 2, bb 6, ab 6, ba 6; W = 20,
    #         delta = 1 off the diagonal: E = 12/20 = 3/5.
    # E(1,2): K = {a,b} is the only pair; C = {a}: weight 2*3*(2-1) = 6, C = {b}: 2*3*(3-1) = 12; delta = 1/3
    #         for both, so E = 1/3 (and E(2,1) too).
    # E(2,2): C = K = {a,b}: delta 0.
    # D_e = (3/4)^2 (3/5) + 2 (3/4)(1/4)(1/3) + (1/4)^2 0 = 27/80 + 10/80 = 37/80.
    # alpha = 1 - (1/6) / (37/80) = 1 - 40/111 = 71/111.
    result = multivalued_alpha(from_matrix([[s("a"), s("b")], [s("a", "b"), s("b")]]))
    assert (result.details["D_o"], result.details["D_e"]) == (Fraction(1, 6), Fraction(37, 80))
    assert result.value == Fraction(71, 111)
    assert (result.n_units, result.details["n_labels"], result.details["max_set_size"]) == (2, 2, 2)


def test_the_empty_set_is_a_value_worked_by_hand() -> None:
    # Coder A: {}, {a}, {a}; coder B: {}, {}, {a}. n = 6 values: three {} and three {a}.
    # D_o: only unit 2 disagrees, delta({a}, {}) = 1 twice over m - 1 = 1: D_o = 2/6 = 1/3.
    # Sizes: P(0) = P(1) = 1/2. n_a = 3.
    # E(0,0) = 0 (two empty sets agree). E(0,1) = E(1,0) = 1 (the empty set against any label).
    # E(1,1): only {a} vs {a}, delta 0.  D_e = 2 (1/2)(1/2) 1 = 1/2.  alpha = 1 - (1/3)/(1/2) = 1/3.
    matrix: Matrix = [[s(), s("a"), s("a")], [s(), s(), s("a")]]
    assert alpha(matrix) == Fraction(1, 3)
    # Not the nominal alpha of "none" as a label (4/9): sizes are drawn with replacement, P(|C|) P(|K|).
    plain = [["none" if cell == s() else "a" for cell in row] for row in matrix]
    assert krippendorff_alpha(from_matrix(plain)).value == Fraction(4, 9)


def test_a_project_codebook_worked_by_hand(tmp_path: Path) -> None:
    # ana: post 1 {Irony, Supportive}, 2 {Irony}, 3 {}, 4 {Critical}; bo: 1 {Irony, Supportive}, 2 {}, 3 {},
    # 4 {Critical}; cy completed nothing (missing). n = 8, only post 2 disagrees: D_o = 2/8 = 1/4.
    # Sizes: 0 x3, 1 x3, 2 x2 -> P = 3/8, 3/8, 2/8. Frequencies: Irony 3, Supportive 2, Critical 2.
    # E(0,0) = 0; E(0,1) = E(0,2) = 1.
    # E(1,1): same label I 3*2, S 2*1, C 2*1 (10, delta 0); different 2*(6 + 6 + 4) = 32 (delta 1): 32/42 = 16/21.
    # E(1,2): K = IS: C = I 3*2*2 = 12, S 6*1 = 6 (delta 1/3), C = C 3*2*2 = 12 (delta 1); K = IC likewise
    #         12, 6, 12; K = SC: S 4, C 4 (1/3), I 12 (1). W = 80, sum w delta = 36 + 44/3 = 152/3: E = 19/30.
    # E(2,2): C = K: IS 6*2*1 = 12, IC 12, SC 4*1*1 = 4 (delta 0); C != K share one label, delta 1/2:
    #         IS/IC 12*2 = 24, IS/SC 12*1, IC/SC 12*1, each twice: 96. W = 124, E = 48/124 = 12/31.
    # D_e = (1/64) [2*9*1 + 2*6*1 + 9*16/21 + 2*6*19/30 + 4*12/31] = 49916 / (1085*64) = 12479/17360.
    # alpha = 1 - (1/4) / (12479/17360) = 1 - 4340/12479 = 8139/12479.
    study = make_study(tmp_path / "study.threadcoder")
    study.code_all(
        {
            "ana": {1: ["Irony", "Supportive"], 2: ["Irony"], 3: [], 4: ["Critical"]},
            "bo": {1: ["Irony", "Supportive"], 2: [], 3: [], 4: ["Critical"]},
        }
    )
    with select(study.db.conn, Selection()) as cells:
        tables = build_tables(cells, list_targets(study.db.conn))
    data = codebook_sets(tables)
    study.project.close()
    assert data.variable == WHOLE_CODEBOOK and data.coders == ("ana", "bo")
    assert [[data.label(c) for c in row] for row in data.rows] == [
        [s("Irony", "Supportive")] * 2,
        [s("Irony"), s()],
        [s(), s()],
        [s("Critical")] * 2,
    ]
    result = multivalued_alpha(data)
    assert (result.details["D_o"], result.details["D_e"]) == (Fraction(1, 4), Fraction(12479, 17360))
    assert result.value == Fraction(8139, 12479)


# --- published values -------------------------------------------------------------------------------------------

N = None
PUBLISHED: dict[str, tuple[list[list[Cell]], float, int, Fraction]] = {
    # table: (units x coders, published value, its decimals, our exact value)
    "3": (
        [[s("b", "d"), s("d"), N], [s("a", "b", "d"), s("b"), s("b", "d")], [s(), s("a"), s("a")], [s("a"), N, N]],
        0.2865907,
        7,
        Fraction(327, 1141),
    ),
    "8a": (
        [[s("a")] * 3, [s("a", "b", "d"), s("a", "b", "d"), s("a", "b", "d", "e")], [s("d")] * 3],
        0.947,
        3,
        Fraction(42199, 44539),
    ),
    "8b": (
        [[s("a")] * 3, [s("a", "b"), s("a", "b"), s("a", "b", "d")], [s("d")] * 3],
        0.923,
        3,
        Fraction(883258, 956617),
    ),
    "8c": ([[s("a")] * 3, [s("b"), s("b"), s("b", "d")], [s("d")] * 3], 0.895, 3, Fraction(159881, 178691)),
    "9a": ([[s("a")] * 3, [s("a", "b"), s("a", "d"), s("d", "b")], [s("d")] * 3], 0.716, 3, Fraction(17194, 24025)),
    "9b": ([[s("a")] * 3, [s("a", "b"), s("e", "d"), s("f")], [s("d")] * 3], 0.554, 3, Fraction(3567976, 6441451)),
    "9c": (
        [[s("a"), s("b"), s("a", "b")], [s("a", "b"), s("e", "d"), s("f")], [s("b", "d"), s("d"), s("b", "e")]],
        -0.002,
        3,
        Fraction(-684557, 333769654),
    ),
}


@pytest.mark.parametrize("table", list(PUBLISHED))
def test_krippendorff_craggs_published_tables(table: str) -> None:
    units, published, decimals, exact = PUBLISHED[table]
    coders = [list(column) for column in zip(*units, strict=True)]
    value = alpha(coders)
    assert value == exact
    assert round(float(value), decimals) == published


def test_table_3_intermediate_disagreements() -> None:
    # Table 3: unit 4 has one value only (unpairable); 8 pairable values, one of them the empty set.
    units = PUBLISHED["3"][0]
    result = multivalued_alpha(from_matrix([list(column) for column in zip(*units, strict=True)]))
    assert (result.details["D_o"], result.details["D_e"]) == (Fraction(37, 80), Fraction(1141, 1760))
    assert (result.n_units, result.details["n_pairable_values"], result.details["n_empty_sets"]) == (3, 8, 1)


# --- undefined, refused ---------------------------------------------------------------------------------------------


def test_no_variation_and_nothing_pairable_are_undefined_never_one() -> None:
    same = multivalued_alpha(from_matrix([[s("a", "b"), s("a", "b")], [s("a", "b"), s("a", "b")]]))
    assert same.value is None and same.reason == "no variation: all 4 pairable values are {a, b}"
    empty = multivalued_alpha(from_matrix([[s(), s()], [s(), s()]]))
    assert empty.value is None and empty.reason == "no variation: all 4 pairable values are {}"
    alone = multivalued_alpha(from_matrix([[s("a"), None], [None, s("b")]]))
    assert alone.value is None and alone.reason is not None and alone.reason.startswith("nothing pairable")


def test_a_label_that_is_not_a_set_is_refused() -> None:
    with pytest.raises(ReliabilityInputError, match="needs a set of labels in every cell, found 'a'"):
        multivalued_alpha(from_matrix([["a", "b"], ["a", "a"]]))


def test_the_cost_limit_refuses_at_once_instead_of_hanging() -> None:
    assert MAX_WORK == 1_000_000  # documented in docs/reliability.md
    check_cost(1000, 30)  # 1000 * 31^2 = 961,000 steps: allowed
    with pytest.raises(ReliabilityInputError, match=r"1000 labels in sets of up to 31 .* limit of 1,000,000"):
        check_cost(1000, 31)
    labels = frozenset(f"code{i}" for i in range(1000))
    huge = from_matrix([[labels, s("code1")], [labels, s("code2")]])
    started = time.perf_counter()
    with pytest.raises(ReliabilityInputError, match="merge rare labels"):
        multivalued_alpha(huge)
    entry = multivalued_entry(huge)
    assert time.perf_counter() - started < 5
    assert entry["value"] is None and "limit" in entry["reason"] and entry["experimental"] is True


# --- the entry and the set form of the long CSV -------------------------------------------------------------------


def test_entry_is_json_ready_and_marked_experimental() -> None:
    entry = multivalued_entry(from_matrix([[s("a"), s("b")], [s("a", "b"), s("b")]]))
    assert entry["experimental"] is True
    assert entry["value"] == 71 / 111 and entry["D_o"] == 1 / 6 and entry["D_e"] == 37 / 80
    assert (entry["n_units"], entry["n_units_pairable"], entry["n_pairable_values"], entry["reason"]) == (2, 2, 4, None)


def test_set_csv_rows_of_one_cell_form_a_set(tmp_path: Path) -> None:
    path = tmp_path / "sets.csv"
    path.write_text(
        "unit_id,coder_id,variable,value\n"
        "p1,ana,topics,b\np1,ana,topics,d\np1,bo,topics,d\np1,cy,topics,\n"  # cy: blank only, missing
        "p2,ana,topics,a\np2,ana,topics,b\np2,ana,topics,d\np2,ana,topics,d\np2,bo,topics,b\n"
        "p2,cy,topics,b\np2,cy,topics,d\n"
        "p3,ana,topics,<none>\np3,bo,topics,a\np3,cy,topics,a\np4,ana,topics,a\n",
        encoding="utf-8",
    )
    tables = load_set_csv(path)
    data = tables["topics"]
    assert [[data.label(c) for c in row] for row in data.rows] == [
        [s("b", "d"), s("d"), None],
        [s("a", "b", "d"), s("b"), s("b", "d")],
        [s(), s("a"), s("a")],
        [s("a"), None, None],
    ]
    assert multivalued_alpha(data).value == Fraction(327, 1141)  # Table 3 again, from the file


def test_set_csv_refuses_none_together_with_a_label(tmp_path: Path) -> None:
    path = tmp_path / "sets.csv"
    path.write_text("unit_id,coder_id,variable,value\np1,ana,t,<none>\np1,bo,t,a\np1,ana,t,a\n", encoding="utf-8")
    with pytest.raises(ReliabilityInputError, match=r"sets.csv, line 4: .* has '<none>' \(line 2\) and a label"):
        load_set_csv(path)


# --- properties -----------------------------------------------------------------------------------------------------

LABELS = "abcd"


@st.composite
def set_matrices(draw: st.DrawFn, labels: str = LABELS) -> Matrix:
    """Coders x units of label sets (the empty set included) with some missing cells."""
    n_coders, n_units = draw(st.integers(2, 4)), draw(st.integers(1, 8))
    cell = st.one_of(st.none(), st.frozensets(st.sampled_from(labels)))
    return [draw(st.lists(cell, min_size=n_units, max_size=n_units)) for _ in range(n_coders)]


def enumerated_alpha(matrix: Matrix) -> Fraction | None:
    """mvα straight from its definition: every pair of label sets of the observed sizes, enumerated."""
    units = [[cell for row in matrix if (cell := row[u]) is not None] for u in range(len(matrix[0]))]
    pairable = [values for values in units if len(values) >= 2]
    values = [v for unit in pairable for v in unit]
    n = len(values)
    if n == 0:
        return None
    observed = sum(
        (set_delta(a, b) / (len(unit) - 1) for unit in pairable for a, b in itertools.permutations(unit, 2)),
        Fraction(0),
    )
    frequency = Counter(label for v in values for label in v)
    sizes = Counter(len(v) for v in values)
    expected = Fraction(0)
    for a, b in itertools.product(sizes, repeat=2):
        total, weighted = 0, Fraction(0)
        for first in itertools.combinations(sorted(frequency), a):
            for second in itertools.combinations(sorted(frequency), b):
                weight = 1
                for label in set(first) | set(second):
                    both = label in first and label in second
                    weight *= frequency[label] * (frequency[label] - 1) if both else frequency[label]
                total += weight
                weighted += weight * set_delta(frozenset(first), frozenset(second))
        if total:
            expected += Fraction(sizes[a] * sizes[b], n * n) * weighted / total
    return None if expected == 0 else 1 - (observed / n) / expected


@settings(max_examples=200, deadline=None)
@given(set_matrices())
def test_the_fast_expected_disagreement_equals_enumerating_every_pair_of_sets(matrix: Matrix) -> None:
    assert alpha(matrix) == enumerated_alpha(matrix)


@settings(max_examples=100, deadline=None)
@given(set_matrices(), st.randoms(use_true_random=False))
def test_permuting_coders_or_units_changes_nothing(matrix: Matrix, rng: random.Random) -> None:
    coders = list(matrix)
    rng.shuffle(coders)
    order = list(range(len(matrix[0])))
    rng.shuffle(order)
    units = [[row[u] for u in order] for row in matrix]
    assert alpha(coders) == alpha(matrix) == alpha(units)


@settings(max_examples=100, deadline=None)
@given(set_matrices(), st.permutations(["x", "why", "zed", "w"]))
def test_renaming_labels_changes_nothing(matrix: Matrix, names: list[str]) -> None:
    rename = dict(zip(LABELS, names, strict=True))
    renamed = [[None if cell is None else frozenset(rename[x] for x in cell) for cell in row] for row in matrix]
    assert alpha(renamed) == alpha(matrix)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.sampled_from(LABELS)), min_size=1, max_size=10), min_size=2))
def test_one_label_per_cell_is_ordinary_nominal_alpha(rows: list[list[str | None]]) -> None:
    width = min(len(row) for row in rows)
    plain = [row[:width] for row in rows]
    sets = [[None if cell is None else s(cell) for cell in row] for row in plain]
    assert alpha(sets) == krippendorff_alpha(from_matrix(plain)).value


@settings(max_examples=100, deadline=None)
@given(st.lists(st.frozensets(st.sampled_from(LABELS)), min_size=2, max_size=8), st.integers(2, 4))
def test_perfect_agreement_is_one_with_variation_and_undefined_without(units: list[Cell], coders: int) -> None:
    result = multivalued_alpha(from_matrix([list(units) for _ in range(coders)]))
    if len(set(units)) > 1:
        assert result.value == 1
    else:
        assert result.value is None and result.reason is not None and result.reason.startswith("no variation")


def test_set_table_orders_sets_by_size_then_labels() -> None:
    data = set_table("v", ["ana", "bo"], ["p1", "p2"], [[s("b", "a"), s()], [s("c"), None]])
    assert data.values == (s(), s("c"), s("a", "b"))
    assert data.rows == ((2, 0), (1, -1))
