"""Which (post, coder) pairs a reliability run, an adjudication or an export uses: completed work only.

A pair is *selected* when the coder marked the post done (``coder_status``); codes applied to a post that
is not done are work in progress and count as "not coded" (missing), never as absent. A selection can keep
one sample's posts, and the work done under one codebook version. That version is, per pair, the newest
version among the coder's codings on the post, or, for "no code applies", the version in force when the
coder marked it done. Posts that fewer than ``min_coders`` coders completed (within the selection) are
left out.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter

from archive.coding.errors import CodingError
from archive.coding.samples import get_sample

# The codebook version a coder's work on a post was done under (see the module docstring). Versions rise
# with time, so the newest change made before the completion is the one in force then.
_CELL_VERSION = (
    "coalesce((SELECT max(c.codebook_version) FROM codings c WHERE c.post_id = s.post_id "
    "AND c.coder_id = s.coder_id), (SELECT h.version FROM codebook_changes h WHERE h.at <= s.completed_at "
    "ORDER BY h.version DESC LIMIT 1), 0)"
)
_names = itertools.count(1)


@dataclass(frozen=True)
class Selection:
    """Filters on completed work: a sample (a coding round), a codebook version, a minimum of coders."""

    sample: str | None = None
    codebook_version: int | None = None
    min_coders: int = 2

    def describe(self) -> dict[str, object]:
        """The filter as reports and exports record it."""
        return {"sample": self.sample, "codebook_version": self.codebook_version, "min_coders": self.min_coders}


@dataclass(frozen=True, slots=True)
class CellRow:
    """One coder's completed work on one post: the codes they applied (whole post or spans)."""

    post_id: str
    coder_id: int
    version: int
    completed_at: str
    code_ids: frozenset[int]


@dataclass(frozen=True)
class Cells:
    """The selected pairs, held in a temporary table for as long as the ``select`` block runs."""

    conn: sqlite3.Connection
    table: str

    def coders(self) -> list[tuple[int, str]]:
        """(id, name) of every coder with a selected pair, by name."""
        sql = (
            f"SELECT id, name FROM coders WHERE id IN (SELECT DISTINCT coder_id FROM temp.{self.table}) "
            "ORDER BY name COLLATE NOCASE, id"
        )
        return [(int(i), str(n)) for i, n in self.conn.execute(sql)]

    def count(self) -> int:
        """Selected (post, coder) pairs."""
        return int(self.conn.execute(f"SELECT count(*) FROM temp.{self.table}").fetchone()[0])

    def post_count(self) -> int:
        """Posts with at least one selected pair."""
        return int(self.conn.execute(f"SELECT count(DISTINCT post_id) FROM temp.{self.table}").fetchone()[0])

    def versions(self) -> list[int]:
        """The codebook versions the selected work was done under."""
        sql = f"SELECT DISTINCT version FROM temp.{self.table} ORDER BY version"
        return [int(row[0]) for row in self.conn.execute(sql)]

    def rows(self) -> Iterator[CellRow]:
        """Every selected pair with its codes, by post then coder id, streamed from SQLite."""
        sql = (
            f"SELECT t.post_id, t.coder_id, t.version, t.completed_at, group_concat(c.code_id) "
            f"FROM temp.{self.table} t LEFT JOIN codings c ON c.post_id = t.post_id AND c.coder_id = t.coder_id "
            "GROUP BY t.post_id, t.coder_id ORDER BY t.post_id, t.coder_id"
        )
        for post_id, coder_id, version, completed_at, codes in self.conn.execute(sql):
            ids = frozenset(int(code) for code in codes.split(",")) if codes else frozenset()
            yield CellRow(post_id, coder_id, version, completed_at, ids)

    def units(self) -> Iterator[tuple[str, list[CellRow]]]:
        """The selected pairs grouped by post: (post id, one row per coder who completed it)."""
        for post_id, group in itertools.groupby(self.rows(), key=attrgetter("post_id")):
            yield post_id, list(group)


@contextmanager
def select(conn: sqlite3.Connection, selection: Selection) -> Iterator[Cells]:
    """Fill a temporary table with the selected pairs; it is dropped when the block ends.

    Works on read-only connections (temporary tables live outside the project file).
    """
    if selection.min_coders < 1:
        raise CodingError("a selection needs at least one coder per post")
    table = f"tc_cells_{next(_names)}"
    conn.execute(
        f"CREATE TEMP TABLE {table} (post_id TEXT NOT NULL, coder_id INTEGER NOT NULL, version INTEGER NOT NULL, "
        "completed_at TEXT NOT NULL, PRIMARY KEY (post_id, coder_id)) WITHOUT ROWID"
    )
    try:
        _fill(conn, table, selection)
        yield Cells(conn, table)
    finally:
        conn.execute(f"DROP TABLE IF EXISTS temp.{table}")


def _fill(conn: sqlite3.Connection, table: str, selection: Selection) -> None:
    where, params = "1", []
    if selection.sample is not None:
        sample = get_sample(conn, selection.sample)
        where, params = "s.post_id IN (SELECT post_id FROM sample_posts WHERE sample_id = ?)", [sample.id]
    conn.execute(
        f"INSERT INTO temp.{table} (post_id, coder_id, version, completed_at) "
        f"SELECT s.post_id, s.coder_id, {_CELL_VERSION}, s.completed_at FROM coder_status s WHERE {where}",
        params,
    )
    if selection.codebook_version is not None:
        conn.execute(f"DELETE FROM temp.{table} WHERE version != ?", (selection.codebook_version,))
    if selection.min_coders > 1:
        conn.execute(
            f"DELETE FROM temp.{table} WHERE post_id IN "
            f"(SELECT post_id FROM temp.{table} GROUP BY post_id HAVING count(*) < ?)",
            (selection.min_coders,),
        )
