"""Reliability data built from long rows: one table per variable, missing kept apart from absent."""

from __future__ import annotations

import pytest

from archive.reliability import ReliabilityInputError, from_long, from_matrix
from archive.reliability.data import MISSING


def test_long_rows_become_one_table_per_variable() -> None:
    tables = from_long(
        [
            ("p1", "ana", "humour", "1"),
            ("p1", "ben", "humour", "0"),
            ("p2", "ana", "humour", "0"),
            ("p1", "ana", "stance", "pro"),
            ("p2", "ben", "stance", "anti"),
            ("p2", "ben", "humour", "0"),
        ]
    )
    assert list(tables) == ["humour", "stance"]
    humour = tables["humour"]
    assert humour.coders == ("ana", "ben")
    assert humour.units == ("p1", "p2")
    assert humour.matrix() == [["1", "0"], ["0", "0"]]
    stance = tables["stance"]
    assert stance.matrix() == [["pro", None], [None, "anti"]]  # missing, not a value


def test_blank_means_not_coded_and_zero_means_absent() -> None:
    table = from_long([("p1", "ana", "humour", ""), ("p1", "ben", "humour", "0"), ("p2", "ana", "humour", None)])[
        "humour"
    ]
    assert table.matrix() == [[None, None], ["0", None]]
    assert table.rows[0][0] == MISSING
    assert table.n_units == 2  # a unit seen only with blank values still counts as a unit


def test_repeating_the_same_value_is_harmless() -> None:
    tables = from_long([("p1", "ana", "v", "1"), ("p1", "ana", "v", "1"), ("p1", "ben", "v", "1")])
    assert tables["v"].matrix() == [["1"], ["1"]]


def test_two_different_values_for_one_cell_are_an_error() -> None:
    rows = [("p1", "ana", "humour", "1"), ("p1", "ana", "humour", "0")]
    with pytest.raises(ReliabilityInputError, match="unit 'p1', coder 'ana', variable 'humour' has value '0'"):
        from_long(rows)
    with pytest.raises(ReliabilityInputError, match="blank"):
        from_long([("p1", "ana", "humour", "1"), ("p1", "ana", "humour", "")])


def test_values_are_ordered_numbers_first_then_text() -> None:
    data = from_matrix([[10, "b", 2.5], ["a", 1, None]])
    assert data.values == (1, 2.5, 10, "a", "b")


def test_patterns_group_units_by_the_values_they_received() -> None:
    data = from_matrix([[0, 0, 1, None], [0, 0, 0, 1], [None, 0, 1, None]])
    # value indices: 0 -> 0, 1 -> 1
    assert data.patterns == {((0, 2),): 1, ((0, 3),): 1, ((0, 1), (1, 2)): 1, ((1, 1),): 1}


def test_recode_merges_labels_that_become_equal() -> None:
    data = from_matrix([["yes", "y", "no"], ["y", "yes", "n"]])
    merged = data.recode(lambda label: str(label)[0])
    assert merged.values == ("n", "y")
    assert merged.matrix() == [["y", "y", "n"], ["y", "y", "n"]]


def test_matrix_shape_errors() -> None:
    with pytest.raises(ReliabilityInputError):
        from_matrix([[1, 2], [1]])
    with pytest.raises(ReliabilityInputError):
        from_matrix([[1, 2]], coders=["a", "b"])
