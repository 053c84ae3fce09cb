"""Coding on the command line: ``codebook``, ``coders``, ``codings``, ``sample`` and ``package`` groups."""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict
from importlib.resources import files
from pathlib import Path
from typing import Any

import click

from archive.coding.assignments import assign_posts, assign_sample, progress
from archive.coding.blind import set_blind_mode
from archive.coding.codebook import code_path, codebook_info, list_codes, require_code
from archive.coding.codebook_import import import_codebook
from archive.coding.codebook_io import read_codebook, spec_from_project, write_codebook
from archive.coding.coders import add_coder, ensure_coder, list_coders, require_coder, retire_coder
from archive.coding.codings import Span, apply_code, post_codings, remove_code
from archive.coding.codings_import import import_long_csv
from archive.coding.history import codebook_history
from archive.coding.memos import memos_on_post
from archive.coding.package import export_package, open_package, pack_package
from archive.coding.package_merge import import_package
from archive.coding.samples import SampleRule, draw_sample, get_sample, list_samples, sample_posts
from archive.coding.status import complete_post, mark_no_code_applies, visible_statuses
from archive.coding.undo import redo, undo
from archive.store.project import Project
from desktop.search_population import search_population

PROJECT = click.Path(exists=True, file_okay=False, path_type=Path)
STARTERS = ("metoo-men", "blank-template")
coder_option = click.option(
    "--coder", required=True, envvar="THREADCODER_CODER", help="Who does this (default: $THREADCODER_CODER)."
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")


def _open(ctx: click.Context) -> Project:
    """The project named by the group's PROJECT argument, opened for writing (use it in a with block)."""
    return Project(ctx.obj)


def _project_group(name: str, doc: str) -> click.Group:
    """A command group whose first argument is the PROJECT folder, e.g. ``threadcoder coders PROJECT add ana``."""

    @click.group(name, help=doc)
    @click.argument("project", type=PROJECT)
    @click.pass_context
    def group(ctx: click.Context, project: Path) -> None:
        ctx.obj = project

    return group


def _print(data: Any, as_json: bool, text: str) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=list) if as_json else text)


codebook_group = _project_group(
    "codebook", "Import, export and show the codebook of PROJECT (JSON, CSV with code,parent,description, or .qdc)."
)


@codebook_group.command("import")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--starter", type=click.Choice(STARTERS), help="Import a codebook shipped with Threadcoder instead.")
@coder_option
@json_option
@click.pass_context
def codebook_import(ctx: click.Context, file: Path | None, starter: str | None, coder: str, as_json: bool) -> None:
    """Add the codes of FILE to the codebook and update known ones; nothing is deleted.

    --starter metoo-men imports the starter codebook on men in #MeToo, --starter blank-template a template.
    The coder is added to the project when new.
    """
    if (file is None) == (starter is None):
        raise click.UsageError("give either FILE or --starter NAME")
    path = file or Path(str(files("resources") / "codebooks" / f"{starter}.json"))
    with _open(ctx) as project:
        who, added = ensure_coder(project.db, coder)
        report = import_codebook(project.db, who.id, read_codebook(path), path.name)
    text = (
        (f"Added coder {who.name}.\n" if added else "")
        + f"{len(report.added)} codes added, {len(report.updated)} updated, {len(report.unchanged)} unchanged; "
        + f"codebook version {report.version}"
        + "".join(f"\n  note: {n}" for n in report.notes)
    )
    _print(asdict(report), as_json, text)


@codebook_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--include-retired", is_flag=True, help="Also write retired codes (JSON and CSV only).")
@click.pass_context
def codebook_export(ctx: click.Context, file: Path, include_retired: bool) -> None:
    """Write the codebook to FILE; .json, .csv or .qdc (REFI-QDA) by its extension."""
    with _open(ctx) as project:
        spec = spec_from_project(project.db.conn, include_retired=include_retired)
        write_codebook(spec, file)
    click.echo(f"Wrote {len(spec.codes)} codes of '{spec.name}', version {spec.version}, to {file}")


@codebook_group.command("show")
@json_option
@click.pass_context
def codebook_show(ctx: click.Context, as_json: bool) -> None:
    """List the codes in use as a tree, with shortcuts and variables."""
    with _open(ctx) as project:
        info, codes = codebook_info(project.db.conn), list_codes(project.db.conn)
        paths = {c.id: code_path(project.db.conn, c) for c in codes}
    lines = [f"{info.citation}"] + [
        f"{'  ' * paths[c.id].count(' > ')}{c.name}"
        + (" [variable]" if c.exclusive else "")
        + (f" ({c.shortcut})" if c.shortcut else "")
        for c in codes
    ]
    _print({"codebook": asdict(info), "codes": [asdict(c) for c in codes]}, as_json, "\n".join(lines))


