"""Pseudonyms for sharing a dataset: salted, the same for one person however written, in every export."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from collections.abc import Callable

from sqlite_utils import Database

from archive.export.errors import ExportError
from archive.export.identities import Known, find
from archive.store.settings import get_setting, set_setting

SALT_KEY = "export.pseudonym_salt"

Remap = Callable[[int, bool], int]
"""``remap(position, is_end)``: a character position in the original text -> the same place in the new one."""


def pseudonym_salt(conn: sqlite3.Connection) -> str:
    """The project's salt; an ExportError when the project has none yet (it is made on a writable open)."""
    salt = get_setting(conn, SALT_KEY)
    if salt is None:
        raise ExportError("this project has no pseudonym salt yet; open it for writing once to create one")
    return salt


def ensure_pseudonym_salt(db: Database) -> str:
    """The project's salt, drawn and stored now if it has none."""
    with db.atomic():
        salt = get_setting(db.conn, SALT_KEY)
        if salt is None:
            salt = secrets.token_hex(32)
            set_setting(db.conn, SALT_KEY, salt)
    return salt


def project_pseudonyms(conn: sqlite3.Connection) -> Pseudonyms:
    """The project's pseudonymiser, knowing every account of the project (so bare handles and ids are found)."""
    known = Known()
    for handle, native_id in conn.execute("SELECT handle, native_id FROM authors"):
        known.add_account(handle, native_id)
    for (handle,) in conn.execute("SELECT DISTINCT handle FROM post_mentions"):
        known.add_handle(handle)
    return Pseudonyms(pseudonym_salt(conn), known)


class Pseudonyms:
    """Consistent pseudonyms for handles, and texts and links with every account in them replaced.

    A pseudonym is ``user_`` and the first 12 hex digits of HMAC-SHA256(project salt, lower-cased handle), so
    an author and the mentions of that author agree, within one export and across exports of one project,
    while nobody without the salt can test a guess. The salt is drawn once per project and stored in it
    (``meta``: ``export.pseudonym_salt``); another project gives other pseudonyms. Which forms of a handle,
    link or account id are found: ``archive.export.identities.find``. Pseudonyms are not anonymity: post ids
    and texts still let someone with access to the platform find the author (docs/export.md, "Privacy").

    Without ``known`` (the project's accounts) only mentions and links are recognised: a handle written
    bare can only be found when it is known.
    """

    def __init__(self, salt: str, known: Known | None = None) -> None:
        self._key = salt.encode()
        self._known: dict[str, str] = {}
        self._accounts = known or Known()

    def handle(self, handle: str) -> str:
        """The pseudonym of an account handle (without '@'); case does not matter, as on the platforms."""
        folded = handle.lower()
        found = self._known.get(folded)
        if found is None:
            digest = hmac.new(self._key, folded.encode(), hashlib.sha256).hexdigest()
            found = self._known[folded] = f"user_{digest[:12]}"
        return found

    def author(self, handle: str | None, native_id: str | None) -> str | None:
        """The pseudonym of a post's author: by handle, or by account id when there is none."""
        name = handle or native_id
        return None if name is None else self.handle(name)

    def text(self, text: str) -> str:
        """The text with every account named in it replaced by its pseudonym."""
        return self.text_with_positions(text)[0]

    def url(self, url: str) -> str:
        """A link with every account in it (twitter.com/handle/status/..., ?user_id=...) replaced."""
        return self.text(url)

    def optional(self, text: str | None) -> str | None:
        """``text`` for a cell that may be empty."""
        return None if text is None else self.text(text)

    def text_with_positions(self, text: str) -> tuple[str, Remap]:
        """The replaced text and a function moving character positions (span codings) along with it."""
        pieces: list[str] = []
        changes: list[tuple[int, int, int]] = []  # (start, end, new length) in the original text
        last = 0
        for start, end, key in find(text, self._accounts):
            new = self.handle(key)
            pieces += [text[last:start], new]
            changes.append((start, end, len(new)))
            last = end
        pieces.append(text[last:])
        return "".join(pieces), _remapper(changes)


def _remapper(changes: list[tuple[int, int, int]]) -> Remap:
    def remap(position: int, is_end: bool) -> int:
        shift = 0
        for start, end, length in changes:
            if position <= start:
                break
            if position >= end:
                shift += length - (end - start)
                continue
            # Inside a replaced mention: a span boundary moves to the start or end of the pseudonym.
            return start + shift + (length if is_end else 0)
        return position + shift

    return remap
