"""The posts a search finds, as the population of a sample (the core's sampling takes any list of ids)."""

from __future__ import annotations

import click

from archive.jobs import drain
from archive.store.project import Project
from index.errors import QuerySyntaxError
from index.indexer import catch_up
from index.search import ProjectSearch


def search_population(project: Project, query: str) -> list[str]:
    """The ids of every collected post matching ``query``, with the index brought up to date first."""
    drain(catch_up(project))
    with ProjectSearch(project) as searcher:
        try:
            return [hit.id for hit in searcher.all_hits(query)]
        except QuerySyntaxError as error:
            raise click.BadParameter(f"{error}\n  {error.pointer(query)}", param_hint="--query") from error
