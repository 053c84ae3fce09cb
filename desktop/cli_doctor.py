"""``threadcoder doctor`` (is the project healthy? the safe repairs) and ``threadcoder backups`` (list, restore)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from app.doctor import check_project, repair, report_text
from archive.store.backups import find_backup, list_backups, restore, take_backup
from archive.store.health import describe_age, utcnow
from archive.store.project import Project

PROJECT = click.Path(exists=True, file_okay=False, path_type=Path)
REPAIR_HELP = (
    "Make the safe repairs: rebuild the index, clear a stale lock, take a missing backup, restore the "
    "newest good backup into a NEW folder when the database is damaged. Never deletes data."
)


@click.command("doctor")
@click.argument("project", type=PROJECT)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--repair", "mend", is_flag=True, help=REPAIR_HELP)
@click.option("--thorough", is_flag=True, help="Run SQLite's slower integrity_check instead of quick_check.")
def doctor_command(project: Path, as_json: bool, mend: bool, thorough: bool) -> None:
    """Check PROJECT: its database, search index, backups, lock and disk; exit 0 only when it is healthy.

    It reads the whole database (seconds on a million posts) and changes nothing unless --repair is given.
    """
    report = check_project(project, thorough=thorough)
    done: list[str] = []
    if mend:
        done = repair(report, on_step=None if as_json else lambda text: click.echo(f"{text}…", err=True))
        if done:
            report = check_project(project, thorough=thorough)
    if as_json:
        click.echo(json.dumps({**report.as_dict(), "repairs": done}, indent=2))
    else:
        for line in done:
            click.echo(f"Repaired: {line}")
        if done:
            click.echo("")
        click.echo(report_text(report))
    sys.exit(0 if report.healthy else 1)


@click.group("backups")
@click.argument("project", type=PROJECT)
@click.pass_context
def backups_group(ctx: click.Context, project: Path) -> None:
    """PROJECT's backups: list them, take one now, restore one into a new folder.

    A backup is taken every day the project is opened for writing and before every destructive operation;
    the newest of each of the last 7 days and 4 weeks, and the last 5 taken on request or before an operation,
    are kept (docs/trust.md).
    """
    ctx.obj = project


@backups_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.pass_context
def backups_list(ctx: click.Context, as_json: bool) -> None:
    """List the backups, newest first, with their ages and sizes."""
    backups, now = list_backups(ctx.obj), utcnow()
    if as_json:
        rows = [
            {
                "name": item.name,
                "path": str(item.path),
                "taken_at": item.taken_at.isoformat(),
                "age_seconds": int((now - item.taken_at).total_seconds()),
                "reason": item.reason,
                "bytes": item.size,
            }
            for item in backups
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    if not backups:
        click.echo(
            "No backups yet: one is taken the next time the project is opened for writing "
            f"(or now: threadcoder backups {ctx.obj} take)."
        )
        return
    for item in backups:
        taken = item.taken_at.strftime("%Y-%m-%d %H:%M UTC")
        click.echo(
            f"{item.name}  {taken}  {describe_age(now - item.taken_at)} old  {item.size / 1e6:,.1f} MB  {item.reason}"
        )


@backups_group.command("take")
@click.pass_context
def backups_take(ctx: click.Context) -> None:
    """Check the project and back it up now (kept among the last 5 taken on request)."""
    with Project(ctx.obj, check=False) as opened:  # take_backup checks the database itself
        taken = take_backup(opened.db.conn, opened.folder, "manual")
    click.echo(f"Backed up to {taken}")


@backups_group.command("restore")
@click.argument("backup")
@click.option(
    "--into",
    "into",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="A new (or empty) folder for the restored project; the project itself is never overwritten.",
)
@click.pass_context
def backups_restore(ctx: click.Context, backup: str, into: Path) -> None:
    """Restore BACKUP (a name from 'list', or a path) as a new project in the folder --into."""
    if into.resolve().is_relative_to(ctx.obj.resolve()):
        raise click.UsageError("--into must be a folder outside the project")
    source = find_backup(ctx.obj, backup)
    restored = restore(source, into)
    click.echo(
        f"Restored {source.name} into {restored}. The search index is built the first time you search it; "
        f"{ctx.obj} is unchanged."
    )


COMMANDS = (doctor_command, backups_group)
