"""Reproducible samples for double coding: simple random, stratified (platform, month, hashtag), whole threads.

A draw ranks every unit (a post, or a thread's root) by the SHA-256 of ``"{seed}:{unit id}"`` and keeps
those of smallest rank: a simple random sample that depends only on the seed and the population, never on the
order rows come out of SQLite or on the Python version. Stratified draws rank within each stratum. The
seed and the rule (with the population and the count drawn per stratum) are stored with the sample.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlite_utils import Database

from archive.coding.errors import CodingError
from archive.store.clock import now
from archive.store.posts import existing_posts
from archive.store.sql import marks

METHODS = ("random", "stratified", "threads")
STRATA = ("platform", "month", "hashtag")
ALLOCATIONS = ("proportional", "equal")


@dataclass(frozen=True)
class SampleRule:
    """How to draw: ``size`` counts posts, or threads for the "threads" method."""

    method: str = "random"
    size: int = 100
    by: str | None = None  # stratified: platform, month or hashtag
    hashtags: tuple[str, ...] = ()  # stratified by hashtag: the strata; a post joins the first it carries
    allocation: str = "proportional"  # stratified: proportional to stratum size, or equal
    include_reposts: bool = False
    min_thread_posts: int = 2  # threads: smaller threads are not drawn

    def check(self) -> None:
        if self.method not in METHODS:
            raise CodingError(f"'{self.method}' is not a sampling method: use {', '.join(METHODS)}")
        if self.size < 1:
            raise CodingError("a sample needs a size of at least 1")
        if self.method == "stratified" and self.by not in STRATA:
            raise CodingError(f"a stratified sample needs strata: by {', '.join(STRATA)}")
        if self.by == "hashtag" and not self.hashtags:
            raise CodingError("a sample stratified by hashtag needs the hashtags that make the strata")
        if self.allocation not in ALLOCATIONS:
            raise CodingError(f"'{self.allocation}' is not an allocation: use {', '.join(ALLOCATIONS)}")


@dataclass(frozen=True)
class Sample:
    id: int
    name: str
    method: str
    seed: int
    rule: dict[str, Any]  # the SampleRule, the population description and per-stratum counts
    population: int  # units the draw chose from
    size: int  # posts in the sample
    created_at: str


@dataclass
class _Draw:
    posts: list[tuple[str, str]] = field(default_factory=list)  # (post id, stratum) in draw order
    strata: dict[str, dict[str, int]] = field(default_factory=dict)
    population: int = 0


def draw_sample(
    db: Database,
    name: str,
    rule: SampleRule,
    seed: int,
    *,
    coder_id: int | None = None,
    population: Sequence[str] | None = None,
    population_query: str | None = None,
) -> Sample:
    """Draw and store a sample; ``population`` (e.g. a search's hits) replaces "every collected post".

    ``population_query`` names the search that gave ``population``; it is stored with the rule and reported.
    """
    rule.check()
    if not name.strip():
        raise CodingError("a sample needs a name")
    with db.atomic():
        conn = db.conn
        if conn.execute("SELECT 1 FROM samples WHERE name = ?", (name.strip(),)).fetchone():
            raise CodingError(f"there is already a sample named '{name.strip()}'")
        drawn = _draw(conn, rule, seed, population)
        stored = {**asdict(rule), "population": _describe(population, population_query), "strata": drawn.strata}
        cursor = conn.execute(
            "INSERT INTO samples (name, method, rule, seed, population, created_at, coder_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (name.strip(), rule.method, json.dumps(stored), seed, drawn.population, now(), coder_id),
        )
        conn.executemany(
            "INSERT INTO sample_posts (sample_id, post_id, position, stratum) VALUES (?, ?, ?, ?)",
            [(cursor.lastrowid, post, position, stratum) for position, (post, stratum) in enumerate(drawn.posts)],
        )
        return get_sample(conn, name.strip())


def redraw(conn: sqlite3.Connection, sample: Sample, population: Sequence[str] | None = None) -> list[str]:
    """Draw again by the stored seed and rule (without storing): the same posts while the data are the same."""
    fields = {k: v for k, v in sample.rule.items() if k in SampleRule.__dataclass_fields__}
    rule = SampleRule(**{**fields, "hashtags": tuple(fields.get("hashtags", ()))})
    return [post for post, _ in _draw(conn, rule, sample.seed, population).posts]


def get_sample(conn: sqlite3.Connection, name: str) -> Sample:
    row = conn.execute(
        "SELECT id, name, method, seed, rule, population, created_at, "
        "(SELECT count(*) FROM sample_posts WHERE sample_id = samples.id) FROM samples WHERE name = ?",
        (name.strip(),),
    ).fetchone()
    if row is None:
        raise CodingError(f"no sample named '{name.strip()}'")
    sample_id, name_, method, seed, rule, population, created_at, size = row
    return Sample(sample_id, name_, method, seed, json.loads(rule), population, size, created_at)


def list_samples(conn: sqlite3.Connection) -> list[Sample]:
    names = [row[0] for row in conn.execute("SELECT name FROM samples ORDER BY id")]
    return [get_sample(conn, name) for name in names]


def sample_posts(conn: sqlite3.Connection, sample_id: int) -> list[str]:
    """The sample's posts in draw order (a random order, good for coding)."""
    sql = "SELECT post_id FROM sample_posts WHERE sample_id = ? ORDER BY position"
    return [row[0] for row in conn.execute(sql, (sample_id,))]


def _rank(seed: int, unit: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{unit}".encode()).digest())


def _select(rows: Iterable[tuple[str, str]], quotas: dict[str, int], seed: int) -> dict[str, list[str]]:
    """The units of smallest rank in each stratum, in one streaming pass (memory bounded by the quotas)."""
    heaps: dict[str, list[tuple[int, str]]] = {}
    for unit, stratum in rows:
        quota = quotas.get(stratum, 0)
        if quota == 0:
            continue
        heap = heaps.setdefault(stratum, [])
        key = -_rank(seed, unit)  # a max-heap of the smallest ranks seen so far
        if len(heap) < quota:
            heapq.heappush(heap, (key, unit))
        elif key > heap[0][0]:
            heapq.heapreplace(heap, (key, unit))
    return {stratum: [unit for _, unit in sorted(heap, reverse=True)] for stratum, heap in heaps.items()}


def _draw(conn: sqlite3.Connection, rule: SampleRule, seed: int, population: Sequence[str] | None) -> _Draw:
    if population is not None:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS sample_population (post_id TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM temp.sample_population")
        known = existing_posts(conn, population)
        missing = sorted(set(population) - known)
        if missing:
            raise CodingError(f"{len(missing)} post(s) of the population are not in the project, e.g. {missing[0]}")
        conn.executemany("INSERT OR IGNORE INTO temp.sample_population VALUES (?)", [(p,) for p in known])
    if rule.method == "threads":
        return _draw_threads(conn, rule, seed, population is not None)
    sql, params, names = _units(rule, population is not None)
    sizes = {str(s): n for s, n in conn.execute(f"SELECT stratum, count(*) FROM ({sql}) GROUP BY stratum", params)}
    quotas = _allocate(sizes, rule)
    chosen = _select(((unit, str(stratum)) for unit, stratum in conn.execute(sql, params)), quotas, seed)
    drawn = _Draw(population=sum(sizes.values()))
    for stratum in sorted(sizes, key=names):
        drawn.posts.extend((post, names(stratum)) for post in chosen.get(stratum, []))
        if rule.method == "stratified":
            drawn.strata[names(stratum)] = {"population": sizes[stratum], "drawn": len(chosen.get(stratum, []))}
    drawn.posts.sort(key=lambda item: _rank(seed, item[0]))  # strata interleaved: a random coding order
    return drawn


def _units(rule: SampleRule, restricted: bool) -> tuple[str, list[str], Callable[[str], str]]:
    """SQL for (unit, stratum) over the population, its parameters, and the stratum's display name."""
    where = "p.kind = 'collected'" + ("" if rule.include_reposts else " AND p.is_repost = 0")
    if restricted:
        where += " AND p.id IN (SELECT post_id FROM temp.sample_population)"
    if rule.method == "random" or rule.by == "platform":
        column = "''" if rule.method == "random" else "p.platform"
        return f"SELECT p.id AS unit, {column} AS stratum FROM posts p WHERE {where}", [], str
    if rule.by == "month":
        column = "coalesce(substr(p.created_at, 1, 7), 'no date')"
        return f"SELECT p.id AS unit, {column} AS stratum FROM posts p WHERE {where}", [], str
    # By hashtag: a post carrying several of the listed tags joins the first one listed.
    tags = list(dict.fromkeys(t.lstrip("#").casefold() for t in rule.hashtags))
    order = " ".join(f"WHEN ? THEN {i}" for i in range(len(tags)))
    sql = (
        f"SELECT p.id AS unit, min(CASE h.tag {order} END) AS stratum FROM posts p "
        f"JOIN post_hashtags h ON h.post_id = p.id WHERE {where} AND h.tag IN ({marks(len(tags))}) GROUP BY p.id"
    )
    return sql, [*tags, *tags], lambda index: tags[int(index)]


def _allocate(sizes: dict[str, int], rule: SampleRule) -> dict[str, int]:
    """How many posts each stratum gives: proportional by largest remainders, or equal; never more than it has."""
    total = sum(sizes.values())
    if total == 0:
        return {}
    if rule.allocation == "equal" and rule.method == "stratified":
        names = sorted(sizes)
        share, extra = divmod(rule.size, len(names))
        return {s: min(sizes[s], share + (1 if i < extra else 0)) for i, s in enumerate(names)}
    wanted = min(rule.size, total)
    exact = {s: wanted * n / total for s, n in sizes.items()}
    quotas = {s: int(q) for s, q in exact.items()}
    leftover = wanted - sum(quotas.values())
    for stratum in sorted(exact, key=lambda s: (quotas[s] - exact[s], s))[:leftover]:
        quotas[stratum] += 1
    return quotas


def _draw_threads(conn: sqlite3.Connection, rule: SampleRule, seed: int, restricted: bool) -> _Draw:
    where = "p.kind IN ('collected', 'context') AND p.root_id IS NOT NULL"
    if restricted:
        where += " AND p.root_id IN (SELECT post_id FROM temp.sample_population)"
    sql = (
        f"SELECT p.root_id, '' FROM posts p WHERE {where} GROUP BY p.root_id "
        "HAVING count(*) >= ? AND sum(p.kind = 'collected') > 0"
    )
    population = conn.execute(f"SELECT count(*) FROM ({sql})", (rule.min_thread_posts,)).fetchone()[0]
    roots = _select(conn.execute(sql, (rule.min_thread_posts,)), {"": rule.size}, seed).get("", [])
    drawn = _Draw(population=population)
    for root in roots:
        members = conn.execute(
            "SELECT id FROM posts WHERE root_id = ? AND kind IN ('collected', 'context') "
            "ORDER BY created_at IS NULL, created_at, id",
            (root,),
        )
        drawn.posts.extend((post, root) for (post,) in members)
    return drawn


def _describe(population: Sequence[str] | None, query: str | None = None) -> str:
    if population is None:
        return "every collected post"
    digest = hashlib.sha256("\n".join(sorted(set(population))).encode()).hexdigest()
    source = f"the posts matching the search {query!r}" if query else "a given list"
    return f"{source}: {len(set(population))} posts (sha256 {digest})"
