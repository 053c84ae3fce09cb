"""The app on a large project: launch to a usable window, next post with its thread, first page of a search, memory.

Each measurement of the app has a baseline measured in the same run, on the same database file:

- **launch**: a fresh process from start to a window that shows the post list and the first post's thread,
  painted ("listed"); also when the window answers again after opening the project ("usable": the list
  and the counts are still being read in the background). Baseline: a fresh process that shows a bare
  ``QTableView`` over a minimal model reading the same ``posts`` table by SQL a window of rows at a time
  (no project checks, no thread, no coding panel). Opening the project (``archive.store.project.Project``, with
  its ``quick_check``) is timed on its own too.
- **next post**: moving the selection one row down and painting the post list, the thread and the coding
  panel, repeated. Baseline: reading the same post and its replies with two raw SQL queries and setting a
  label's text.
- **search**: the search job (index open, query, the ids mapped to rows) plus listing the result and
  painting the first page, for a few queries; only when the project has a search index.
- **memory**: peak resident memory of each launch process (app and baseline).
- **UI stalls**: during the launch, the next-post steps and the searches, a ``ui.common.stall_meter.StallMeter``
  records how long the UI thread's event loop could not run: the longest stall, the 99th percentile and
  how many were over 50 ms, with the phase and the code each long one was spent in.

Usage: ``python -m benchmarks.bench_gui --project DIR`` on an existing project (e.g. one made with
``python -m benchmarks.synth`` and ``threadcoder import``), or ``--posts N`` to build one in a temporary
folder first. Runs offscreen unless a display is set.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

START = time.perf_counter()  # the child's clock starts before Qt or the app is imported

from archive.lean_imports import leave_out_pandas  # noqa: E402  (after the clock: part of what is timed)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _settle(app: Any, widget: Any) -> None:
    widget.repaint()
    app.processEvents()


def _wait(app: Any, done: Any) -> None:
    while not done():
        app.processEvents()
        time.sleep(0.001)


def _stall_figures(report: Any) -> dict[str, Any]:
    """A StallReport as JSON-able figures, with its five longest stalls described."""
    worst = sorted(report.stalls, key=lambda stall: -stall.ms)[:5]
    return {
        "max_ms": report.max_ms,
        "p99_ms": report.p99_ms,
        "over": report.over,
        "worst": [stall.describe() for stall in worst],
    }


def child_app(project: Path) -> dict[str, Any]:
    """In a fresh process: the app's window on ``project`` until its first post and thread are painted."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui.common.stall_meter import StallMeter
    from ui.window.main_window import MainWindow

    app = QApplication([])
    imported = time.perf_counter()
    meter = StallMeter()
    meter.start()
    with tempfile.TemporaryDirectory() as folder:
        meter.phase = "make and show the window"
        window = MainWindow(QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat))
        window.auto_index = False  # indexing runs in the background; the launch does not wait for it
        window.resize(1280, 800)
        window.show()
        shown = time.perf_counter()
        meter.phase = "open the project"
        window.open_project(project)
        _settle(app, window)
        usable = time.perf_counter()
        meter.phase = "list posts (background) and paint them"
        _wait(app, lambda: window.model is not None and not window.model.loading)
        _settle(app, window)
        listed = time.perf_counter()
        meter.phase = "count posts (background)"
        _wait(app, lambda: not window.lists.reader.busy)
        counted = time.perf_counter()
        stalls = meter.stop()
        window.close()
    return {
        "import_s": imported - START,
        "window_s": shown - START,
        "open_s": usable - shown,
        "usable_s": usable - START,
        "listed_s": listed - START,
        "counted_s": counted - START,
        "peak_mb": _peak_mb(),
        "stalls": _stall_figures(stalls),
    }


def child_baseline(project: Path) -> dict[str, float]:
    """In a fresh process: a bare table over the same posts, read a window of rows at a time by SQL."""
    import sqlite3

    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QApplication, QTableView

    class Bare(QAbstractTableModel):
        def __init__(self, conn: sqlite3.Connection) -> None:
            super().__init__()
            self.conn = conn
            self.count = conn.execute("SELECT max(rowid) FROM posts").fetchone()[0] or 0
            self.cache: dict[int, list[Any]] = {}

        def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else self.count

        def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else 3

        def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
            if role != Qt.ItemDataRole.DisplayRole:
                return None
            page = index.row() // 200
            if page not in self.cache:
                self.cache[page] = self.conn.execute(
                    "SELECT created_at, author_id, text FROM posts WHERE rowid > ? ORDER BY rowid LIMIT 200",
                    (page * 200,),
                ).fetchall()
            rows = self.cache[page]
            offset = index.row() % 200
            return rows[offset][index.column()] if offset < len(rows) else None

    app = QApplication([])
    imported = time.perf_counter()
    conn = sqlite3.connect(f"file:{project / 'project.db'}?mode=ro", uri=True)
    view = QTableView()
    view.setModel(Bare(conn))
    view.resize(1280, 800)
    view.show()
    _settle(app, view)
    painted = time.perf_counter()
    conn.close()
    return {"import_s": imported - START, "usable_s": painted - START, "peak_mb": _peak_mb()}