@codebook_group.command("history")
@click.pass_context
def codebook_history_command(ctx: click.Context) -> None:
    """Every codebook change: version, time, who, what."""
    with _open(ctx) as project:
        for change in codebook_history(project.db.conn):
            click.echo(f"v{change.version} {change.at} {change.coder or '-'}: {change.summary}")


coders_group = _project_group("coders", "Coder profiles, assignments, progress and blind mode of PROJECT.")


@coders_group.command("list")
@click.option("--all", "include_retired", is_flag=True, help="Include retired coders.")
@click.pass_context
def coders_list(ctx: click.Context, include_retired: bool) -> None:
    """List the coders."""
    with _open(ctx) as project:
        for coder in list_coders(project.db.conn, include_retired=include_retired):
            click.echo(f"{coder.name}\t{coder.full_name}" + ("\t(retired)" if coder.retired else ""))


@coders_group.command("add")
@click.argument("name")
@click.option("--full-name", default="", help="The person's full name.")
@click.pass_context
def coders_add(ctx: click.Context, name: str, full_name: str) -> None:
    """Add a coder called NAME (one word, e.g. ana)."""
    with _open(ctx) as project:
        coder = add_coder(project.db, name, full_name)
    click.echo(f"Added coder {coder.name}.")


@coders_group.command("retire")
@click.argument("name")
@click.pass_context
def coders_retire(ctx: click.Context, name: str) -> None:
    """Stop NAME from coding further; their codings stay."""
    with _open(ctx) as project:
        retire_coder(project.db, require_coder(project.db.conn, name).id)
    click.echo(f"Retired coder {name}.")


@coders_group.command("assign")
@click.argument("name")
@click.argument("posts", nargs=-1)
@click.option("--sample", "sample_name", help="Assign every post of this sample.")
@click.option("--ids", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="A file of post ids.")
@click.pass_context
def coders_assign(
    ctx: click.Context, name: str, posts: tuple[str, ...], sample_name: str | None, ids: Path | None
) -> None:
    """Assign POSTS (ids), a sample or a file of ids to the coder NAME."""
    wanted = list(posts) + (ids.read_text(encoding="utf-8").split() if ids else [])
    with _open(ctx) as project:
        coder = require_coder(project.db.conn, name)
        count = assign_posts(project.db, coder.id, wanted) if wanted else 0
        if sample_name:
            count += assign_sample(project.db, coder.id, get_sample(project.db.conn, sample_name))
    click.echo(f"Assigned {count} new post(s) to {coder.name}.")


@coders_group.command("progress")
@click.option("--sample", "sample_name", help="Count only this sample's posts.")
@json_option
@click.pass_context
def coders_progress(ctx: click.Context, sample_name: str | None, as_json: bool) -> None:
    """Assigned, completed and remaining posts per coder."""
    with _open(ctx) as project:
        sample = get_sample(project.db.conn, sample_name) if sample_name else None
        rows = progress(project.db.conn, sample=sample)
    data = [{**asdict(r), "remaining": r.remaining} for r in rows]
    text = "\n".join(
        f"{r.coder}: {r.completed}/{r.assigned} done, {r.remaining} remaining ({r.in_progress} in progress)"
        for r in rows
    )
    _print(data, as_json, text or "No posts are assigned.")


@coders_group.command("blind")
@click.argument("state", type=click.Choice(["on", "off"]))
@coder_option
@click.pass_context
def coders_blind(ctx: click.Context, state: str, coder: str) -> None:
    """Turn blind mode on, or lift it (off) so coders see each other's work."""
    with _open(ctx) as project:
        set_blind_mode(project.db, state == "on", require_coder(project.db.conn, coder).id)
    click.echo(f"Blind mode is {state}.")


codings_group = _project_group("codings", "Apply, remove, show, undo and import codings in PROJECT.")


@codings_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
@click.pass_context
def codings_import(ctx: click.Context, file: Path, as_json: bool) -> None:
    """Import codings made elsewhere from a long CSV: unit_id, coder_id, variable, value.

    unit_id is a post id; variable is a variable (value: one of its codes) or a code (value: 1 or 0).
    Blank values are missing. Rows that cannot be imported are listed, never dropped silently.
    """
    with _open(ctx) as project:
        report = import_long_csv(project.db, file)
    text = (
        f"{report.rows} rows: {report.codings_added} codings added, {report.already_here} already here, "
        f"{report.posts_completed} posts completed, {report.missing_values} missing values, "
        f"{len(report.problems)} not imported"
        + (f"; new coders: {', '.join(report.coders_added)}" if report.coders_added else "")
        + "".join(f"\n  {p}" for p in report.problems)
    )
    _print(asdict(report), as_json, text)


