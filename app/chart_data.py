"""The numbers behind the charts, read by SQL (Qt-free): posts per day, stacked by hashtag or code; codes per coder.

Both respect the list the researcher is looking at: every collected post, or a search's posts (the rowids
of the post list). Codes count only the codings the viewer may see (blind mode: their own).
"""

from __future__ import annotations

import sqlite3
from array import array
from collections import defaultdict
from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from app.jobs import Job
from archive.coding.blind import visibility_clause
from archive.coding.codebook import list_codes
from archive.jobs import CancelToken
from archive.store.project import Project
from archive.store.sql import marks

STACK_LIMIT = 6  # more layers than this are unreadable; the rest is shown as "other"
OTHER = "other"
STACKS = ("none", "hashtag", "code")


@dataclass(slots=True)
class Timeline:
    """Posts per day (UTC), as one total or in layers; ``days`` is sorted, each layer has a count per day."""

    days: list[str] = field(default_factory=list)
    layers: dict[str, list[int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(sum(counts) for counts in self.layers.values())


@dataclass(frozen=True, slots=True)
class Bins:
    """A timeline on a calendar with no holes: every day (week, month) in its range, zero where none posted.

    ``starts`` are ISO dates of each bin's first day; ``layers`` hold a count per bin. Drawing only the days
    that had posts joined them with slopes, so 18 silent months looked like a slow decline.
    """

    unit: str  # "day", "week" (weeks start on Monday) or "month"
    starts: list[str]
    layers: dict[str, list[int]]


DAYS_BY_DAY = 120  # up to four months a day is a bin; up to two years a week; beyond, a month
DAYS_BY_WEEK = 730


def bins(data: Timeline) -> Bins:
    """The timeline in bins of a day, a week or a month, whichever keeps its range readable."""
    if not data.days:
        return Bins("day", [], {name: [] for name in data.layers})
    first, last = date.fromisoformat(data.days[0]), date.fromisoformat(data.days[-1])
    span = (last - first).days + 1
    unit = "day" if span <= DAYS_BY_DAY else "week" if span <= DAYS_BY_WEEK else "month"
    starts = _calendar(first, last, unit)
    index = {start: number for number, start in enumerate(starts)}
    layers = {name: [0] * len(starts) for name in data.layers}
    for position, day in enumerate(data.days):
        slot = index[_bin_start(date.fromisoformat(day), unit)]
        for name, counts in data.layers.items():
            layers[name][slot] += counts[position]
    return Bins(unit, [start.isoformat() for start in starts], layers)


def bin_end(start: str, unit: str) -> str:
    """The first day after the bin that starts on ``start``."""
    first = date.fromisoformat(start)
    return _next(first, unit).isoformat()


def _bin_start(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def _next(start: date, unit: str) -> date:
    if unit == "week":
        return start + timedelta(days=7)
    if unit == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=1)


def _calendar(first: date, last: date, unit: str) -> list[date]:
    starts, current = [], _bin_start(first, unit)
    while current <= last:
        starts.append(current)
        current = _next(current, unit)
    return starts


@dataclass(slots=True)
class CodeCounts:
    """Posts per code and coder: ``codes`` in codebook order, ``coders`` by name, ``counts[coder][i]``."""

    codes: list[str] = field(default_factory=list)
    coders: list[str] = field(default_factory=list)
    counts: dict[str, list[int]] = field(default_factory=dict)


def _scope(conn: sqlite3.Connection, rowids: array[int] | None) -> str:
    """The condition selecting the listed posts (``p`` is posts); a search's rowids go to a temp table."""
    if rowids is None:
        return "p.kind = 'collected'"
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS chart_scope (rowid INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.chart_scope")
    conn.executemany("INSERT OR IGNORE INTO temp.chart_scope VALUES (?)", ((r,) for r in rowids))
    return "p.rowid IN (SELECT rowid FROM temp.chart_scope)"


def timeline(
    conn: sqlite3.Connection, rowids: array[int] | None, stack: str = "none", viewer_id: int | None = None
) -> Timeline:
    """Posts per day of the listed posts, stacked by their top hashtags or codes (others as "other")."""
    where = _scope(conn, rowids)
    day = "substr(p.created_at, 1, 10)"
    totals = dict(
        conn.execute(f"SELECT {day}, count(*) FROM posts AS p WHERE {where} AND p.created_at IS NOT NULL GROUP BY 1")
    )
    result = Timeline(sorted(totals))
    if stack == "none" or not totals:
        result.layers["posts"] = [totals[d] for d in result.days]
        return result
    # The stack adds up to the day's posts: a post with several of the top layers counts in the largest one,
    # a post with none of them in "other".
    joined, key, label, params = _layers(conn, stack, viewer_id)
    base = f"FROM posts AS p {joined} WHERE {where} AND p.created_at IS NOT NULL"
    top = conn.execute(
        f"SELECT {key}, min({label}) {base} GROUP BY 1 ORDER BY count(DISTINCT p.id) DESC, 2 LIMIT {STACK_LIMIT}",
        params,
    ).fetchall()
    rank = {layer: i for i, (layer, _) in enumerate(top)}
    best: dict[str, tuple[int, str]] = {}
    if top:
        rows = conn.execute(f"SELECT p.id, {day}, {key} {base} AND {key} IN ({marks(len(top))})", [*params, *rank])
        for post, on, layer in rows:
            if post not in best or rank[layer] < best[post][0]:
                best[post] = (rank[layer], on)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for position, on in best.values():
        counts[position][on] += 1
    for position, (_, name) in enumerate(top):
        result.layers[name] = [counts[position][d] for d in result.days]
    result.layers[OTHER] = [totals[d] - sum(counts[i][d] for i in range(len(top))) for d in result.days]
    return result


def _layers(conn: sqlite3.Connection, stack: str, viewer_id: int | None) -> tuple[str, str, str, list[int]]:
    """The join, the layer's key and label columns, and parameters, for stacking by hashtag or by code."""
    if stack == "hashtag":
        return "JOIN post_hashtags AS h ON h.post_id = p.id", "h.tag", "h.display", []
    visible, params = visibility_clause(conn, viewer_id, "c.coder_id")
    joined = f"JOIN codings AS c ON c.post_id = p.id AND {visible} JOIN codes AS k ON k.id = c.code_id"
    return joined, "k.id", "k.name", list(params)


def code_counts_by_coder(conn: sqlite3.Connection, rowids: array[int] | None, viewer_id: int | None) -> CodeCounts:
    """How many of the listed posts each coder gave each code (only coders the viewer may see)."""
    where = _scope(conn, rowids)
    visible, params = visibility_clause(conn, viewer_id, "c.coder_id")
    rows = conn.execute(
        f"SELECT k.id, k.name, r.name, count(DISTINCT c.post_id) FROM codings AS c JOIN posts AS p ON p.id = c.post_id "
        f"JOIN codes AS k ON k.id = c.code_id JOIN coders AS r ON r.id = c.coder_id WHERE {where} AND {visible} "
        "GROUP BY k.id, r.id",
        params,
    ).fetchall()
    order = {code.id: i for i, code in enumerate(list_codes(conn, include_retired=True))}
    codes = sorted({(order.get(code_id, 0), name) for code_id, name, _, _ in rows})
    names = [name for _, name in codes]
    coders = sorted({coder for _, _, coder, _ in rows}, key=str.casefold)
    counts = {coder: [0] * len(names) for coder in coders}
    for _, code, coder, count in rows:
        counts[coder][names.index(code)] = count
    return CodeCounts(names, coders, counts)


@dataclass(frozen=True, slots=True)
class ChartData:
    timeline: Timeline
    codes: CodeCounts


def chart_job(folder: Path, rowids: array[int] | None, stack: str, viewer_id: int | None) -> Job:
    """A job that reads both charts' numbers on a worker thread (a million posts take a second or two)."""

    def job(cancel: CancelToken) -> Generator[None, None, ChartData | None]:
        yield None
        if cancel.cancelled:
            return None
        with Project.attach(folder, writable=False) as project:
            conn = project.db.conn
            return ChartData(timeline(conn, rowids, stack, viewer_id), code_counts_by_coder(conn, rowids, viewer_id))

    return job
