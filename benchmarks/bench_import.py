"""Import benchmark: Threadcoder's import of N synthetic twarc2 posts next to a raw sqlite3 baseline.

The baseline, run in the same process on the same file, parses every line with orjson and inserts the
same rows that Threadcoder's import stored (every table: posts with their compressed raw copies,
context posts and placeholders, authors, hashtags, mentions, urls, media, the index queue) into the
same schema with the same indexes, with ``executemany`` in one transaction. The rows are read from
Threadcoder's result before the baseline's clock starts, so the baseline does none of the work of
turning tweets into rows: it is what parsing plus raw SQLite costs for the same data.
Peak memory of the import is measured in a fresh child process.

Usage: python -m benchmarks.bench_import [N ...] [--seed S]   (default N: 100000)
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
import psutil

from archive.importing.pipeline import import_source
from archive.importing.sources import Source
from archive.jobs import drain
from archive.store.project import Project
from archive.store.schema import MIGRATIONS
from benchmarks.synth import generate

DATA = Path(__file__).parent / "data"
IMPORT_TABLES = (
    "posts",
    "authors",
    "post_hashtags",
    "post_mentions",
    "post_urls",
    "media",
    "index_queue",
    "import_errors",
)


def archive_file(n: int, seed: int) -> Path:
    DATA.mkdir(exist_ok=True)
    path = DATA / f"synth-{n}-{seed}.jsonl"
    if not path.exists():
        partial = path.with_suffix(".partial")
        generate(partial, n, seed)
        partial.replace(path)  # an interrupted run never leaves a short file behind under the real name
    return path


def stored_rows(folder: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables an import writes, as Threadcoder stored them."""
    conn = sqlite3.connect(folder / "project.db")
    try:
        return {table: conn.execute(f"SELECT * FROM {table}").fetchall() for table in IMPORT_TABLES}
    finally:
        conn.close()


def baseline(path: Path, db_path: Path, rows: dict[str, list[tuple[object, ...]]]) -> int:
    """Parse every line, then insert ``rows`` with raw sqlite3 in one transaction; returns posts inserted."""
    with path.open("rb") as stream:
        for line in stream:
            orjson.loads(line)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA cache_size=-65536")  # the page cache a project connection has (archive/store/project.py)
    for migration in MIGRATIONS:  # the same schema, indexes included, as a project has
        for statement in migration:
            conn.execute(statement)
    conn.execute(
        "INSERT INTO imports (id, file, sha256, format, status, started_at) VALUES (1, '', '', '', 'complete', '')"
    )
    conn.execute("BEGIN")
    for table, values in rows.items():
        if values:
            marks = ", ".join("?" * len(values[0]))
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
    conn.execute("COMMIT")
    conn.close()
    return sum(1 for row in rows["posts"] if row[3] == "collected")


def threadcoder_import(path: Path, folder: Path) -> int:
    with Project.create_or_open(folder) as project:
        summary = drain(import_source(project, Source(path)))
    return summary.counts.new


def peak_rss_mb(path: Path, folder: Path) -> float:
    """Peak RSS of a fresh process that runs only the import, its reader process included (sampled)."""
    code = (
        "import sys; from pathlib import Path; from benchmarks.bench_import import threadcoder_import; "
        "threadcoder_import(Path(sys.argv[1]), Path(sys.argv[2]))"
    )
    child = subprocess.Popen([sys.executable, "-c", code, str(path), str(folder)])
    watched = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        try:
            members = [watched, *watched.children(recursive=True)]
            peak = max(peak, sum(m.memory_info().rss for m in members))
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.05)
    return peak / 2**20


def run(n: int, seed: int) -> dict[str, float]:
    path = archive_file(n, seed)
    with tempfile.TemporaryDirectory() as tmp:
        ours = Path(tmp) / "ours.threadcoder"
        start = time.perf_counter()
        ours_posts = threadcoder_import(path, ours)
        ours_s = time.perf_counter() - start
        rows = stored_rows(ours)
        start = time.perf_counter()
        base_posts = baseline(path, Path(tmp) / "baseline.db", rows)
        base_s = time.perf_counter() - start
        del rows
        rss = peak_rss_mb(path, Path(tmp) / "memory.threadcoder")
    return {
        "n": n,
        "baseline_posts": base_posts,
        "posts": ours_posts,
        "baseline_s": base_s,
        "ours_s": ours_s,
        "baseline_rate": base_posts / base_s,
        "ours_rate": ours_posts / ours_s,
        "ratio": (ours_posts / ours_s) / (base_posts / base_s),
        "peak_rss_mb": rss,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000])
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args()
    print("| posts | baseline posts/s | Threadcoder posts/s | ratio (ours / baseline) | peak RSS of import |")
    print("|---|---|---|---|---|")
    for n in args.sizes:
        r = run(n, args.seed)
        print(
            f"| {n:,} | {r['baseline_rate']:,.0f} | {r['ours_rate']:,.0f} | {r['ratio']:.2f}x | "
            f"{r['peak_rss_mb']:.0f} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