def in_child(kind: str, project: Path) -> dict[str, Any]:
    env = {**os.environ}
    env.setdefault("QT_QPA_PLATFORM", "offscreen" if not env.get("DISPLAY") else env.get("QT_QPA_PLATFORM", "xcb"))
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_gui", "--child", kind, "--project", str(project)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode != 0:  # say why: a crash in a child is otherwise only its exit status
        raise RuntimeError(f"the {kind} launch ended with status {done.returncode}:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure_steps(project: Path, steps: int, queries: list[str]) -> tuple[dict[str, list[float]], dict[str, Any]]:
    """In this process: next post with its thread painted, the raw-SQL baseline, and searches; their UI stalls."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.search_run import warm_up_job
    from ui.common.stall_meter import StallMeter
    from ui.search.search_controller import INDEX_TITLE
    from ui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    timings: dict[str, list[float]] = {"next post": [], "baseline": [], "search": [], "facets": []}
    stalls: dict[str, Any] = {}
    meter = StallMeter()
    with tempfile.TemporaryDirectory() as folder:
        window = MainWindow(QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat))
        window.auto_index = False
        window.resize(1280, 800)
        window.show()
        window.open_project(project)
        # What the app does on opening besides the index check (auto_index, off here): load the search modules.
        window.runner.submit(INDEX_TITLE, warm_up_job(project))
        _wait(app, lambda: not window.lists.reader.busy and not window.runner.busy)
        _settle(app, window)
        meter.start()
        _step_posts(app, window, steps, timings, meter)
        stalls["next post"] = _stall_figures(meter.stop())
        if (project / "index").is_dir():
            meter.start()
            memory: dict[str, float] = {}
            _search(app, window, queries, timings, meter, memory)
            stalls["search"] = _stall_figures(meter.stop())
            stalls["search process parts MB"] = memory
        stalls["search process MB"] = _search_process_peak_mb()
        window.close()
    return timings, stalls


def _sampled(memory: dict[str, float]) -> bool:
    """Note the search process's private (RssAnon) and mapped-file (RssFile) memory if more than seen yet."""
    from app import search_run

    for service in search_run._services.values():
        if service.running:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{service._process.pid}/status").read_text().splitlines():
                    name = line.split(":")[0]
                    if name in ("RssAnon", "RssFile"):
                        memory[name] = max(memory.get(name, 0.0), int(line.split()[1]) / 1024)
    return True


def _search_process_peak_mb() -> float:
    """The peak resident memory of the project's search process (Linux: VmHWM in /proc), 0 if none ran."""
    from app import search_run

    peak = 0.0
    for service in search_run._services.values():
        if service.running:
            status = Path(f"/proc/{service._process.pid}/status").read_text()
            kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
            peak = max(peak, kb / 1024)
    return peak


def _step_posts(app: Any, window: Any, steps: int, timings: dict[str, list[float]], meter: Any) -> None:
    """Next post with its thread painted, ``steps`` times from the middle of the list, and the raw-SQL baseline."""
    from PySide6.QtWidgets import QLabel

    assert window.project is not None and window.model is not None
    conn, label = window.project.db.conn, QLabel()
    window.select_row(window.model.rowCount() // 2)  # the middle of the list: nothing cached near it
    for _ in range(steps):
        meter.phase = "next post"
        started = time.perf_counter()
        window.step_post(1)
        _settle(app, window)
        timings["next post"].append(time.perf_counter() - started)
        meter.phase = "raw SQL baseline"
        post_id = window.current_post_id()
        started = time.perf_counter()
        row = conn.execute("SELECT id, text, reply_to_id FROM posts WHERE id = ?", (post_id,)).fetchone()
        replies = conn.execute("SELECT id, text FROM posts WHERE reply_to_id = ?", (post_id,)).fetchall()
        label.setText(f"{row[1]}\n" + "\n".join(r[1] for r in replies))
        timings["baseline"].append(time.perf_counter() - started)


def _search(
    app: Any, window: Any, queries: list[str], timings: dict[str, list[float]], meter: Any, memory: dict[str, float]
) -> None:
    """Each query to its first page painted, then to its facets counted; the search process's memory is
    sampled meanwhile (``memory``: the most seen of each kind, in MB)."""
    for query in queries:
        meter.phase = f"search {query!r}"
        started = time.perf_counter()
        window.search.search(query, "relevance")
        _wait(
            app,
            lambda q=query: (
                _sampled(memory)
                and window.search.last is not None
                and window.search.last.query == q
                and not window.lists.reader.busy
            ),
        )
        _settle(app, window)
        timings["search"].append(time.perf_counter() - started)
        meter.phase = f"facets of {query!r}"
        _wait(app, lambda: _sampled(memory) and not window.runner.busy)
        timings["facets"].append(time.perf_counter() - started)
        print(f"  search {query!r}: {window.search_bar.result.text()}", file=sys.stderr)


def _print_stalls(flow: str, figures: list[dict[str, Any]]) -> None:
    """One flow's UI stalls over its runs: the worst maximum, the p99s, the counts over 50 ms, the longest ones."""
    maxima = ", ".join(f"{f['max_ms']:.0f}" for f in figures)
    print(
        f"UI stalls, {flow}: max {max(f['max_ms'] for f in figures):.0f} ms (per run: {maxima} ms), "
        f"p99 {max(f['p99_ms'] for f in figures):.1f} ms, over 50 ms: {[f['over'] for f in figures]}"
    )
    worst = sorted((w for f in figures for w in f["worst"]), key=lambda text: -float(text.split(" ms")[0]))
    for text in worst[:5]:
        print(f"    {text}")


def build(folder: Path, posts: int) -> Path:
    from app.search_run import index_job
    from archive.importing.pipeline import import_source
    from archive.importing.sources import Source
    from archive.jobs import CancelToken, drain
    from archive.store.project import Project
    from benchmarks.synth import generate

    data = folder / "synth.jsonl"
    generate(data, posts, seed=2017)
    project = folder / "bench.threadcoder"
    with Project.create_or_open(project) as opened:
        drain(import_source(opened, Source(data)))
    data.unlink()
    drain(index_job(project)(CancelToken()))
    return project


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    return (
        f"median {statistics.median(ordered) * 1000:.1f} ms, p90 {ordered[int(len(ordered) * 0.9)] * 1000:.1f} ms,"
        f" max {ordered[-1] * 1000:.1f} ms"
    )


def report(project: Path, runs: int, steps: int) -> None:
    from archive.store.project import Project

    started = time.perf_counter()
    Project(project, writable=False).close()
    print(f"open the project (checks included): {time.perf_counter() - started:.2f} s")
    app_runs = [in_child("app", project) for _ in range(runs)]
    base_runs = [in_child("baseline", project) for _ in range(runs)]
    for name, found in (("app", app_runs), ("baseline", base_runs)):
        usable = statistics.median(r["usable_s"] for r in found)
        peak = max(r["peak_mb"] for r in found)
        if name == "app":
            listed = statistics.median(r["listed_s"] for r in found)
            opening = statistics.median(r["open_s"] for r in found)
            counted = statistics.median(r["counted_s"] for r in found)
            print(
                f"launch, app: window answers after {usable:.2f} s (opening the project {opening:.2f} s of it), "
                f"posts listed and painted after {listed:.2f} s, status-line counts after {counted:.2f} s; "
                f"median of {runs}; peak {peak:.0f} MB"
            )
        else:
            print(f"launch, baseline: posts painted after {usable:.2f} s; median of {runs}; peak {peak:.0f} MB")
    _print_stalls("launch", [r["stalls"] for r in app_runs])
    timings, stalls = measure_steps(project, steps, ["metoo", "#MeToo is:reply", "believe survivors", "lang:fr"])
    search_peak = stalls.pop("search process MB", 0.0)
    parts = stalls.pop("search process parts MB", {})
    print(f"next post + thread, app: {_ms(timings['next post'])} over {steps} steps")
    print(f"next post, raw SQL baseline: {_ms(timings['baseline'])}")
    if timings["search"]:
        print(f"search to first page painted: {_ms(timings['search'])} over {len(timings['search'])} queries")
        print(f"search with its facets counted: {_ms(timings['facets'])}")
    for flow, figures in stalls.items():
        _print_stalls(flow, [figures])
    print(f"peak memory of this process (steps and searches): {_peak_mb():.0f} MB")
    print(
        f"peak memory of the search process it started: {search_peak:.0f} MB resident; sampled during the "
        f"searches, at most {parts.get('RssAnon', 0):.0f} MB its own (RssAnon) and {parts.get('RssFile', 0):.0f} MB "
        "of mapped files (RssFile: index pages from the system's file cache, and libraries)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, help="an existing project to measure")
    parser.add_argument("--posts", type=int, default=1_000_000, help="build a project of this many posts first")
    parser.add_argument("--runs", type=int, default=3, help="fresh launches of each kind (medians are reported)")
    parser.add_argument("--steps", type=int, default=200, help="next-post steps")
    parser.add_argument("--child", choices=("app", "baseline"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    leave_out_pandas()  # as the threadcoder command does: what a user's app process imports
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")
    if args.child:
        print(json.dumps((child_app if args.child == "app" else child_baseline)(args.project)))
        return 0
    if args.project is not None:
        report(args.project, args.runs, args.steps)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-gui-") as scratch:
        started = time.perf_counter()
        project = build(Path(scratch), args.posts)
        print(f"built {args.posts:,} posts with their index in {time.perf_counter() - started:.0f} s")
        report(project, args.runs, args.steps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
