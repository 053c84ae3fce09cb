"""One coder's work on the open project, as the coding panel needs it (Qt-free).

Every action goes through ``archive.coding`` and is one transaction there; this module only decides which
core call a keypress means (toggle a code, choose a variable's value, mark done) and reads back what the
coder may see of a post: blind mode applies through the core's ``viewer_id``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from app.bidi import first_words, isolate, when
from app.store_errors import store_errors
from archive.coding.blind import blind_mode, blind_mode_changed
from archive.coding.codebook import Code, list_codes, variable_of
from archive.coding.coders import Coder, get_coder
from archive.coding.codings import apply_code, post_codings, remove_code, toggle_code
from archive.coding.memos import Memo, MemoTarget, add_memo, delete_memo, edit_memo, memos_for
from archive.coding.status import PostStatus, complete_post, mark_no_code_applies, reopen_post, visible_statuses
from archive.coding.undo import ActionResult, redo, undo, undo_history


@dataclass(frozen=True, slots=True)
class PostCoding:
    """What the coder sees of one post's coding."""

    post_id: str
    codable: bool
    reason: str = ""  # why the post cannot be coded
    heading: str = ""  # which post this is: author, time and first words, direction-isolated
    applied: frozenset[int] = frozenset()  # codes this coder gave the whole post
    spans: int = 0  # this coder's codings of parts of the text (made elsewhere; kept, not shown as ticks)
    status: PostStatus = PostStatus.NOT_CODED
    others: dict[str, PostStatus] = field(default_factory=dict)  # other coders, when blind mode is off
    memo: Memo | None = None  # this coder's memo on the post
    other_memos: tuple[Memo, ...] = ()


class CodingSession:
    """The current coder on one project connection (the window's, on the UI thread)."""

    def __init__(self, db: Database, coder_id: int) -> None:
        self.db = db
        self.coder_id = coder_id

    @property
    def coder(self) -> Coder:
        return get_coder(self.db.conn, self.coder_id)

    def blind(self) -> bool:
        return blind_mode(self.db.conn)

    def blind_text(self) -> str:
        if not self.blind():
            return "Blind coding is off: you see every coder's codes and notes."
        changed = blind_mode_changed(self.db.conn)
        since = f" (since {changed['by']} turned it on)" if changed and changed.get("on") else ""
        return f"Blind coding is on{since}: you see only your own codes and notes."

    def codes(self) -> list[Code]:
        """The codebook's codes, parents before children."""
        with store_errors("Reading the codebook"):
            return list_codes(self.db.conn)

    def state(self, post_id: str) -> PostCoding:
        conn = self.db.conn
        row = conn.execute(
            "SELECT p.kind, a.handle, p.created_at, p.text FROM posts AS p "
            "LEFT JOIN authors AS a ON a.id = p.author_id WHERE p.id = ?",
            (post_id,),
        ).fetchone()
        if row is None:
            return PostCoding(post_id, False, "This post is not in the project.")
        kind, handle, created_at, text = row
        if kind == "placeholder":
            return PostCoding(
                post_id,
                False,
                "Not collected: the archive only refers to this post.",
                heading=f"{post_id} (not collected)",
            )
        parts = (isolate(f"@{handle}") if handle else "", when(created_at), isolate(first_words(text or "")))
        heading = " · ".join(part for part in parts if part)
        mine = [c for c in post_codings(conn, post_id, self.coder_id) if c.coder_id == self.coder_id]
        statuses = visible_statuses(conn, post_id, self.coder_id)
        name = self.coder.name
        memos = memos_for(conn, MemoTarget.POST, post_id, self.coder_id)
        return PostCoding(
            post_id,
            True,
            heading=heading,
            applied=frozenset(c.code_id for c in mine if c.span is None),
            spans=sum(1 for c in mine if c.span is not None),
            status=statuses.get(name, PostStatus.NOT_CODED),
            others={coder: status for coder, status in statuses.items() if coder != name},
            memo=next((m for m in memos if m.coder_id == self.coder_id), None),
            other_memos=tuple(m for m in memos if m.coder_id != self.coder_id),
        )

    def choose(self, post_id: str, code: Code) -> ActionResult:
        """What pressing a code means: a value of a variable is chosen (or unchosen), any other code toggles."""
        if variable_of(self.db.conn, code) is None:
            return toggle_code(self.db, post_id, code.id, self.coder_id)
        if code.id in self.state(post_id).applied:
            return remove_code(self.db, post_id, code.id, self.coder_id)
        return apply_code(self.db, post_id, code.id, self.coder_id)

    def mark_done(self, post_id: str) -> ActionResult:
        return complete_post(self.db, post_id, self.coder_id)

    def no_code_applies(self, post_id: str) -> ActionResult:
        return mark_no_code_applies(self.db, post_id, self.coder_id)

    def reopen(self, post_id: str) -> ActionResult:
        return reopen_post(self.db, post_id, self.coder_id)

    def save_memo(self, post_id: str, text: str) -> bool:
        """Write, change or (when emptied) delete the coder's memo on the post; False when nothing changed."""
        current = self.state(post_id).memo
        text = text.strip()
        if current is None:
            if not text:
                return False
            add_memo(self.db, self.coder_id, MemoTarget.POST, post_id, text)
            return True
        if text == current.text:
            return False
        if not text:
            return delete_memo(self.db, self.coder_id, current.id).changed
        return edit_memo(self.db, self.coder_id, current.id, text).changed

    def undo(self) -> ActionResult:
        return undo(self.db, self.coder_id)

    def redo(self) -> ActionResult:
        return redo(self.db, self.coder_id)

    def undo_labels(self) -> tuple[str | None, str | None]:
        """What Undo and Redo would act on, in words, or None when there is nothing."""
        entries = undo_history(self.db.conn, self.coder_id, limit=1000)
        undo_next = next((e.label for e in entries if not e.undone), None)
        redo_next = next((e.label for e in reversed(entries) if e.undone), None)
        return self._readable(undo_next), self._readable(redo_next)

    def _readable(self, label: str | None) -> str | None:
        """A label with each post id it names put as a person reads it: ``@ana “Me too. It took…”``.

        Labels are stored with ids (the CLI's ``codings undo`` and the audit trail keep them); a menu saying
        "Undo mark twitter:2026316884514046126 done" tells a coder nothing.
        """
        if label is None:
            return None
        words = label.split(" ")
        for position, word in enumerate(words):
            if ":" in word and (phrase := self._post_phrase(word.strip("'\""))) is not None:
                words[position] = phrase
        return " ".join(words)

    def _post_phrase(self, post_id: str) -> str | None:
        row = self.db.conn.execute(
            "SELECT a.handle, p.text FROM posts AS p LEFT JOIN authors AS a ON a.id = p.author_id WHERE p.id = ?",
            (post_id,),
        ).fetchone()
        if row is None:
            return None
        handle, text = row
        quoted = f"“{first_words(text or '', 30)}”"
        return f"{isolate('@' + handle)} {isolate(quoted)}" if handle else isolate(quoted)
