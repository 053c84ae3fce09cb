"""A corpus built on disk and searched by many cases: what the CI test and the soak both run."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from archive.coding.blind import set_blind_mode
from archive.jobs import drain
from archive.store.project import Project
from index.indexer import rebuild
from index.search import SORTS, ProjectSearch

from .brute import Corpus
from .compare import Options, differences, query_text
from .corpora import Import, Plan, Setup, apply, build, later
from .draw import Draw
from .queries import Vocabulary, query
from .querytree import Node

VIEWERS = (None, "ana", "Ben")


@dataclass(slots=True)
class Difference:
    """A case the engine and the oracle answer differently."""

    query: str
    viewer: str | None
    blind: bool
    options: Options
    problems: list[str]


@dataclass(slots=True)
class Session:
    """A built corpus, the oracle's reading of it, and a searcher per viewer."""

    project: Project
    plan: Plan
    setup: Setup
    corpus: Corpus
    vocabulary: Vocabulary
    searchers: dict[str | None, ProjectSearch] = field(default_factory=dict)

    def change(self, draw: Draw) -> None:
        """Import or code more while the searchers stay open (as in the app), and catch the index up:
        the next searches must see the new state, whatever they kept from the searches before."""
        first = len(self.plan.steps) + 1
        apply(self.project, self.setup, later(draw, self.plan), first)
        blind = self.corpus.blind
        self.corpus = Corpus(self.project.db.conn)
        self.corpus.blind = blind

    def rebuild(self) -> None:
        """Rebuild the index while the searchers stay open: their next search must read the new one, even
        when it has the generation they had open (test_oracle_regressions.py::
        test_an_open_search_sees_a_rebuilt_index)."""
        drain(rebuild(self.project))

    def set_blind(self, on: bool) -> None:
        """Blind mode changes what coding searches mean, not the index: flip it between cases."""
        set_blind_mode(self.project.db, on, 1)
        self.corpus.blind = on

    def case(self, draw: Draw) -> tuple[Node | None, str | None, Options]:
        """A random case: a query (now and then the empty one), a viewer and the search options."""
        tree = None if draw.chance(0.02) else query(draw, self.vocabulary)
        options = Options(
            sort=draw.choice((*SORTS, "relevance", "relevance")),
            include_context=draw.chance(0.15),
            page=draw.integer(1, 3),
            page_size=draw.integer(1, 10),
            facets=draw.chance(0.5),
            # Any whitespace separates words: a full-width space (U+3000, typed by Japanese input methods)
            # and a non-breaking space (U+00A0) too (test_oracle_regressions.py::
            # test_a_full_width_space_separates_query_words).
            spacing=" " if draw.chance(0.9) else draw.choice(("  ", "\t", " \n ", "\r\n", "\u3000", "\u00a0")),
        )
        return tree, draw.choice(VIEWERS), options

    def check(self, tree: Node | None, viewer: str | None, options: Options) -> Difference | None:
        problems = differences(self.searchers[viewer], self.corpus, tree, options)
        if not problems:
            return None
        return Difference(query_text(tree, options), viewer, self.corpus.blind, options, problems)


@contextmanager
def session(corpus: Plan) -> Iterator[Session]:
    """The corpus built in a temporary project, open for searching."""
    with (
        tempfile.TemporaryDirectory(prefix="oracle-") as folder,
        Project.create_or_open(Path(folder) / "oracle.threadcoder") as project,
    ):
        setup = build(project, corpus)
        texts = tuple(r.text for step in corpus.steps if isinstance(step, Import) for r in step.records)
        opened = Session(project, corpus, setup, Corpus(project.db.conn), Vocabulary(tuple(corpus.ids), texts))
        opened.searchers = {viewer: ProjectSearch(project, viewer=viewer) for viewer in VIEWERS}
        try:
            yield opened
        finally:
            for searcher in opened.searchers.values():
                searcher.close()
