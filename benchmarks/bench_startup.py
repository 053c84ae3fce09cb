"""Start-up benchmark: how long a CLI command takes on a big project, against a bare ``python -c "import sqlite3"``.

Builds (or reuses) a project of N synthetic posts from ``benchmarks.synth`` in FOLDER, imported with the real
importer and indexed, then times whole ``threadcoder`` processes, each the median of several runs after a
warm-up (the file cache is warm, as it is for a researcher who runs commands one after another):

- ``info`` (read-only) and ``search P x --limit 1`` (opens for writing, catches up the index, searches);
- ``index`` with nothing to do (opens for writing);
- the first ``info`` after a writer was killed with SIGKILL (the integrity check after an unclean shutdown);
- ``index`` when the daily backup is due (the integrity check, the copy and the rotation).

Every figure is also given as a ratio to the bare interpreter's start-up measured in the same run.
``--code DIR`` runs the commands (and the build) from another checkout, to compare with an earlier version.

Usage: python -m benchmarks.bench_startup FOLDER [--posts N] [--seed S] [--runs R] [--code DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def build_project(data: Path, n: int, seed: int, code: Path) -> tuple[Path, float]:
    """The imported and indexed project (kept between runs); returns its folder and the build time (0 if reused)."""
    folder = data / f"startup-{n}-{seed}.threadcoder"
    if (folder / "index").is_dir():
        return folder, 0.0
    data.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    # Built by the code under test, in a process of its own, so an earlier version writes its own schema.
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from archive.importing.pipeline import import_source\n"
        "from archive.importing.sources import Source\n"
        "from archive.jobs import drain\n"
        "from archive.store.project import Project\n"
        "from benchmarks.synth import generate\n"
        "from index.indexer import rebuild\n"
        "source, folder, n, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])\n"
        "if not source.exists():\n"
        "    generate(source.with_suffix('.partial'), n, seed)\n"
        "    source.with_suffix('.partial').replace(source)\n"
        "with Project.create_or_open(folder) as project:\n"
        "    drain(import_source(project, Source(source)))\n"
        "    drain(rebuild(project))\n"
    )
    source = data / f"synth-{n}-{seed}.jsonl"
    subprocess.run([sys.executable, "-c", script, str(source), str(folder), str(n), str(seed)], cwd=code, check=True)
    return folder, time.perf_counter() - started


def run(command: list[str], code: Path) -> float:
    """Seconds one process takes from start to exit."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=code, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()}")
    return seconds


def timed(command: list[str], code: Path, runs: int) -> dict[str, float]:
    """Median and spread of ``runs`` runs after one warm-up run."""
    run(command, code)
    times = [run(command, code) for _ in range(runs)]
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times)}


def threadcoder(*args: str) -> list[str]:
    return [sys.executable, "-m", "desktop.main", *args]


def kill_a_writer(folder: Path, code: Path) -> None:
    """Open the project for writing in a process that is then killed with SIGKILL, as a crash would."""
    script = (
        "import os, signal, sys\n"
        "from archive.store.project import Project\n"
        "project = Project(sys.argv[1], check=False)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(folder)], cwd=code, check=False)


def after_crash(folder: Path, code: Path, runs: int) -> dict[str, float]:
    """The first ``info`` after a killed writer (it checks the database), and the one after it."""
    first, second = [], []
    for _ in range(runs):
        kill_a_writer(folder, code)
        first.append(run(threadcoder("info", str(folder)), code))
        second.append(run(threadcoder("info", str(folder)), code))
    return {"median_s": statistics.median(first), "next_median_s": statistics.median(second)}


def backup_due(folder: Path, code: Path, runs: int) -> dict[str, float]:
    """``index`` (nothing to index) when the daily backup is due: the project's backups are moved aside."""
    backups, aside = folder / "backups", folder / "backups.bench-aside"
    times = []
    for _ in range(runs):
        if backups.exists():
            backups.rename(aside)
        try:
            times.append(run(threadcoder("index", str(folder)), code))
        finally:
            shutil.rmtree(backups, ignore_errors=True)
            if aside.exists():
                aside.rename(backups)
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times)}


def measure(folder: Path, code: Path, runs: int) -> dict[str, Any]:
    run(threadcoder("index", str(folder)), code)  # a first writing open: upgrades, checks, backs up once
    bare = timed([sys.executable, "-c", "import sqlite3"], code, runs)
    rows: dict[str, Any] = {
        "python -c 'import sqlite3'": bare,
        "threadcoder --version": timed(threadcoder("--version"), code, runs),
        "threadcoder info P": timed(threadcoder("info", str(folder)), code, runs),
        "threadcoder search P x --limit 1": timed(threadcoder("search", str(folder), "x", "--limit", "1"), code, runs),
        "threadcoder index P": timed(threadcoder("index", str(folder)), code, runs),
        "threadcoder info P, first after a SIGKILLed writer": after_crash(folder, code, max(1, runs // 2)),
        "threadcoder index P, daily backup due": backup_due(folder, code, max(1, runs // 2)),
    }
    for row in rows.values():
        row["ratio"] = row["median_s"] / bare["median_s"]
    return rows


def report(n: int, folder: Path, built: float, code: Path, rows: dict[str, Any]) -> str:
    size = (folder / "project.db").stat().st_size
    lines = [
        f"## Start-up, N = {n:,} synthetic posts (project.db {size / 1e9:.2f} GB; load average "
        f"{os.getloadavg()[0]:.1f}; code from {code})",
        "",
        f"- build (synthesise, import, index): {built:.0f} s" if built else "- build: reused project",
        "",
        "| command | median | min / max | ratio to bare python |",
        "|---|---|---|---|",
    ]
    for name, row in rows.items():
        if "min_s" in row:
            spread = f"{row['min_s']:.2f} / {row['max_s']:.2f} s"
        else:
            spread = f"the run after it {row['next_median_s']:.2f} s"
        lines.append(f"| `{name}` | {row['median_s']:.2f} s | {spread} | {row['ratio']:.1f}x |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_startup", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where the synthetic archive and the project are kept")
    parser.add_argument("--posts", type=int, default=200_000, help="synthetic posts (default 200000)")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command after a warm-up")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose commands are timed")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    code = args.code.resolve()
    folder, built = build_project(args.folder.resolve(), args.posts, args.seed, code)
    rows = measure(folder, code, args.runs)
    text = report(args.posts, folder, built, code, rows)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"n": args.posts, "build_s": built, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
