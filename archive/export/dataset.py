"""The full coded dataset: one row per post and coder (or, from the gold standard, one per post), with the
post metadata chosen (text, author, date, platform, thread, hashtags, url), the coder's memos on the post and
its thread, and one column per code (1/0) and per variable. Authors and every account named in texts, memos,
links and hashtags can be pseudonymised, and texts (memos with them) left out.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from operator import attrgetter

from archive.adjudication.gold import gold_values
from archive.agreement.selection import select
from archive.agreement.targets import list_targets
from archive.coding.status import PostStatus
from archive.export.coder_rows import TargetCells
from archive.export.context import PROGRESS_EVERY, ExportContext
from archive.export.files import Cell
from archive.export.memos import MemoTexts
from archive.export.options import MEMO_COLUMNS
from archive.jobs import JobProgress

_POST = (
    "SELECT p.text, a.handle, a.native_id, p.created_at, p.platform, coalesce(p.root_id, p.id), "
    "(SELECT group_concat(h.display, ' ') FROM post_hashtags h WHERE h.post_id = p.id), p.url "
    "FROM posts p LEFT JOIN authors a ON a.id = p.author_id WHERE p.id = ?"
)


class _Posts:
    """Post metadata in the chosen columns, looked up once per post (rows come grouped by post), and the memo
    cells of each coder's row."""

    def __init__(self, ctx: ExportContext, columns: tuple[str, ...]) -> None:
        self.conn, self.columns, self.pseudonyms = ctx.conn, columns, ctx.pseudonyms
        self.memos = MemoTexts(ctx.conn, ctx.pseudonyms) if set(columns) & set(MEMO_COLUMNS) else None
        # Where the memo cells go; none to fill when the project has no post or thread memo (the usual case).
        self._memo_slots = [(i, c) for i, c in enumerate(columns) if c in MEMO_COLUMNS] if self.memos else []
        self._last: tuple[str, dict[str, Cell], list[Cell]] = ("", {}, [])

    def found(self, post_id: str) -> dict[str, Cell]:
        """Every post column of the post, by name."""
        return self._post(post_id)[1]

    def cells(self, post_id: str, coder_id: int) -> list[Cell]:
        """The chosen columns of the coder's row on the post."""
        chosen = self._post(post_id)[2]
        if not self._memo_slots:
            return chosen  # the same for every coder of the post
        row = chosen.copy()
        for i, column in self._memo_slots:
            row[i] = self.memo(column, post_id, coder_id)
        return row

    def memo(self, column: str, post_id: str, coder_id: int) -> str | None:
        assert self.memos is not None  # made whenever a memo column is chosen
        if column == "post_memo":
            return self.memos.post(post_id, coder_id)
        return self.memos.thread(str(self.found(post_id)["thread"]), coder_id)

    def _post(self, post_id: str) -> tuple[str, dict[str, Cell], list[Cell]]:
        if self._last[0] != post_id:
            found = self._read(post_id)
            self._last = (post_id, found, [found.get(c) for c in self.columns])  # memo columns: None
        return self._last

    def _read(self, post_id: str) -> dict[str, Cell]:
        text, handle, native, date, platform, thread, hashtags, url = self.conn.execute(_POST, (post_id,)).fetchone()
        author = handle or native
        p = self.pseudonyms
        if p is not None:
            # Every cell that can name someone: a hashtag can be a handle (#name) as much as a word can.
            text, author, url, hashtags = p.text(text), p.author(handle, native), p.optional(url), p.optional(hashtags)
        return {
            "text": text,
            "author": author,
            "date": date,
            "platform": platform,
            "thread": thread,
            "hashtags": hashtags,
            "url": url,
        }


def _columns(ctx: ExportContext) -> tuple[str, ...]:
    # Memos often quote the post they are on: leaving the texts out leaves them out too.
    dropped = ("text", *MEMO_COLUMNS) if ctx.options.drop_text else ()
    return tuple(c for c in ctx.options.columns if c not in dropped)


def write_dataset(ctx: ExportContext) -> Iterator[JobProgress]:
    if ctx.options.gold:
        yield from _gold_dataset(ctx)
        return
    targets = list_targets(ctx.conn)
    columns = _columns(ctx)
    posts = _Posts(ctx, columns)
    with select(ctx.conn, ctx.options.selection(1)) as cells:
        total = cells.count()
        out = ctx.outputs.csv(ctx.path)
        coders = {coder_id: out.cell(name) for coder_id, name in cells.coders()}
        out.header(["unit_id", "coder_id", "status", *columns, *(t.name for t in targets)])
        prepared = TargetCells(out, targets)
        for done, row in enumerate(cells.rows(), start=1):
            status = PostStatus.CODED if row.code_ids else PostStatus.NO_CODE_APPLIES
            post = [out.cell(cell) for cell in (row.post_id, *posts.cells(row.post_id, row.coder_id))]
            out.prepared([[post[0], coders[row.coder_id], status.value, *post[1:], *prepared.labels(row.code_ids)]])
            if done % PROGRESS_EVERY == 0:
                yield JobProgress(f"writing {ctx.path.name}", done, total)


_GOLD_POSTS = "SELECT DISTINCT g.post_id, coalesce(p.root_id, p.id) FROM gold g JOIN posts p ON p.id = g.post_id"


def _gold_dataset(ctx: ExportContext) -> Iterator[JobProgress]:
    """One row per post with a gold value; a code or variable not decided yet is the missing token. A memo
    column becomes one column per coder who wrote such a memo on these posts (``post_memo_ana``, ...)."""
    targets = list_targets(ctx.conn)
    columns = _columns(ctx)
    posts = _Posts(ctx, columns)
    writers: list[tuple[int, str]] = []
    if posts.memos is not None:
        ids = posts.memos.writers({(str(post), str(root)) for post, root in ctx.conn.execute(_GOLD_POSTS)})
        names = dict(ctx.conn.execute("SELECT id, name FROM coders"))
        writers = sorted(((i, str(names[i])) for i in ids), key=lambda pair: pair[1].lower())
    header: list[str] = []
    for column in columns:
        header += [f"{column}_{name}" for _, name in writers] if column in MEMO_COLUMNS else [column]
    out = ctx.outputs.csv(ctx.path)
    out.header(["unit_id", *header, *(t.name for t in targets)])
    for done, (post_id, group) in enumerate(itertools.groupby(gold_values(ctx.conn), attrgetter("post_id")), 1):
        decided = {gold.target: gold.value for gold in group}
        found = posts.found(post_id)
        cells: list[Cell] = []
        for column in columns:
            if column in MEMO_COLUMNS:
                cells += [posts.memo(column, post_id, coder_id) for coder_id, _ in writers]
            else:
                cells.append(found[column])
        out.row([post_id, *cells, *(decided.get(t.name) for t in targets)])
        if done % PROGRESS_EVERY == 0:
            yield JobProgress(f"writing {ctx.path.name}", done, 0)
