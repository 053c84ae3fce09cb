"""The disagreement list: every post and code or variable on which the coders who completed it differ.

Each entry names the post (with its thread, so a viewer can open it in context), the code or variable,
each coder's value, the majority value when there is one, and the gold value once it is decided.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from archive.adjudication.gold import GoldValue, post_gold
from archive.adjudication.values import UnitValues, differing_values
from archive.agreement.selection import Cells, Selection, select
from archive.agreement.targets import Target, list_targets


@dataclass(frozen=True)
class Disagreement:
    """One post and code or variable on which the coders differ, with the post's place and text."""

    unit: UnitValues
    thread_id: str  # the thread's root post (the post itself when it starts no thread)
    url: str | None
    text: str
    gold: GoldValue | None

    @property
    def post_id(self) -> str:
        return self.unit.post_id

    @property
    def status(self) -> str:
        return "open" if self.gold is None else "resolved"


def disagreements(
    conn: sqlite3.Connection, selection: Selection | None = None, *, include_resolved: bool = True
) -> Iterator[Disagreement]:
    """Stream the disagreements over posts two or more coders completed, by post then codebook order."""
    with select(conn, selection or Selection()) as cells:
        yield from disagreements_in(cells, list_targets(conn), include_resolved=include_resolved)


def disagreements_in(
    cells: Cells, targets: Sequence[Target], *, include_resolved: bool = True
) -> Iterator[Disagreement]:
    """The disagreements among already selected work (see ``archive.agreement.select``)."""
    for post_id, differing in differing_values(cells, targets):
        gold = post_gold(cells.conn, post_id)
        root, url, text = _post(cells.conn, post_id)
        for unit in differing:
            decided = gold.get(unit.target.name)
            if decided is None or include_resolved:
                yield Disagreement(unit, root, url, text, decided)


def _post(conn: sqlite3.Connection, post_id: str) -> tuple[str, str | None, str]:
    row = conn.execute("SELECT coalesce(root_id, id), url, text FROM posts WHERE id = ?", (post_id,)).fetchone()
    return str(row[0]), row[1], str(row[2])
