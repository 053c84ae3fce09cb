"""``threadcoder search`` and ``threadcoder index``: search a project from the command line, keep its index."""

from __future__ import annotations

import json
import sys
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from app import saved_searches
from app.bidi import when
from app.search_export import write_hits_csv
from app.status_text import counted
from archive.errors import ProjectLockedError, ThreadcoderError
from archive.jobs import CancelToken
from archive.store.project import Project
from archive.store.sql import chunks, marks
from desktop.interrupts import interrupt_cancels
from index.errors import QuerySyntaxError
from index.indexer import IndexProgress, IndexSummary, catch_up, check, rebuild
from index.saved import get_saved
from index.search import SORTS, ProjectSearch, SearchResults


@click.command("search")
@click.argument("project", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("query", required=False)
@click.option("--sort", type=click.Choice(SORTS), help="relevance (default), -date (newest first) or date.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Hits to print.")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True, help="Which page of --limit hits.")
@click.option("--json", "as_json", is_flag=True, help='Print {"total", "elapsed_ms", "hits": [...]} as JSON.')
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False, path_type=Path), help="Write ALL hits to a CSV.")
@click.option("--no-neutralise", is_flag=True, help="In --csv, keep cells starting = + - @ as they are (for R/Python).")
@click.option("--facets", "with_facets", is_flag=True, help="Also count hashtags, authors, languages, days, codes.")
@click.option("--coder", help="Search as this coder (in blind mode, coding searches see only your own coding).")
@click.option("--context", "include_context", is_flag=True, help="Also find context posts (not in the collection).")
@click.option("--save", "save_name", metavar="NAME", help="Save this search in the project under NAME.")
@click.option("--saved", "saved_name", metavar="NAME", help="Run the search saved as NAME.")
@click.option("--list-saved", is_flag=True, help="List the saved searches and stop.")
def search_command(
    project: Path,
    query: str | None,
    sort: str | None,
    limit: int,
    page: int,
    as_json: bool,
    csv_file: Path | None,
    no_neutralise: bool,
    with_facets: bool,
    coder: str | None,
    include_context: bool,
    save_name: str | None,
    saved_name: str | None,
    list_saved: bool,
) -> None:
    """Search PROJECT for QUERY and print the hits; see docs/search.md for the query language.

    \b
    Examples:
      threadcoder search study.threadcoder '#metoo date:2017-10-15..2017-10-24'
      threadcoder search study.threadcoder '"believe survivors" -is:repost' --sort -date
      threadcoder search study.threadcoder 'code:backlash@ana not-coded-by:ben' --coder ana

    The index first catches up with any change to the project, so results are always current.
    """
    with _open(project) as opened:
        if list_saved:
            for entry in saved_searches.list_saved(opened):
                click.echo(f"{entry.name}: {entry.query}  [{entry.sort}]")
            return
        if saved_name is not None:
            if query is not None:
                raise click.UsageError("give either a QUERY or --saved NAME, not both")
            saved = get_saved(opened.db.conn, saved_name)
            query, sort = saved.query, sort or saved.sort
        query, sort = query or "", sort or "relevance"
        if opened.writable:
            cancel = CancelToken()
            _run_job(catch_up(opened, cancel=cancel), cancel, "Updating the index", quiet=as_json)
        with ProjectSearch(opened, viewer=coder) as searcher:
            try:
                results = searcher.search(query, sort=sort, page=page, page_size=limit, include_context=include_context)
            except QuerySyntaxError as error:
                _query_error(error, query)
            if save_name is not None:
                _save(opened, save_name, query, sort)
            if csv_file is not None:
                hits = searcher.all_hits(query, sort=sort, include_context=include_context)
                write_hits_csv(opened, hits, csv_file, neutralise=not no_neutralise)
                click.echo(f"{counted(len(hits), 'post')} written to {csv_file}", err=as_json)
            facets = searcher.facets(query, include_context=include_context).as_dict() if with_facets else None
        bylines = _bylines(opened, [hit.id for hit in results.hits])
    if as_json:
        click.echo(json.dumps(_json(results, facets), ensure_ascii=False, indent=2))
    elif csv_file is None or with_facets:
        _print(results, facets, bylines)


