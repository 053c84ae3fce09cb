"""Export speed on a project with 1,000,000 codings, next to raw sqlite3 + csv.writer baselines in the same run.

The project is built with raw ``executemany`` (as bench_coding does): ``--posts`` collected posts, each
completed by every one of ``--coders`` coders, a codebook of 24 independent codes and one variable with two
values, and codings drawn so that a coder's post carries 2.5 codes on average (100,000 posts x 4 coders give
about 1,000,000 codings). Each shape is then exported through ``archive.export`` on a read-only connection.

Baselines, on the same database in the same run:
- "raw codings": ``SELECT post, coder, code`` over the codings joined to coders and codes, written with
  csv.writer: the 1M rows any export must at least read and write;
- "raw long": the long shape's rows computed by SQLite alone (completed post x coder x code, 1/0 or the
  variable's value) and written with csv.writer: the same rows as the ``long`` export, without its checks.

The last line times ``threadcoder agreement``'s work on the same project (every statistic per code and variable,
alpha with a 2,000-resample bootstrap); its "rows" are the posts.

Script: ``python -m benchmarks.bench_export [--posts 100000] [--coders 4] [--shapes long,...] [--bootstrap 2000]``.
"""

from __future__ import annotations

import argparse
import csv
import random
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

from archive.agreement import project_agreement
from archive.coding.codebook_edit import CodeDraft, add_code
from archive.coding.coders import add_coder
from archive.export import ExportOptions, export
from archive.store.project import Project

BATCH = 50_000
DEFAULT_SHAPES = "code_sets,long,by_unit_coder,dataset,units_x_coders,report,disagreements,qdpx"
STAMP = "2026-01-01T00:00:00.000Z"


def _posts(n: int) -> Iterator[tuple[str, ...]]:
    for i in range(n):
        key = f"twitter:{10**18 + i}"
        yield key, "twitter", key[8:], "collected", f"2017-{10 + i % 3:02d}-15T12:00:00Z", f"synthetic post {i}", key


def _batches(rows: Iterator[tuple[object, ...]]) -> Iterator[list[tuple[object, ...]]]:
    while batch := [row for _, row in zip(range(BATCH), rows, strict=False)]:
        yield batch


def build(folder: Path, posts: int, coders: int, seed: int) -> int:
    """The project; returns the number of codings."""
    with Project.create_or_open(folder) as project:
        conn, db = project.db.conn, project.db
        for batch in _batches(_posts(posts)):
            with db.atomic():
                conn.executemany(
                    "INSERT INTO posts (id, platform, native_id, kind, created_at, text, root_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    batch,
                )
        people = [add_coder(db, f"coder{c}").id for c in range(coders)]
        codes = [add_code(db, people[0], CodeDraft(f"Code {i}")).id for i in range(24)]
        stance = add_code(db, people[0], CodeDraft("Stance", exclusive=True))
        values = [add_code(db, people[0], CodeDraft(v, parent_id=stance.id)).id for v in ("Pro", "Con")]
        rng = random.Random(seed)
        prevalence = [0.01 + 0.12 * i / 23 for i in range(24)]  # 1% .. 13%: with errors, 2.6 codings a post

        def codings() -> Iterator[tuple[object, ...]]:
            for i in range(posts):
                post = f"twitter:{10**18 + i}"
                truth = [rng.random() < p for p in prevalence]
                for coder in people:
                    for code, present in zip(codes, truth, strict=True):
                        if present != (rng.random() < 0.03):  # each coder errs on 3% of decisions
                            yield post, code, coder
                    if rng.random() < 0.3:
                        yield post, rng.choice(values), coder

        count = 0
        for batch in _batches(codings()):
            with db.atomic():
                conn.executemany(
                    f"INSERT INTO codings (post_id, code_id, coder_id, codebook_version, created_at) "
                    f"VALUES (?, ?, ?, 27, '{STAMP}')",
                    batch,
                )
            count += len(batch)
        with db.atomic():
            conn.execute(
                f"INSERT INTO coder_status (post_id, coder_id, completed_at) SELECT p.id, c.id, '{STAMP}' "
                "FROM posts p CROSS JOIN coders c"
            )
            conn.execute("DELETE FROM index_queue")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("ANALYZE")
    return count


