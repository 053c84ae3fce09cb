"""Import benchmark: Threadcoder's import of N synthetic twarc2 posts next to a raw sqlite3 baseline.

The baseline, run in the same process on the same file, parses every line with orjson and inserts the
same post rows (the columns our importer fills, into the same schema with the same indexes) and their
hashtag rows with ``executemany`` in one transaction. It does none of what the importer adds: retweet
text resolution, merging on ids, placeholders, thread roots, authors, media, compressed raw copies,
the index queue, progress records. Peak memory of the import is measured in a fresh child process.

Usage: python -m benchmarks.bench_import [N ...] [--seed S]   (default N: 100000)
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

from archive.importing import import_source
from archive.jobs import drain
from archive.project import Project
from archive.schema import MIGRATIONS
from archive.sources import Source
from benchmarks.synth import generate

DATA = Path(__file__).parent / "data"
_BASELINE_COLUMNS = (
    "id, platform, native_id, kind, author_id, created_at, created_raw, text, lang, reply_to_id, root_id"
)


def archive_file(n: int, seed: int) -> Path:
    DATA.mkdir(exist_ok=True)
    path = DATA / f"synth-{n}-{seed}.jsonl"
    if not path.exists():
        generate(path, n, seed)
    return path


def baseline(path: Path, db_path: Path) -> int:
    """Parse and insert the same post rows with raw sqlite3 in one transaction; returns posts inserted."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    posts: list[tuple[object, ...]] = []
    tags: list[tuple[str, str, str]] = []
    with path.open("rb") as stream:
        for line in stream:
            page = orjson.loads(line)
            for t in page.get("data", []):
                key = f"twitter:{t['id']}"
                parent = next((r["id"] for r in t.get("referenced_tweets", []) if r["type"] == "replied_to"), None)
                reply_to = f"twitter:{parent}" if parent else None
                created, root = t.get("created_at"), f"twitter:{t.get('conversation_id')}"
                author = f"twitter:{t.get('author_id')}"
                row = (key, "twitter", t["id"], "collected", author, created, created, t["text"], t.get("lang"))
                posts.append((*row, reply_to, root))
                tags.extend((key, h["tag"].casefold(), h["tag"]) for h in t.get("entities", {}).get("hashtags", []))
    conn.execute("BEGIN")
    marks = ", ".join("?" * len(_BASELINE_COLUMNS.split(",")))
    conn.executemany(f"INSERT OR IGNORE INTO posts ({_BASELINE_COLUMNS}) VALUES ({marks})", posts)
    conn.executemany("INSERT OR IGNORE INTO post_hashtags VALUES (?, ?, ?)", tags)
    conn.execute("COMMIT")
    conn.close()
    return len(posts)


def threadcoder_import(path: Path, folder: Path) -> int:
    with Project.create_or_open(folder) as project:
        summary = drain(import_source(project, Source(path)))
    return summary.counts.new


def peak_rss_mb(path: Path, folder: Path) -> float:
    """Peak RSS of a fresh process that runs only the import."""
    code = (
        "import sys, resource; from pathlib import Path; from benchmarks.bench_import import threadcoder_import; "
        "threadcoder_import(Path(sys.argv[1]), Path(sys.argv[2])); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path), str(folder)], capture_output=True, check=True)
    return int(out.stdout.strip()) / 1024


def run(n: int, seed: int) -> dict[str, float]:
    path = archive_file(n, seed)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        base_posts = baseline(path, Path(tmp) / "baseline.db")
        base_s = time.perf_counter() - start
        start = time.perf_counter()
        ours_posts = threadcoder_import(path, Path(tmp) / "ours.threadcoder")
        ours_s = time.perf_counter() - start
        rss = peak_rss_mb(path, Path(tmp) / "memory.threadcoder")
    return {"n": n, "baseline_posts": base_posts, "posts": ours_posts, "baseline_s": base_s, "ours_s": ours_s,
            "baseline_rate": base_posts / base_s, "ours_rate": ours_posts / ours_s,
            "ratio": (ours_posts / ours_s) / (base_posts / base_s), "peak_rss_mb": rss}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000])
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args()
    print("| posts | baseline posts/s | Threadcoder posts/s | ratio (ours / baseline) | peak RSS of import |")
    print("|---|---|---|---|---|")
    for n in args.sizes:
        r = run(n, args.seed)
        print(f"| {n:,} | {r['baseline_rate']:,.0f} | {r['ours_rate']:,.0f} | {r['ratio']:.2f}x | "
              f"{r['peak_rss_mb']:.0f} MB |", flush=True)  # fmt: skip
    print(f"(this process peaked at {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