@click.command("index")
@click.argument("project", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--rebuild", "full", is_flag=True, help="Index every post afresh (the old index stays until done).")
@click.option("--check", "only_check", is_flag=True, help="Only say whether the index is up to date.")
def index_command(project: Path, full: bool, only_check: bool) -> None:
    """Bring PROJECT's search index up to date with its posts and coding (or rebuild it)."""
    with Project(project) as opened:
        if only_check:
            health = check(opened)
            click.echo(f"{health.state}: {health.reason}")
            sys.exit(0 if health.state == "ok" else 1)
        cancel = CancelToken()
        if full:
            summary = _run_job(rebuild(opened, cancel=cancel), cancel, "Rebuilding the index")
        else:
            summary = _run_job(catch_up(opened, cancel=cancel), cancel, "Updating the index")
    if summary.status == "cancelled":
        click.echo("Interrupted: what was indexed is kept; run the same command again to finish.", err=True)
        sys.exit(130)
    if summary.status == "up-to-date":
        click.echo("The index is up to date.")
        return
    removed = f", {summary.removed} removed" if summary.removed else ""
    rate = f" ({summary.indexed / summary.seconds:,.0f} posts/s)" if summary.seconds > 0 else ""
    click.echo(f"Indexed {summary.indexed} posts{removed} in {summary.seconds:.1f} s{rate}.")


COMMANDS = (search_command, index_command)


@contextmanager
def _open(folder: Path) -> Iterator[Project]:
    """The project for writing (to update the index), or read-only while the app has it open."""
    try:
        project = Project(folder)
    except ProjectLockedError:
        click.echo("threadcoder: the project is open elsewhere; searching the index as it is.", err=True)
        project = Project(folder, writable=False)
    with project:
        yield project


def _run_job(
    job: Generator[IndexProgress, None, IndexSummary], cancel: CancelToken, label: str, quiet: bool = False
) -> IndexSummary:
    """Run an indexing job with a progress bar on a terminal; Ctrl-C stops it at the next batch."""
    show = sys.stderr.isatty() and not quiet
    with interrupt_cancels(cancel), click.progressbar(length=1, label=label, file=sys.stderr, hidden=not show) as bar:
        while True:
            try:
                progress = next(job)
            except StopIteration as stop:
                summary: IndexSummary = stop.value
                return summary
            bar.length = max(1, progress.total)
            bar.update(progress.done - bar.pos)


def _query_error(error: QuerySyntaxError, query: str) -> None:
    click.echo(f"threadcoder: {error}", err=True)
    for line in error.pointer(query).splitlines():
        click.echo(f"  {line}", err=True)
    sys.exit(1)


def _save(project: Project, name: str, query: str, sort: str) -> None:
    if not project.writable:
        raise ThreadcoderError("the project is open elsewhere; cannot save the search now")
    saved_searches.save(project, name, query, sort)
    click.echo(f"Saved as '{name}'.", err=True)


def _bylines(project: Project, keys: list[str]) -> dict[str, str]:
    """``@handle · 2017-10-16 07:52 UTC`` for each hit of the page, as the app shows a post."""
    bylines: dict[str, str] = {}
    for chunk in chunks(keys):  # --limit may ask for thousands
        sql = (
            "SELECT p.id, a.handle, p.created_at FROM posts AS p LEFT JOIN authors AS a ON a.id = p.author_id "
            f"WHERE p.id IN ({marks(len(chunk))})"
        )
        for key, handle, created in project.db.conn.execute(sql, chunk):
            bylines[key] = " · ".join(part for part in (f"@{handle}" if handle else "", when(created)) if part)
    return bylines


def _json(results: SearchResults, facets: dict[str, Any] | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "total": results.total,
        "elapsed_ms": round(results.elapsed_ms, 1),
        "query": results.query,
        "sort": results.sort,
        "page": results.page,
        "hits": [
            {"id": hit.id, "score": hit.score, "snippet": hit.snippet.render() if hit.snippet else ""}
            for hit in results.hits
        ],
    }
    if facets is not None:
        body["facets"] = {name: [[value, count] for value, count in pairs] for name, pairs in facets.items()}
    return body


def _print(results: SearchResults, facets: dict[str, Any] | None, bylines: dict[str, str]) -> None:
    order = {"relevance": "by relevance", "-date": "newest first", "date": "oldest first"}[results.sort]
    first = (results.page - 1) * results.page_size + 1
    shown = f"; showing {first}-{first + len(results.hits) - 1}" if results.hits else ""
    verb = "matches" if results.total == 1 else "match"
    click.echo(f"{counted(results.total, 'post')} {verb} ({results.elapsed_ms:.0f} ms), {order}{shown}")
    for hit in results.hits:
        score = f"  score {hit.score:.2f}" if hit.score is not None else ""
        click.echo(f"\n{hit.id}  {bylines.get(hit.id, '')}{score}")
        if hit.snippet is not None:
            text = hit.snippet.render(click.style("", bold=True, reset=False), click.style("", reset=True))
            click.echo(f"    {text}")
    for name, pairs in (facets or {}).items():
        values = ", ".join(f"{value} ({count})" for value, count in pairs[:10])
        click.echo(f"\n{name}: {values or '-'}")
