"""One case: a query run by the engine and by the brute-force evaluator, and every way the answers differ."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from index.errors import QuerySyntaxError
from index.search import Hit, ProjectSearch

from .brute import Answer, Corpus, QueryError, evaluate, facets
from .querytree import Node, render

FACET_LIMIT = 3  # small, so that the engine's top-N cut-off and its tie order are exercised


@dataclass(frozen=True, slots=True)
class Options:
    """How a case searches: order, context posts, which page to check against the full order."""

    sort: str = "relevance"
    include_context: bool = False
    page: int = 1
    page_size: int = 7
    facets: bool = True
    spacing: str = " "  # what separates the query's parts: any run of whitespace must do


def query_text(tree: Node | None, options: Options) -> str:
    """The query as the engine gets it: the tree's spelling, spaced as the options say."""
    return render(tree).replace(" ", options.spacing)


def differences(search: ProjectSearch, corpus: Corpus, tree: Node | None, options: Options) -> list[str]:
    """What the engine answered differently from the oracle (empty when they agree)."""
    text = query_text(tree, options)
    try:
        expected = evaluate(corpus, tree, viewer=search.viewer, include_context=options.include_context)
    except QueryError as error:
        return _refused(search, text, options, str(error))
    try:
        hits = search.all_hits(text, sort=options.sort, include_context=options.include_context)
    except QuerySyntaxError as error:
        return [f"engine refused a query the oracle answers: {error}"]
    found = _hit_set(hits, expected)
    if found:
        return found
    problems = _order(corpus, hits, expected, options)
    problems += _page(search, text, hits, expected, options)
    if options.facets:
        problems += _facets(search, corpus, text, expected, options)
    return problems


def _refused(search: ProjectSearch, text: str, options: Options, reason: str) -> list[str]:
    try:
        search.all_hits(text, include_context=options.include_context)
    except QuerySyntaxError:
        return []
    return [f"engine answered a query the oracle refuses ({reason})"]


def _hit_set(hits: list[Hit], expected: Answer) -> list[str]:
    ids = [hit.id for hit in hits]
    problems = []
    if len(ids) != len(set(ids)):
        problems.append(f"a post found twice: {sorted(k for k, n in Counter(ids).items() if n > 1)}")
    missing, extra = expected.found - set(ids), set(ids) - expected.found
    if missing:
        problems.append(f"missing {sorted(missing)}")
    if extra:
        problems.append(f"not expected {sorted(extra)}")
    return problems


def _order(corpus: Corpus, hits: list[Hit], expected: Answer, options: Options) -> list[str]:
    """Scored posts first, by score; then the rest by date; times and scores exact."""
    problems = [f"{h.id} time {h.time} != {corpus.posts[h.id].time}" for h in hits if h.time != corpus.posts[h.id].time]
    scored = [h for h in hits if h.score is not None]
    ranked = options.sort == "relevance"
    if not ranked and scored:
        problems.append("scores in a date order")
    if ranked and {h.id for h in scored} != set(expected.scores):
        problems.append(f"ranked {sorted(h.id for h in scored)} != {sorted(expected.scores)}")
        return problems
    if any(h.score is not None for h in hits[len(scored) :]):
        problems.append("a scored post after an unscored one")
    if any(a.score < b.score for a, b in pairwise(scored)):  # type: ignore[operator]
        problems.append("scores not in descending order")
    problems += [
        f"{h.id} score {h.score!r} != BM25 {expected.scores[h.id]!r}"
        for h in scored
        if not _close(h.score or 0.0, expected.scores[h.id])
    ]
    times = [h.time for h in hits[len(scored) :]]
    newest_first = options.sort != "date"
    if any((a < b) if newest_first else (a > b) for a, b in pairwise(times)):
        problems.append(f"unscored posts not in {'newest' if newest_first else 'oldest'}-first order")
    return problems


def _close(score: float, expected: float) -> bool:
    """Equal but for the order of floating-point additions."""
    return abs(score - expected) <= 1e-9 * abs(expected) + 1e-12


def _page(search: ProjectSearch, text: str, hits: list[Hit], expected: Answer, options: Options) -> list[str]:
    """A page is the matching slice of the whole order, and its total is exact."""
    page = search.search(
        text,
        sort=options.sort,
        page=options.page,
        page_size=options.page_size,
        include_context=options.include_context,
        snippets=True,  # snippets only have to come without a crash
    )
    problems = [f"total {page.total} != {len(expected.found)}"] if page.total != len(expected.found) else []
    start = (options.page - 1) * options.page_size
    want = [h.id for h in hits[start : start + options.page_size]]
    if [h.id for h in page.hits] != want:
        problems.append(f"page {options.page} is {[h.id for h in page.hits]}, the full order has {want}")
    return problems


def _facets(search: ProjectSearch, corpus: Corpus, text: str, expected: Answer, options: Options) -> list[str]:
    got = search.facets(text, limit=FACET_LIMIT, include_context=options.include_context)
    counts = facets(corpus, expected.found, search.viewer)
    problems = []
    for name in ("hashtags", "languages", "codes", "authors"):
        shown: list[tuple[str, int]] = getattr(got, name)
        if not _top(shown, counts[name], sort_names=name != "authors"):
            problems.append(f"facet {name} {shown} != {counts[name].most_common()}")
    if got.days != sorted(counts["days"].items()):
        problems.append(f"facet days {got.days} != {sorted(counts['days'].items())}")
    return problems


def _top(shown: list[tuple[str, int]], want: Counter[str], *, sort_names: bool) -> bool:
    """Whether ``shown`` is a top list of ``want``: the largest counts, each value's own count, in order.

    Definition: which of several values tied at the last place are shown is not specified (the engine
    stops at the first value whose count over all posts cannot beat the last place, whatever its name).
    Authors are keyed "id<TAB>handle" (two accounts may share a handle); terms tied inside the list come
    by name."""
    best = sorted(want.values(), reverse=True)[:FACET_LIMIT]
    by_value: dict[str, set[int]] = {}
    for value, n in want.items():
        by_value.setdefault(value.rpartition("\t")[2], set()).add(n)
    if [n for _, n in shown] != best or any(n not in by_value.get(value, set()) for value, n in shown):
        return False
    return not sort_names or shown == sorted(shown, key=lambda item: (-item[1], item[0]))