def _span(span: str | None) -> Span | None:
    if span is None:
        return None
    start, _, end = span.partition("..")
    try:
        return int(start), int(end)
    except ValueError as error:
        raise click.BadParameter(f"'{span}': expected START..END, e.g. 0..42", param_hint="--span") from error


def _coding_command(name: str, change: Any, done: str, noop: str, doc: str) -> None:
    """Register ``codings apply`` or ``codings remove``: they differ only in what they call and say."""

    @codings_group.command(name, help=doc)
    @click.argument("post")
    @click.argument("code")
    @coder_option
    @click.option("--span", help="Only characters START..END of the text (e.g. 0..42).")
    @click.pass_context
    def command(ctx: click.Context, post: str, code: str, coder: str, span: str | None) -> None:
        with _open(ctx) as project:
            conn = project.db.conn
            code_id, coder_id = require_code(conn, code).id, require_coder(conn, coder).id
            result = change(project.db, post, code_id, coder_id, span=_span(span))
        click.echo(done if result.changed else noop)


_coding_command("apply", apply_code, "Applied.", "Already applied.", "Apply CODE (by name) to POST (e.g. twitter:123).")
_coding_command("remove", remove_code, "Removed.", "Was not applied.", "Remove the coder's CODE from POST.")


@codings_group.command("done")
@click.argument("post")
@coder_option
@click.option("--none-applies", is_flag=True, help="Record that no code applies (removes the coder's codes).")
@click.pass_context
def codings_done(ctx: click.Context, post: str, coder: str, none_applies: bool) -> None:
    """Mark POST as coded by the coder."""
    with _open(ctx) as project:
        who = require_coder(project.db.conn, coder)
        (mark_no_code_applies if none_applies else complete_post)(project.db, post, who.id)
    click.echo("Marked: coded, no code applies." if none_applies else "Marked: coded.")


@codings_group.command("show")
@click.argument("post")
@coder_option
@click.pass_context
def codings_show(ctx: click.Context, post: str, coder: str) -> None:
    """Show the codings, status and memos (on the post and its thread) of POST as the coder may see them
    (blind mode hides others')."""
    with _open(ctx) as project:
        viewer = require_coder(project.db.conn, coder)
        codings = post_codings(project.db.conn, post, viewer.id)
        statuses = visible_statuses(project.db.conn, post, viewer.id)
        memos = memos_on_post(project.db.conn, post, viewer.id)
    for coding in codings:
        where = "" if coding.span is None else f" [{coding.span[0]}..{coding.span[1]}]"
        click.echo(f"{coding.coder}: {coding.code}{where}")
    for name, status in statuses.items():
        click.echo(f"{name}: {status.value}")
    for memo in memos:
        lines = memo.text.splitlines() or [""]
        click.echo(f"{memo.coder}: {memo.target.value} memo: " + "\n  ".join(lines))


def _history_command(name: str, step: Any, done: str, noop: str, doc: str) -> None:
    """Register ``codings undo`` or ``codings redo``."""

    @codings_group.command(name, help=doc)
    @coder_option
    @click.pass_context
    def command(ctx: click.Context, coder: str) -> None:
        with _open(ctx) as project:
            result = step(project.db, require_coder(project.db.conn, coder).id)
        click.echo(done if result.changed else noop)


_history_command("undo", undo, "Undone.", "Nothing to undo.", "Undo the coder's last action, even after a restart.")
_history_command("redo", redo, "Redone.", "Nothing to redo.", "Redo the coder's last undone action.")


sample_group = _project_group("sample", "Draw reproducible samples of PROJECT for double coding, and list them.")


