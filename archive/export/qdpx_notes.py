"""Memos in the ``.qdpx``: each one a REFI-QDA ``Note``, referenced by a ``NoteRef`` from what it is about."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable

from archive.coding.memos import Memo, MemoTarget, list_memos
from archive.export.privacy import Pseudonyms
from archive.export.qdpx_xml import Guids, when, xml_attr, xml_text

MEMO_TARGETS = "SELECT target_id FROM memos WHERE target_kind IN ('post', 'thread')"
"""The posts a post or thread memo (on the thread's root) is about: coding work like codings and completion."""


class Notes:
    """The project's memos as Notes (text inline, the coder and times) and who refers to each.

    A post memo is referenced from its post's ``TextSource`` and a thread memo from its root's; a code memo from
    the ``Code`` (a retired code is not in the codebook: its memo stays a note of its own, named after it); a
    project memo from the ``Project``. A post or thread memo whose post is not exported is left out, and counted.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        exported: Callable[[str], bool],
        guids: Guids,
        pseudonyms: Pseudonyms | None,
    ) -> None:
        self._guids, self._pseudonyms = guids, pseudonyms
        self.memos: list[Memo] = []
        self.left_out = 0
        self.sources: defaultdict[str, list[str]] = defaultdict(list)  # post id -> note guids
        self.codes: defaultdict[str, list[str]] = defaultdict(list)  # code guid as stored -> note guids
        self.project: list[str] = []
        for memo in list_memos(conn, None):  # the project's view: every coder's memos, as for codings
            if memo.target in (MemoTarget.POST, MemoTarget.THREAD) and not exported(memo.target_id):
                self.left_out += 1
                continue
            self.memos.append(memo)
            guid = self.guid(memo)
            if memo.target in (MemoTarget.POST, MemoTarget.THREAD):
                self.sources[memo.target_id].append(guid)
            elif memo.target is MemoTarget.CODE:
                self.codes[memo.target_id.strip("{} ").lower()].append(guid)
            else:
                self.project.append(guid)

    def guid(self, memo: Memo) -> str:
        return self._guids.of("memo", memo.id)

    def code_refs(self, stored_guid: str) -> str:
        """The NoteRefs a code carries (after its description, before its sub-codes)."""
        return refs(self.codes.get(stored_guid.strip("{} ").lower(), []))

    def element(self) -> str:
        """The ``Notes`` element, or nothing when no memo goes to the file."""
        if not self.memos:
            return ""
        return "<Notes>" + "".join(self._note(memo) for memo in self.memos) + "</Notes>\n"

    def _note(self, memo: Memo) -> str:
        text = memo.text if self._pseudonyms is None else self._pseudonyms.text(memo.text)
        user = self._guids.coder(memo.coder)
        about = "the project" if memo.target is MemoTarget.PROJECT else f"{memo.target.value} {memo.about}"
        # Only its author edits a memo, so the modifying user is the creating one.
        return (
            f'<Note guid="{self.guid(memo)}" name={xml_attr(f"Memo by {memo.coder} on {about}")} '
            f'creatingUser="{user}"{when(memo.created_at, "creationDateTime")} '
            f'modifyingUser="{user}"{when(memo.updated_at, "modifiedDateTime")}>'
            f"<PlainTextContent>{xml_text(text)}</PlainTextContent></Note>"
        )


def refs(guids: list[str]) -> str:
    return "".join(f'<NoteRef targetGUID="{guid}"/>' for guid in guids)
