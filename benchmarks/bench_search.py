"""Search benchmark: Threadcoder's Whoosh index next to SQLite FTS5 answering the same queries, same run.

Builds (or reuses) a project of N synthetic posts from ``benchmarks.synth``, imported with the real
importer, gives 2% of the posts a code by each of two coders, then measures:

- indexing: a full rebuild (multiprocess writer) and an incremental catch-up of 5,000 posts (single
  writer), in posts per second; index size per post; index open time;
- per query class, the median and p90 of a whole search: the exact total, the first page of 50 hits
  and their highlighted snippets from SQLite. The baseline is an FTS5 table (porter stemming,
  diacritics folded) built in a copy of the same database, answering the same question the way an
  FTS5 design would: ``count(*)`` and the first 50 rows with ``snippet()``, filters joined in SQL.

Usage: python -m benchmarks.bench_search [N] [--seed S] [--runs R] [--json FILE]   (default N: 200000)
Data (synthetic file, project, FTS5 copy) go to $THREADCODER_BENCH_DATA or <tmp>/threadcoder-bench.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from archive.coding.blind import set_blind_mode
from archive.coding.codebook_edit import CodeDraft, add_code
from archive.coding.coders import add_coder
from archive.importing.pipeline import import_source
from archive.importing.sources import Source
from archive.jobs import drain
from archive.store.project import Project
from benchmarks.synth import generate
from index.indexer import catch_up, index_size, rebuild
from index.search import ProjectSearch
from index.storage import open_index

# Projects of a million posts take gigabytes: they live outside the repository unless told otherwise.
DATA = Path(os.environ.get("THREADCODER_BENCH_DATA", Path(tempfile.gettempdir()) / "threadcoder-bench"))
CATCH_UP = 5_000
SNIPPET = "snippet(fts, 0, '<mark>', '</mark>', '…', 24)"


def archive_file(n: int, seed: int) -> Path:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"synth-{n}-{seed}.jsonl"
    if not path.exists():
        partial = path.with_suffix(".partial")
        generate(partial, n, seed)
        partial.replace(path)
    return path


def build_project(n: int, seed: int) -> tuple[Path, float]:
    """The imported project (kept between runs); returns its folder and the import time (0 if reused)."""
    folder = DATA / f"search-{n}-{seed}.threadcoder"
    if (folder / "project.db").exists():
        return folder, 0.0
    shutil.rmtree(folder, ignore_errors=True)
    source = archive_file(n, seed)
    started = time.perf_counter()
    with Project.create_or_open(folder) as project:
        drain(import_source(project, Source(source)))
        _code_some(project)
    return folder, time.perf_counter() - started


def _code_some(project: Project) -> None:
    """Two coders each code 2% of the posts "backlash" and finish 3%; written in bulk, queued for the index."""
    db = project.db
    ana, ben = add_coder(db, "ana"), add_coder(db, "ben")
    code = add_code(db, ana.id, CodeDraft("backlash"))
    set_blind_mode(db, False, ana.id)
    now = "2026-01-01T00:00:00Z"
    with db.atomic():
        for coder, modulo in ((ana.id, 50), (ben.id, 47)):
            keys = [
                k for (k,) in db.conn.execute(f"SELECT id FROM posts WHERE kind='collected' AND rowid % {modulo} = 0")
            ]
            db.conn.executemany(
                "INSERT INTO codings (post_id, code_id, coder_id, codebook_version, created_at) VALUES (?, ?, ?, 1, ?)",
                [(key, code.id, coder, now) for key in keys],
            )
            more = [
                k
                for (k,) in db.conn.execute(
                    f"SELECT id FROM posts WHERE kind='collected' AND rowid % {modulo - 17} = 1"
                )
            ]
            db.conn.executemany("INSERT OR IGNORE INTO coder_status VALUES (?, ?, ?)", [(k, coder, now) for k in more])
            db.conn.executemany(
                "INSERT OR REPLACE INTO index_queue (post_id, queued_at) VALUES (?, ?)", [(k, now) for k in keys + more]
            )


def measure_indexing(folder: Path) -> dict[str, float]:
    """Rebuild rate, catch-up rate, size per post and open time."""
    with Project(folder) as project:
        cpu_before = _cpu_seconds()
        started = time.perf_counter()
        summary = drain(rebuild(project))
        rebuild_seconds = time.perf_counter() - started
        rebuild_cpu = _cpu_seconds() - cpu_before
        size = index_size(project.index_path)
        keys = [k for (k,) in project.db.conn.execute(f"SELECT id FROM posts WHERE kind='collected' LIMIT {CATCH_UP}")]
        with project.db.atomic():
            project.db.conn.executemany(
                "INSERT OR REPLACE INTO index_queue (post_id, queued_at) VALUES (?, '2026-01-02T00:00:00Z')",
                [(k,) for k in keys],
            )
        started = time.perf_counter()
        drain(catch_up(project))
        catch_up_seconds = time.perf_counter() - started
        segments = len(open_index(project.index_path).reader().leaf_readers() or [None])
    opens, firsts = [], []
    with Project(folder, writable=False) as project:
        for _ in range(5):
            started = time.perf_counter()
            searcher = ProjectSearch(project)  # opens the index and a searcher
            opened = time.perf_counter()
            searcher.search("consent")  # reads the columns and posting lists it needs for the first time
            opens.append(opened - started)
            firsts.append(time.perf_counter() - opened)
            searcher.close()
    return {
        "posts_indexed": summary.indexed,
        "rebuild_s": rebuild_seconds,
        "rebuild_rate": summary.indexed / rebuild_seconds,
        "catch_up_rate": len(keys) / catch_up_seconds,
        "index_mb": size / 1e6,
        "bytes_per_post": size / summary.indexed,
        "open_ms": statistics.median(opens) * 1000,
        "first_query_ms": statistics.median(firsts) * 1000,
        "rebuild_cpu_s": rebuild_cpu,
        "segments": segments,
    }


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the multiprocess writer's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def fts_copy(folder: Path) -> tuple[sqlite3.Connection, float]:
    """A copy of the project database with an FTS5 index of the post texts; returns it and the build time."""
    target = DATA / f"{folder.name}.fts.db"
    target.unlink(missing_ok=True)
    source = sqlite3.connect(folder / "project.db")
    copy = sqlite3.connect(target)
    source.backup(copy)
    source.close()
    started = time.perf_counter()
    copy.executescript(
        "CREATE VIRTUAL TABLE fts USING fts5(text, content='posts', content_rowid='rowid', "
        "tokenize='porter unicode61 remove_diacritics 2');"
        "INSERT INTO fts(rowid, text) SELECT rowid, text FROM posts WHERE kind != 'placeholder';"
    )
    copy.commit()
    return copy, time.perf_counter() - started


def busiest_author(conn: sqlite3.Connection) -> str:
    row = conn.execute(
        "SELECT a.handle FROM posts p JOIN authors a ON a.id = p.author_id WHERE p.kind = 'collected' "
        "GROUP BY a.handle ORDER BY count(*) DESC LIMIT 1 OFFSET 5"
    ).fetchone()
    return str(row[0])


def query_classes(author: str) -> list[tuple[str, str, str, str, list[Any]]]:
    """(class, our query, our sort, FTS5 SQL with a {columns} slot and ORDER/LIMIT, parameters)."""
    day_end = "2017-10-24T23:59:59Z"
    return [
        (
            "term",
            "consent",
            "relevance",
            "FROM fts JOIN posts p ON p.rowid = fts.rowid WHERE fts MATCH 'consent' AND p.kind != 'context' {order}",
            [],
        ),
        (
            "phrase, rare words",
            '"believe survivors"',
            "relevance",
            "FROM fts JOIN posts p ON p.rowid = fts.rowid WHERE fts MATCH '\"believe survivors\"' "
            "AND p.kind != 'context' {order}",
            [],
        ),
        (
            "phrase with a common word",
            '"the women"',
            "relevance",
            "FROM fts JOIN posts p ON p.rowid = fts.rowid WHERE fts MATCH '\"the women\"' AND p.kind != 'context' "
            "{order}",
            [],
        ),
        (
            "phrase of common words",
            '"to the"',
            "relevance",
            "FROM fts JOIN posts p ON p.rowid = fts.rowid WHERE fts MATCH '\"to the\"' AND p.kind != 'context' {order}",
            [],
        ),
        (
            "hashtag + date range",
            "#metoo date:2017-10-15..2017-10-24",
            "-date",
            "FROM posts p JOIN fts ON fts.rowid = p.rowid WHERE p.kind != 'context' AND p.created_at BETWEEN ? AND ? "
            "AND EXISTS (SELECT 1 FROM post_hashtags h WHERE h.post_id = p.id AND h.tag = 'metoo') {date_order}",
            ["2017-10-15", day_end],
        ),
        (
            "author + boolean",
            f"author:{author} (women OR men) -is:repost",
            "relevance",
            "FROM fts JOIN posts p ON p.rowid = fts.rowid JOIN authors a ON a.id = p.author_id "
            "WHERE fts MATCH 'women OR men' AND a.handle = ? AND p.is_repost = 0 AND p.kind != 'context' {order}",
            [author],
        ),
        (
            "coded",
            "code:backlash",
            "-date",
            "FROM posts p JOIN fts ON fts.rowid = p.rowid WHERE p.kind != 'context' AND EXISTS "
            "(SELECT 1 FROM codings c JOIN codes k ON k.id = c.code_id WHERE c.post_id = p.id "
            "AND k.name = 'backlash') {date_order}",
            [],
        ),
        (
            "uncoded + term",
            "uncoded consent",
            "relevance",
            "FROM fts JOIN posts p ON p.rowid = fts.rowid WHERE fts MATCH 'consent' AND p.kind != 'context' "
            "AND NOT EXISTS (SELECT 1 FROM codings c WHERE c.post_id = p.id) "
            "AND NOT EXISTS (SELECT 1 FROM coder_status s WHERE s.post_id = p.id) {order}",
            [],
        ),
    ]


def fts_search(conn: sqlite3.Connection, sql: str, params: list[Any]) -> int:
    """The FTS5 answer to one search: total, then 50 ids with snippets."""
    where = sql.format(order="", date_order="")
    total = int(conn.execute(f"SELECT count(*) {where}", params).fetchone()[0])
    page = sql.format(order="ORDER BY fts.rank LIMIT 50", date_order="ORDER BY p.created_at DESC LIMIT 50")
    conn.execute(f"SELECT p.id, {SNIPPET} {page}", params).fetchall()
    return total


def timed(run: Callable[[], int], runs: int) -> tuple[float, float, float, int]:
    """First run, median and p90 in milliseconds, and the total the search reported."""
    times = []
    total = 0
    for _ in range(runs + 1):
        started = time.perf_counter()
        total = run()
        times.append((time.perf_counter() - started) * 1000)
    first, rest = times[0], sorted(times[1:])
    return first, statistics.median(rest), rest[max(0, int(len(rest) * 0.9) - 1)], total


def measure_queries(folder: Path, conn: sqlite3.Connection, runs: int) -> list[dict[str, Any]]:
    rows = []
    author = busiest_author(conn)
    with Project(folder, writable=False) as project, ProjectSearch(project) as searcher:
        for name, query, sort, sql, params in query_classes(author):
            first, median, p90, total = timed(lambda q=query, s=sort: _afresh(searcher, q, s), runs)
            _, fts_median, fts_p90, fts_total = timed(lambda s=sql, p=params: fts_search(conn, s, p), runs)
            ratio = median / fts_median if fts_median else float("inf")
            rows.append(
                {
                    "class": name,
                    "query": query,
                    "sort": sort,
                    "total": total,
                    "first_ms": first,
                    "median_ms": median,
                    "p90_ms": p90,
                    "fts_total": fts_total,
                    "fts_median_ms": fts_median,
                    "fts_p90_ms": fts_p90,
                    "ratio": ratio,
                }
            )
        started = time.perf_counter()
        searcher.facets("#metoo date:2017-10-15..2017-10-24")
        rows.append({"class": "facets of hashtag + date range", "median_ms": (time.perf_counter() - started) * 1000})
    return rows


def _afresh(searcher: ProjectSearch, query: str, sort: str) -> int:
    """The total of a search that does not reuse the phrase occurrences kept by the one before (kept for
    the next page of the same search); kept posting lists of facts and columns are reused, as in the app."""
    searcher.cache.sequences.forget_phrases()
    return searcher.search(query, sort=sort).total


def report(n: int, imported: float, indexing: dict[str, float], fts_build: float, rows: list[dict[str, Any]]) -> str:
    lines = [
        *_indexing_lines(n, imported, indexing, fts_build),
        "",
        "| query class | query | sort | total | Threadcoder median / p90 (first) | FTS5 median / p90 | ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if "query" not in row:
            lines.append(f"| {row['class']} | | | | {row['median_ms']:.0f} ms (one run) | | |")
            continue
        lines.append(
            f"| {row['class']} | `{row['query']}` | {row['sort']} | {row['total']:,} (FTS5 {row['fts_total']:,}) | "
            f"{row['median_ms']:.1f} / {row['p90_ms']:.1f} ms ({row['first_ms']:.0f}) | "
            f"{row['fts_median_ms']:.1f} / {row['fts_p90_ms']:.1f} ms | {row['ratio']:.1f}x |"
        )
    return "\n".join(lines)


def _indexing_lines(n: int, imported: float, indexing: dict[str, float], fts_build: float) -> list[str]:
    head = f"## Search benchmark, N = {n:,} synthetic posts (load average {os.getloadavg()[0]:.1f})"
    if not indexing:
        return [head, "", f"- queries only, on the existing index; FTS5 build: {fts_build:.1f} s"]
    return [
        head,
        "",
        f"- import (for context): {imported:.0f} s" if imported else "- import: reused project",
        f"- rebuild: {indexing['posts_indexed']:,} posts in {indexing['rebuild_s']:.1f} s = "
        f"{indexing['rebuild_rate']:,.0f} posts/s ({indexing['segments']} segments; "
        f"{indexing['rebuild_cpu_s']:.0f} CPU-seconds over both cores); FTS5 build: {fts_build:.1f} s",
        f"- catch-up of {CATCH_UP:,} queued posts (single writer): {indexing['catch_up_rate']:,.0f} posts/s",
        f"- index size: {indexing['index_mb']:.0f} MB = {indexing['bytes_per_post']:.0f} bytes per post",
        f"- index open: {indexing['open_ms']:.0f} ms; first query after opening: {indexing['first_query_ms']:.0f} ms",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_search", description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=200_000, help="synthetic posts (default 200000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=15, help="timed runs per query after the first")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--queries-only", action="store_true", help="reuse the index; time the queries only")
    args = parser.parse_args(argv)
    folder, imported = build_project(args.n, args.seed)
    indexing = {} if args.queries_only else measure_indexing(folder)
    conn, fts_build = fts_copy(folder)
    rows = measure_queries(folder, conn, args.runs)
    conn.close()
    text = report(args.n, imported, indexing, fts_build, rows)
    print(text)
    if args.json:
        args.json.write_text(
            json.dumps({"n": args.n, "indexing": indexing, "fts_build_s": fts_build, "queries": rows}, indent=2)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