@sample_group.command("draw")
@click.argument("name")
@click.option("--size", type=click.IntRange(min=1), required=True, help="Posts (threads with --method threads).")
@click.option("--seed", type=int, help="Random seed (default: a new one, printed and stored).")
@click.option("--method", type=click.Choice(["random", "stratified", "threads"]), default="random", show_default=True)
@click.option("--by", type=click.Choice(["platform", "month", "hashtag"]), help="Strata of a stratified sample.")
@click.option("--tag", "tags", multiple=True, help="With --by hashtag: a hashtag that makes a stratum (repeat).")
@click.option("--allocation", type=click.Choice(["proportional", "equal"]), default="proportional", show_default=True)
@click.option("--include-reposts", is_flag=True, help="Let reposts into the population.")
@click.option("--min-thread-posts", type=int, default=2, show_default=True, help="Smallest thread drawn.")
@click.option("--ids", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Draw from these post ids.")
@click.option("--query", help="Draw from the posts matching this search (the query language of 'search').")
@click.pass_context
def sample_draw(
    ctx: click.Context, /, name: str, seed: int | None, ids: Path | None, query: str | None, **rule: Any
) -> None:
    """Draw the sample NAME and store it with its seed and rule."""
    if ids and query:
        raise click.UsageError("give either --ids or --query, not both")
    seed = secrets.randbelow(2**31) if seed is None else seed
    hashtags = tuple(rule.pop("tags"))
    sample_rule = SampleRule(**rule, hashtags=hashtags)
    population = ids.read_text(encoding="utf-8").split() if ids else None
    with _open(ctx) as project:
        if query is not None:
            population = search_population(project, query)
        sample = draw_sample(project.db, name, sample_rule, seed, population=population, population_query=query)
    click.echo(f"Sample '{sample.name}': {sample.size} posts drawn from {sample.population} (seed {sample.seed}).")


@sample_group.command("list")
@click.pass_context
def sample_list(ctx: click.Context) -> None:
    """List the samples with their method, size and seed."""
    with _open(ctx) as project:
        for s in list_samples(project.db.conn):
            click.echo(f"{s.name}\t{s.method}\t{s.size} posts\tseed {s.seed}\t{s.created_at}")


@sample_group.command("show")
@click.argument("name")
@json_option
@click.pass_context
def sample_show(ctx: click.Context, name: str, as_json: bool) -> None:
    """Show a sample's rule, seed, strata and posts."""
    with _open(ctx) as project:
        sample = get_sample(project.db.conn, name)
        posts = sample_posts(project.db.conn, sample.id)
    strata = "".join(f"\n  {k}: {v['drawn']} of {v['population']}" for k, v in sample.rule.get("strata", {}).items())
    text = f"{sample.name}: {sample.method}, seed {sample.seed}, {sample.size} of {sample.population}{strata}\n"
    _print({**asdict(sample), "posts": posts}, as_json, text + "\n".join(posts))


@click.group("package")
def package_group() -> None:
    """Coder packages: code without the full archive and merge the work back."""


@package_group.command("export")
@click.argument("project", type=PROJECT)
@click.argument("coder")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sample", "sample_name", help="Package this sample's posts instead of the coder's assignments.")
def package_export(project: Path, coder: str, file: Path, sample_name: str | None) -> None:
    """Write FILE with CODER's assigned posts, their threads and the codebook."""
    with Project(project) as opened:
        who = require_coder(opened.db.conn, coder)
        posts = sample_posts(opened.db.conn, get_sample(opened.db.conn, sample_name).id) if sample_name else None
        summary = export_package(opened, who.id, file, posts)
    click.echo(f"Wrote {file}: {summary.assigned} posts for {summary.coder} ({summary.posts} with context).")


@package_group.command("open")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def package_open(file: Path, folder: Path) -> None:
    """Unpack FILE into FOLDER: a project to open and code in."""
    click.echo(f"Package ready to code: {open_package(file, folder)}")


@package_group.command("return")
@click.argument("folder", type=PROJECT)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def package_return(folder: Path, file: Path) -> None:
    """Pack the coded package project FOLDER into FILE to send back."""
    click.echo(f"Wrote {pack_package(folder, file)}; send it back to be merged.")


@package_group.command("import")
@click.argument("project", type=PROJECT)
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@json_option
def package_import(project: Path, file: Path, as_json: bool) -> None:
    """Merge a returned package FILE (or its folder) into PROJECT; conflicts are reported, never overwritten."""
    with Project(project) as opened:
        report = import_package(opened, file)
    text = (
        f"{report.coder}: {len(report.added)} posts added, {len(report.updated)} updated, {report.unchanged} "
        f"unchanged, {len(report.kept_here)} kept (changed here), {len(report.conflicts)} conflicts; "
        f"{report.codings_added} codings added, {report.codings_removed} removed, {report.memos_added} memos"
        + "".join(f"\n  conflict {c.post_id}: here {list(c.here)}, package {list(c.package)}" for c in report.conflicts)
        + "".join(f"\n  unknown post {p}" for p in report.unknown_posts)
        + "".join(f"\n  unknown code {c}" for c in report.unknown_codes)
    )
    _print(asdict(report), as_json, text)


COMMANDS = (codebook_group, coders_group, codings_group, sample_group, package_group)
