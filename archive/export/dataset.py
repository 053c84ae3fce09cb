"""The full coded dataset: one row per post and coder (or, from the gold standard, one per post), with the
post metadata chosen (text, author, date, platform, thread, hashtags, url) and one column per code (1/0)
and per variable. Authors and every account named in texts, links and hashtags can be pseudonymised and texts
left out.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from operator import attrgetter

from archive.adjudication.gold import gold_values
from archive.agreement.selection import select
from archive.agreement.targets import list_targets
from archive.coding.status import PostStatus
from archive.export.coder_rows import TargetCells
from archive.export.context import PROGRESS_EVERY, ExportContext
from archive.export.files import Cell
from archive.export.privacy import Pseudonyms
from archive.jobs import JobProgress

_POST = (
    "SELECT p.text, a.handle, a.native_id, p.created_at, p.platform, coalesce(p.root_id, p.id), "
    "(SELECT group_concat(h.display, ' ') FROM post_hashtags h WHERE h.post_id = p.id), p.url "
    "FROM posts p LEFT JOIN authors a ON a.id = p.author_id WHERE p.id = ?"
)


class _Posts:
    """Post metadata in the chosen columns, looked up once per post (rows come grouped by post)."""

    def __init__(self, conn: sqlite3.Connection, columns: tuple[str, ...], pseudonyms: Pseudonyms | None) -> None:
        self.conn, self.columns, self.pseudonyms = conn, columns, pseudonyms
        self._last: tuple[str, list[Cell]] = ("", [])

    def cells(self, post_id: str) -> list[Cell]:
        if self._last[0] != post_id:
            self._last = (post_id, self._read(post_id))
        return self._last[1]

    def _read(self, post_id: str) -> list[Cell]:
        text, handle, native, date, platform, thread, hashtags, url = self.conn.execute(_POST, (post_id,)).fetchone()
        author = handle or native
        p = self.pseudonyms
        if p is not None:
            # Every cell that can name someone: a hashtag can be a handle (#name) as much as a word can.
            text, author, url, hashtags = p.text(text), p.author(handle, native), p.optional(url), p.optional(hashtags)
        found = {"text": text, "author": author, "date": date, "platform": platform, "thread": thread,
                 "hashtags": hashtags, "url": url}  # fmt: skip
        return [found[column] for column in self.columns]


def _columns(ctx: ExportContext) -> tuple[str, ...]:
    return tuple(c for c in ctx.options.columns if not (c == "text" and ctx.options.drop_text))


def write_dataset(ctx: ExportContext) -> Iterator[JobProgress]:
    if ctx.options.gold:
        yield from _gold_dataset(ctx)
        return
    targets = list_targets(ctx.conn)
    columns = _columns(ctx)
    posts = _Posts(ctx.conn, columns, ctx.pseudonyms)
    with select(ctx.conn, ctx.options.selection(1)) as cells:
        total = cells.count()
        out = ctx.outputs.csv(ctx.path)
        coders = {coder_id: out.cell(name) for coder_id, name in cells.coders()}
        out.header(["unit_id", "coder_id", "status", *columns, *(t.name for t in targets)])
        prepared = TargetCells(out, targets)
        for done, row in enumerate(cells.rows(), start=1):
            status = PostStatus.CODED if row.code_ids else PostStatus.NO_CODE_APPLIES
            post = [out.cell(cell) for cell in (row.post_id, *posts.cells(row.post_id))]
            out.prepared([[post[0], coders[row.coder_id], status.value, *post[1:], *prepared.labels(row.code_ids)]])
            if done % PROGRESS_EVERY == 0:
                yield JobProgress(f"writing {ctx.path.name}", done, total)


def _gold_dataset(ctx: ExportContext) -> Iterator[JobProgress]:
    """One row per post with a gold value; a code or variable not decided yet is the missing token."""
    targets = list_targets(ctx.conn)
    columns = _columns(ctx)
    posts = _Posts(ctx.conn, columns, ctx.pseudonyms)
    out = ctx.outputs.csv(ctx.path)
    out.header(["unit_id", *columns, *(t.name for t in targets)])
    for done, (post_id, group) in enumerate(itertools.groupby(gold_values(ctx.conn), attrgetter("post_id")), 1):
        decided = {gold.target: gold.value for gold in group}
        out.row([post_id, *posts.cells(post_id), *(decided.get(t.name) for t in targets)])
        if done % PROGRESS_EVERY == 0:
            yield JobProgress(f"writing {ctx.path.name}", done, 0)
