"""Each coder's value per post and code or variable, with the unanimous and majority readings of them."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from archive.agreement.selection import Cells
from archive.agreement.targets import LabelPlan, Target
from archive.reliability.data import Label


@dataclass(frozen=True)
class UnitValues:
    """One post and one target: the value of every coder who completed the post, by coder name."""

    post_id: str
    target: Target
    values: dict[str, Label]

    @property
    def unanimous(self) -> bool:
        """Two or more coders, all with the same value."""
        return len(self.values) >= 2 and len(set(self.values.values())) == 1

    @property
    def modal(self) -> tuple[Label, int]:
        """The most frequent value (ties: the first in codebook order) and how many coders gave it."""
        counts = Counter(self.values.values())
        top = max(counts.values())
        order = self.target.labels()
        label = min((label for label, n in counts.items() if n == top), key=lambda x: _rank(order, x))
        return label, top

    @property
    def majority(self) -> Label | None:
        """The value more than half the coders gave, or None (two coders who differ have no majority)."""
        label, count = self.modal
        return label if 2 * count > len(self.values) else None

    @property
    def agreement_share(self) -> Fraction:
        """The share of coders who gave the most frequent value."""
        return Fraction(self.modal[1], len(self.values))


def _rank(order: list[Label], label: Label) -> int:
    return order.index(label) if label in order else len(order)


def post_values(cells: Cells, targets: Sequence[Target]) -> Iterator[tuple[str, list[UnitValues]]]:
    """For each selected post, the values of every target, streamed in post order."""
    for post_id, coders, columns in _label_columns(cells, targets):
        yield (
            post_id,
            [
                UnitValues(post_id, target, {coder: labels[i] for coder, i in zip(coders, column, strict=True)})
                for target, labels, column in columns
            ],
        )


def differing_values(cells: Cells, targets: Sequence[Target]) -> Iterator[tuple[str, list[UnitValues]]]:
    """Like ``post_values``, but only the targets the coders differ on, and only posts with any."""
    for post_id, coders, columns in _label_columns(cells, targets):
        differing = [
            UnitValues(post_id, target, {coder: labels[i] for coder, i in zip(coders, column, strict=True)})
            for target, labels, column in columns
            if min(column) != max(column)
        ]
        if differing:
            yield post_id, differing


def _label_columns(
    cells: Cells, targets: Sequence[Target]
) -> Iterator[tuple[str, list[str], list[tuple[Target, list[Label], tuple[int, ...]]]]]:
    # Per post: the coders who completed it and, per target, their label indices (one pass per coder).
    names = dict(cells.coders())
    plan = LabelPlan(targets)
    for post_id, rows in cells.units():
        coders = [names[row.coder_id] for row in rows]
        vectors = [plan.indices(row.code_ids) for row in rows]
        columns = zip(targets, plan.labels, zip(*vectors, strict=True), strict=True)
        yield post_id, coders, list(columns)


def current_values(conn: sqlite3.Connection, post_id: str, target: Target) -> dict[str, Label]:
    """The value of every coder who completed this post, now (whatever the selection)."""
    sql = (
        "SELECT coders.name, group_concat(codings.code_id) FROM coder_status s "
        "JOIN coders ON coders.id = s.coder_id LEFT JOIN codings "
        "ON codings.post_id = s.post_id AND codings.coder_id = s.coder_id "
        "WHERE s.post_id = ? GROUP BY s.coder_id ORDER BY coders.name COLLATE NOCASE"
    )
    values: dict[str, Label] = {}
    for coder, codes in conn.execute(sql, (post_id,)):
        ids = frozenset(int(code) for code in codes.split(",")) if codes else frozenset()
        values[coder] = target.label(ids)
    return values