def raw_codings(conn: sqlite3.Connection, path: Path) -> int:
    sql = (
        "SELECT c.post_id, k.name, codes.name FROM codings c JOIN coders k ON k.id = c.coder_id "
        "JOIN codes ON codes.id = c.code_id ORDER BY c.post_id, c.coder_id"
    )
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit_id", "coder_id", "code"])
        rows = 0
        for row in conn.execute(sql):
            writer.writerow(row)
            rows += 1
    return rows


def raw_long(conn: sqlite3.Connection, path: Path) -> int:
    sql = (
        "SELECT s.post_id, k.name, t.name, CASE WHEN t.exclusive THEN coalesce((SELECT v.name FROM codings c "
        "JOIN codes v ON v.id = c.code_id WHERE c.post_id = s.post_id AND c.coder_id = s.coder_id "
        "AND v.parent_id = t.id), '<none>') ELSE EXISTS (SELECT 1 FROM codings c WHERE c.post_id = s.post_id "
        "AND c.coder_id = s.coder_id AND c.code_id = t.id) END FROM coder_status s JOIN coders k ON k.id = s.coder_id "
        "CROSS JOIN (SELECT id, name, exclusive FROM codes WHERE parent_id IS NULL) t ORDER BY s.post_id, s.coder_id"
    )
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit_id", "coder_id", "variable", "value"])
        rows = 0
        for row in conn.execute(sql):
            writer.writerow(row)
            rows += 1
    return rows


def timed(label: str, run: Callable[[], int]) -> None:
    start = time.perf_counter()
    rows = run()
    print(f"{label:>24}: {time.perf_counter() - start:6.1f} s, {rows:,} rows")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--coders", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--shapes", default=DEFAULT_SHAPES)
    parser.add_argument("--bootstrap", type=int, default=2000, help="Also time agreement with B resamples (0: no).")
    parser.add_argument("--folder", type=Path, help="Where to build the project (default: a temporary folder).")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-export-") as scratch:
        folder = args.folder or Path(scratch) / "project"
        out = Path(scratch) / "out"
        out.mkdir()
        start = time.perf_counter()
        count = build(folder, args.posts, args.coders, args.seed)
        took = time.perf_counter() - start
        print(f"built {args.posts:,} posts x {args.coders} coders, {count:,} codings in {took:.1f} s")
        with Project(folder, writable=False) as project:
            conn = project.db.conn
            timed("baseline: raw codings", lambda: raw_codings(conn, out / "raw_codings.csv"))
            timed("baseline: raw long", lambda: raw_long(conn, out / "raw_long.csv"))
            for shape in args.shapes.split(","):
                timed(f"export {shape}", partial(_export, conn, shape, out))
            if args.bootstrap:
                timed(f"agreement, B = {args.bootstrap}", lambda: _agreement(conn, args.bootstrap))


def _export(conn: sqlite3.Connection, shape: str, out: Path) -> int:
    suffix = "" if shape == "units_x_coders" else ".qdpx" if shape == "qdpx" else ".csv"  # a folder, a zip, a CSV
    return export(conn, shape, out / f"{shape}{suffix}", ExportOptions()).rows


def _agreement(conn: sqlite3.Connection, resamples: int) -> int:
    """alpha and every statistic per code and variable with a bootstrap, as ``threadcoder agreement`` runs it."""
    report = project_agreement(conn, bootstrap=resamples, seed=1, pairwise=False, rounds=False).report
    return int(report["n_posts"])


if __name__ == "__main__":
    main()
