"""``threadcoder memos``: write a memo on a post, a thread, a code or the project, and list the memos."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from archive.coding.blind import blind_mode
from archive.coding.codebook import require_code
from archive.coding.coders import require_coder
from archive.coding.memos import BLIND_TARGETS, Memo, MemoTarget, add_memo, list_memos
from archive.store.project import Project
from desktop.cli_coding import PROJECT, coder_option, json_option


@click.group("memos")
@click.argument("project", type=PROJECT)
@click.pass_context
def memos_group(ctx: click.Context, project: Path) -> None:
    """Write memos on posts, threads, codes or PROJECT itself, and list them (exports: docs/export.md)."""
    ctx.obj = project


@memos_group.command("add")
@click.argument("text")
@click.option("--post", "post_id", metavar="ID", help="A memo on this post.")
@click.option("--thread", "thread_id", metavar="ID", help="A memo on the thread of this post (kept on its root).")
@click.option("--code", "code_name", metavar="NAME", help="A memo on this code.")
@click.option("--project", "on_project", is_flag=True, help="A memo on the whole project.")
@coder_option
@click.pass_context
def memos_add(
    ctx: click.Context,
    text: str,
    post_id: str | None,
    thread_id: str | None,
    code_name: str | None,
    on_project: bool,
    coder: str,
) -> None:
    """Write TEXT ('-': read it from standard input) as the coder's memo; undo with 'codings PROJECT undo'."""
    chosen = [
        (target, given)
        for target, given in ((MemoTarget.POST, post_id), (MemoTarget.THREAD, thread_id), (MemoTarget.CODE, code_name))
        if given is not None
    ] + ([(MemoTarget.PROJECT, "")] if on_project else [])
    if len(chosen) != 1:
        raise click.UsageError("say what the memo is on: one of --post ID, --thread ID, --code NAME or --project")
    target, given = chosen[0]
    if text == "-":
        text = sys.stdin.read()
    with Project(ctx.obj) as opened:
        conn = opened.db.conn
        who = require_coder(conn, coder)
        target_id = require_code(conn, given).guid if target is MemoTarget.CODE else given
        memo = add_memo(opened.db, who.id, target, target_id, text)
    click.echo(f"Memo {memo.id} by {memo.coder} on {_where(memo)}.")


@memos_group.command("list")
@click.option("--coder", help="Only this coder's memos (in blind mode, the only way to see post and thread memos).")
@click.option("--kind", type=click.Choice([target.value for target in MemoTarget]), help="Only memos on these.")
@json_option
@click.pass_context
def memos_list(ctx: click.Context, coder: str | None, kind: str | None, as_json: bool) -> None:
    """List the memos: the project's, then the codes', the threads' and the posts', each oldest first.

    In blind mode a post or thread memo is listed only to its coder (give --coder); code and project memos are
    shared. Exports are the project's view and hold every memo.
    """
    with Project(ctx.obj, writable=False) as opened:
        conn = opened.db.conn
        who = require_coder(conn, coder) if coder else None
        target = None if kind is None else MemoTarget(kind)
        memos = list_memos(conn, None, coder_id=None if who is None else who.id, target=target)
        hidden = 0
        if who is None and blind_mode(conn):
            shown = [memo for memo in memos if memo.target not in BLIND_TARGETS]
            hidden, memos = len(memos) - len(shown), shown
    if as_json:
        click.echo(json.dumps([_json(memo) for memo in memos], indent=2, ensure_ascii=False))
    else:
        for memo in memos:
            edited = "" if memo.updated_at == memo.created_at else f", edited {memo.updated_at}"
            click.echo(f"[{memo.id}] {_where(memo)}: {memo.coder}, {memo.created_at}{edited}")
            click.echo(indented(memo.text))
        click.echo(f"{len(memos)} memo(s).")
    if hidden:
        note = f"Blind mode is on: {hidden} post and thread memo(s) not listed; give --coder to see yours."
        click.echo(note, err=True)


def _where(memo: Memo) -> str:
    return "the project" if memo.target is MemoTarget.PROJECT else f"{memo.target.value} {memo.about}"


def _json(memo: Memo) -> dict[str, Any]:
    """The columns of the memos export, with the memo's id and the stored target id (a code's guid)."""
    return {
        "id": memo.id,
        "target_kind": memo.target.value,
        "target": memo.about,
        "target_id": memo.target_id,
        "coder": memo.coder,
        "created_at": memo.created_at,
        "updated_at": memo.updated_at,
        "text": memo.text,
    }


def indented(text: str) -> str:
    """A memo's text under its heading: every line indented, so a memo of several lines reads as one."""
    return "\n".join(f"  {line}" for line in text.splitlines() or [""])


COMMANDS = (memos_group,)
