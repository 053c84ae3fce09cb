"""Memos in exports: the ``memos`` shape (one row per memo) and the coders' memo texts the dataset carries."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterator

from archive.coding.memos import MemoTarget, list_memos
from archive.coding.samples import get_sample, sample_posts
from archive.export.context import PROGRESS_EVERY, ExportContext
from archive.export.errors import ExportError
from archive.export.privacy import Pseudonyms
from archive.jobs import JobProgress

MEMO_ROW_COLUMNS = ("target_kind", "target", "coder", "created_at", "updated_at", "text")
SEPARATOR = "\n\n"
"""Between two memos of one coder in one dataset cell: each memo is a paragraph, oldest first."""

_POST_AND_THREAD = (
    "SELECT target_kind, target_id, coder_id, text FROM memos WHERE target_kind IN ('post', 'thread') ORDER BY id"
)


def write_memos(ctx: ExportContext) -> Iterator[JobProgress]:
    """``target_kind, target, coder, created_at, updated_at, text``: every memo of the project, whatever blind
    mode says (the project's view, as for codings); with ``--sample``, post and thread memos only on its posts."""
    if ctx.options.drop_text:
        raise ExportError("the memos export is the memos' texts: --drop-text would leave nothing to export")
    memos = list_memos(ctx.conn, None)
    if ctx.options.sample is not None:
        posts, threads = _sample_targets(ctx.conn, ctx.options.sample)
        kept = [m for m in memos if _in_sample(m.target, m.target_id, posts, threads)]
        if len(kept) < len(memos):
            ctx.notes.append(f"{len(memos) - len(kept)} post or thread memo(s) outside the sample were left out")
        memos = kept
    pseudonyms = ctx.pseudonyms
    out = ctx.outputs.csv(ctx.path)
    out.header(MEMO_ROW_COLUMNS)
    for done, memo in enumerate(memos, start=1):
        text = memo.text if pseudonyms is None else pseudonyms.text(memo.text)
        out.row((memo.target.value, memo.about or None, memo.coder, memo.created_at, memo.updated_at, text))
        if done % PROGRESS_EVERY == 0:
            yield JobProgress(f"writing {ctx.path.name}", done, len(memos))
    yield JobProgress(f"writing {ctx.path.name}", len(memos), len(memos))


def _sample_targets(conn: sqlite3.Connection, name: str) -> tuple[set[str], set[str]]:
    """The sample's posts, and the threads (root ids) they belong to."""
    posts = set(sample_posts(conn, get_sample(conn, name).id))
    threads = {
        str(root)
        for post_id in posts
        for (root,) in conn.execute("SELECT coalesce(root_id, id) FROM posts WHERE id = ?", (post_id,))
    }
    return posts, threads


def _in_sample(target: MemoTarget, target_id: str, posts: set[str], threads: set[str]) -> bool:
    if target is MemoTarget.POST:
        return target_id in posts
    if target is MemoTarget.THREAD:
        return target_id in threads
    return True  # code and project memos concern every post


class MemoTexts:
    """Each coder's post and thread memos, pseudonymised when asked and joined per coder and target, for the
    dataset's ``post_memo`` and ``thread_memo`` cells; read once per export (memos are few next to codings)."""

    def __init__(self, conn: sqlite3.Connection, pseudonyms: Pseudonyms | None) -> None:
        grouped: defaultdict[tuple[str, str, int], list[str]] = defaultdict(list)
        for kind, target_id, coder_id, text in conn.execute(_POST_AND_THREAD):
            grouped[(kind, target_id, coder_id)].append(text if pseudonyms is None else pseudonyms.text(text))
        self._texts = {key: SEPARATOR.join(texts) for key, texts in grouped.items()}
        self._by_target: defaultdict[tuple[str, str], set[int]] = defaultdict(set)
        for kind, target_id, coder_id in self._texts:
            self._by_target[(kind, target_id)].add(coder_id)

    def __bool__(self) -> bool:
        return bool(self._texts)

    def post(self, post_id: str, coder_id: int) -> str | None:
        """The coder's memos on the post, or None (the missing token) when there are none."""
        return self._texts.get(("post", post_id, coder_id))

    def thread(self, root_id: str, coder_id: int) -> str | None:
        """The coder's memos on the thread whose root is ``root_id``, or None."""
        return self._texts.get(("thread", root_id, coder_id))

    def writers(self, posts: set[tuple[str, str]]) -> set[int]:
        """The coders who wrote a memo on any of these (post, thread root) pairs."""
        found: set[int] = set()
        for post_id, root_id in posts:
            found |= self._by_target.get(("post", post_id), set()) | self._by_target.get(("thread", root_id), set())
        return found
