"""Benchmark: alpha and its 2,000-resample bootstrap on 10,000 posts x 4 coders x 30 binary codes.

Not a test. Run ``.venv/bin/python benchmarks/bench_agreement.py`` (options: --help). The baseline is
a plain-Python alpha point estimate over the same data (per unit, every ordered coder pair added to
a float coincidence table), so "ratio" says how many baseline alpha computations the bootstrap costs.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.reliability import bootstrap_alpha, from_long, krippendorff_alpha, load_long_csv, report_tables
from archive.reliability.data import LongRow

Rows = list[tuple[int | None, ...]]  # one tuple per post: each coder's 0/1, None when not coded


def make_codings(posts: int, coders: int, codes: int, seed: int) -> list[Rows]:
    """Codes from rare (1%) to common (50%); coders err 3-15% of the time; 5% of posts not coded."""
    rng = random.Random(seed)
    completed = [[rng.random() > 0.05 for _ in range(coders)] for _ in range(posts)]
    tables = []
    for code in range(codes):
        prevalence = 0.01 + 0.49 * code / max(1, codes - 1)
        error = 0.03 + 0.12 * rng.random()
        rows: Rows = []
        for post in range(posts):
            truth = rng.random() < prevalence
            rows.append(
                tuple(int(truth != (rng.random() < error)) if completed[post][c] else None for c in range(coders))
            )
        tables.append(rows)
    return tables


def long_rows(tables: list[Rows]) -> list[LongRow]:
    """The long shape (unit_id, coder_id, variable, value) of the generated codings."""
    return [
        (f"post{post}", f"coder{c}", f"code{code:02d}", None if value is None else str(value))
        for code, rows in enumerate(tables)
        for post, row in enumerate(rows)
        for c, value in enumerate(row)
    ]


def baseline_alpha(rows: Rows) -> float | None:
    """Nominal alpha the plain way: a float coincidence table filled pair by pair, unit by unit."""
    coincidence: dict[tuple[int, int], float] = defaultdict(float)
    for row in rows:
        values = [v for v in row if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, a in enumerate(values):
            for j, b in enumerate(values):
                if i != j:
                    coincidence[(a, b)] += 1.0 / (m - 1)
    margins: dict[int, float] = defaultdict(float)
    for (a, _), count in coincidence.items():
        margins[a] += count
    n = sum(margins.values())
    observed = sum(count for (a, b), count in coincidence.items() if a != b)
    expected = sum(margins[a] * margins[b] for a in margins for b in margins if a != b) / (n - 1) if n > 1 else 0.0
    return None if expected == 0 else 1.0 - observed / expected


def timed(label: str, seconds: float, baseline: float | None = None) -> None:
    ratio = f"  ({seconds / baseline:6.1f} x baseline)" if baseline else ""
    print(f"{label:<58}{seconds:8.2f} s{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--coders", type=int, default=4)
    parser.add_argument("--codes", type=int, default=30)
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"{args.posts} posts x {args.coders} coders x {args.codes} binary codes, B = {args.resamples}\n")

    tables = make_codings(args.posts, args.coders, args.codes, args.seed)
    rows = long_rows(tables)

    start = time.perf_counter()
    baseline = [baseline_alpha(table) for table in tables]
    base = time.perf_counter() - start
    timed("baseline: plain-Python alpha point estimates, all codes", base)

    start = time.perf_counter()
    data = from_long(rows)
    timed(f"build tables from {len(rows):,} long rows", time.perf_counter() - start, base)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long.csv"
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(["unit_id", "coder_id", "variable", "value"])
            writer.writerows((u, c, v, "" if x is None else x) for u, c, v, x in rows)
        start = time.perf_counter()
        load_long_csv(path)
        timed("read the same rows from a long CSV into tables", time.perf_counter() - start, base)

    # Every stage below gets freshly built tables, so each pays for grouping units into patterns.
    data = from_long(rows)
    start = time.perf_counter()
    exact = [krippendorff_alpha(table) for table in data.values()]
    timed("alpha point estimates (exact fractions), all codes", time.perf_counter() - start, base)
    for ours, theirs in zip(exact, baseline, strict=True):
        assert (ours.value is None) == (theirs is None)
        assert ours.value is None or theirs is None or abs(float(ours.value) - theirs) < 1e-9

    data = from_long(rows)
    start = time.perf_counter()
    report_tables(data, "nominal")
    timed("every statistic of the report (no bootstrap), all codes", time.perf_counter() - start, base)

    data = from_long(rows)
    start = time.perf_counter()
    slowest = 0.0
    for table in data.values():
        one = time.perf_counter()
        bootstrap_alpha(table, "nominal", args.resamples, seed=args.seed)
        slowest = max(slowest, time.perf_counter() - one)
    total = time.perf_counter() - start
    timed(f"alpha + {args.resamples}-resample bootstrap, all codes", total, base)
    timed("  per code (mean)", total / len(data), base / len(data))
    timed("  per code (slowest)", slowest, base / len(data))


if __name__ == "__main__":
    main()
