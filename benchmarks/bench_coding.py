"""Coding throughput in the core: apply and undo of a code on a 1M-post project, next to a raw SQLite baseline.

Each action is what a keypress costs: one transaction with the coding row, the undo-log entry and the
index-queue row (apply), or the reverse replay with its own undo-log update and queue row (undo). The
baseline, in the same run on the same database file and connection settings, is a bare sqlite3 INSERT of
one row in its own transaction and a DELETE of it in another. The project gets ``--codings`` existing
codings first, so indexes are not empty. Figures go to docs/coding.md.

Script: ``python -m benchmarks.bench_coding [--posts 1000000] [--actions 2000] [--folder DIR]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from archive.coding.codebook_edit import CodeDraft, add_code
from archive.coding.coders import add_coder
from archive.coding.codings import apply_code
from archive.coding.undo import undo
from archive.store.project import Project

BATCH = 50_000


def _posts(n: int) -> Iterator[tuple[str, str, str, str, str, str, str]]:
    for i in range(n):
        key = f"twitter:{10**18 + i}"
        month = 10 + i % 3
        yield (
            key,
            "twitter",
            key[8:],
            "collected",
            f"2017-{month:02d}-15T12:00:00Z",
            f"synthetic post {i} #MeToo",
            key,
        )


def build(folder: Path, posts: int, codings: int, seed: int) -> tuple[list[int], list[int]]:
    """A project of ``posts`` posts and ``codings`` existing codings; returns (coder ids, code ids)."""
    with Project.create_or_open(folder) as project:
        conn = project.db.conn
        rows = _posts(posts)
        while True:
            batch = [row for _, row in zip(range(BATCH), rows, strict=False)]
            if not batch:
                break
            with project.db.atomic():
                conn.executemany(
                    "INSERT INTO posts (id, platform, native_id, kind, created_at, text, root_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    batch,
                )
        coders = [add_coder(project.db, name).id for name in ("ana", "bo", "cy")]
        codes = [add_code(project.db, coders[0], CodeDraft(f"Code {i}")).id for i in range(24)]
        stance = add_code(project.db, coders[0], CodeDraft("Stance", exclusive=True))
        codes += [add_code(project.db, coders[0], CodeDraft(v, parent_id=stance.id)).id for v in ("Pro", "Con")]
        rng = random.Random(seed)
        existing = {
            (f"twitter:{10**18 + rng.randrange(posts)}", rng.choice(codes[:24]), rng.choice(coders))
            for _ in range(codings)
        }
        with project.db.atomic():
            conn.executemany(
                "INSERT INTO codings (post_id, code_id, coder_id, codebook_version, created_at) "
                "VALUES (?, ?, ?, 1, '2026-01-01T00:00:00.000Z')",
                sorted(existing),
            )
            conn.execute("DELETE FROM index_queue")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("ANALYZE")
    return coders, codes


def _ms(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    median, p90 = statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.9)] * 1000
    return f"median {median:.2f} ms, p90 {p90:.2f} ms, max {ordered[-1] * 1000:.2f} ms"


def measure(
    folder: Path, posts: int, actions: int, coders: list[int], codes: list[int], seed: int
) -> dict[str, list[float]]:
    rng = random.Random(seed + 1)
    timings: dict[str, list[float]] = {"apply": [], "undo": [], "raw insert": [], "raw delete": []}
    with Project(folder) as project:
        conn = project.db.conn
        conn.execute("CREATE TABLE IF NOT EXISTS bench_baseline (id INTEGER PRIMARY KEY, post_id TEXT NOT NULL)")
        for _ in range(actions):
            post = f"twitter:{10**18 + rng.randrange(posts)}"
            code, coder = rng.choice(codes), rng.choice(coders)
            start = time.perf_counter()
            applied = apply_code(project.db, post, code, coder)
            middle = time.perf_counter()
            if applied.changed:
                assert undo(project.db, coder).posts == (post,)
                timings["apply"].append(middle - start)
                timings["undo"].append(time.perf_counter() - middle)
            start = time.perf_counter()
            conn.execute("BEGIN")
            conn.execute("INSERT INTO bench_baseline (post_id) VALUES (?)", (post,))
            conn.execute("COMMIT")
            middle = time.perf_counter()
            conn.execute("BEGIN")
            conn.execute("DELETE FROM bench_baseline WHERE post_id = ?", (post,))
            conn.execute("COMMIT")
            timings["raw insert"].append(middle - start)
            timings["raw delete"].append(time.perf_counter() - middle)
        assert conn.execute("SELECT count(*) FROM index_queue").fetchone()[0] > 0
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--actions", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--folder", type=Path, help="Where to build the project (default: a temporary folder).")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-coding-") as scratch:
        folder = args.folder or Path(scratch) / "project"
        start = time.perf_counter()
        coders, codes = build(folder, args.posts, args.codings, args.seed)
        took, size = time.perf_counter() - start, (folder / "project.db").stat().st_size / 2**20
        print(f"built {args.posts:,} posts, {args.codings:,} codings in {took:.1f} s ({size:.0f} MiB)")
        timings = measure(folder, args.posts, args.actions, coders, codes, args.seed)
    for name, seconds in timings.items():
        print(f"{name:>10}: {_ms(seconds)} over {len(seconds)} actions")
    pair = [a + u for a, u in zip(timings["apply"], timings["undo"], strict=True)]
    raw = [i + d for i, d in zip(timings["raw insert"], timings["raw delete"], strict=True)]
    print(f"apply+undo: {_ms(pair)}; raw insert+delete: {_ms(raw)}")


if __name__ == "__main__":
    main()
