"""The search oracle's soak: many random corpora, many random queries each, every difference printed.

    python -m tests.oracle.soak --cases 100000 [--seed 1] [--per-corpus 250] [--posts 60]

Each corpus is built once and searched by ``--per-corpus`` cases (a query, a viewer, blind mode or not,
an order, a page, facets); now and then more is imported or coded and the index caught up while the
searchers stay open, and halfway the index is rebuilt with the searchers open (its segments differ, and
scores must not). The last line is exactly "N cases, D differences"; the exit status is 1 when D > 0.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback

from .corpora import plan
from .draw import RandomDraw
from .session import Difference, Session, session

SHOWN = 30  # differences printed in full; the rest are only counted


def main(argv: list[str] | None = None) -> int:
    options = _arguments(argv)
    started = time.perf_counter()
    cases = differences = corpus = 0
    reported = time.perf_counter()
    while cases < options.cases:
        corpus_seed = options.seed * 1_000_003 + corpus
        done, found = run_corpus(corpus_seed, min(options.per_corpus, options.cases - cases), options.posts)
        cases, differences, corpus = cases + done, differences + len(found), corpus + 1
        for difference in found[: max(0, SHOWN - differences + len(found))]:
            _show(corpus_seed, difference)
        if time.perf_counter() - reported > 30:
            reported = time.perf_counter()
            rate = cases / (reported - started)
            print(f"... {cases} cases, {differences} differences, {rate:.0f} cases/s", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - started
    print(f"{corpus} corpora in {seconds:.0f} s ({cases / seconds:.0f} cases/s)", file=sys.stderr)
    print(f"{cases} cases, {differences} differences")
    return 1 if differences else 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="soak-search", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="query/corpus pairs to check (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the first corpus (default 1)")
    parser.add_argument("--per-corpus", type=int, default=250, help="cases per corpus (default 250)")
    parser.add_argument("--posts", type=int, default=60, help="about how many records a corpus imports")
    return parser.parse_args(argv)


def run_corpus(seed: int, cases: int, posts: int) -> tuple[int, list[Difference]]:
    """Build one corpus and check ``cases`` cases on it (half before, half after a rebuild)."""
    draw = RandomDraw(seed)
    found: list[Difference] = []
    with session(plan(draw, posts=posts)) as opened:
        for number in range(cases):
            if number == cases // 2:
                opened.rebuild()
            if number % 50 == 0:
                opened.set_blind(draw.chance(0.4))
            if number % 25 == 24 and draw.chance(0.5):
                opened.change(draw)
            difference = _case(opened, draw)
            if difference is not None:
                found.append(difference)
    return cases, found


def _case(opened: Session, draw: RandomDraw) -> Difference | None:
    tree, viewer, options = opened.case(draw)
    try:
        return opened.check(tree, viewer, options)
    except Exception:  # a crash of the engine (or the oracle) is a difference too, with its traceback
        from .querytree import render

        return Difference(render(tree), viewer, opened.corpus.blind, options, [traceback.format_exc()])


def _show(seed: int, difference: Difference) -> None:
    print(
        f"corpus seed {seed}: {difference.query!r} viewer={difference.viewer} blind={difference.blind} "
        f"{difference.options}\n  " + "\n  ".join(difference.problems),
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
