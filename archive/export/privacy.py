"""Pseudonymising authors and mentions for sharing a dataset: the same person gets the same pseudonym.

A pseudonym is ``user_`` and the first 12 hex digits of HMAC-SHA256(project salt, lower-cased handle), so
an author and the mentions of that author agree, within one export and across exports of one project,
while nobody without the salt can test a guess. The salt is drawn once per project and stored in it
(``meta``: ``export.pseudonym_salt``); another project gives other pseudonyms. Mentions are replaced in the
texts too (``@handle`` and ``twitter.com/handle`` / ``x.com/handle`` links). Pseudonyms are not anonymity:
post ids and texts still let someone with access to the platform find the author.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
from collections.abc import Callable

from sqlite_utils import Database

from archive.export.errors import ExportError
from archive.store.settings import get_setting, set_setting

SALT_KEY = "export.pseudonym_salt"
_MENTION = re.compile(r"(?<![\w@])@(\w+)")
_PROFILE_LINK = re.compile(r"(?i)(https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/)(\w+)")
_NOT_A_HANDLE = frozenset({"i", "hashtag", "search", "home", "intent", "share", "explore", "settings"})

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


class Pseudonyms:
    """Consistent pseudonyms for handles, and texts and links with every mention replaced."""

    def __init__(self, salt: str) -> None:
        self._key = salt.encode()
        self._known: dict[str, str] = {}

    def handle(self, handle: str) -> str:
        """The pseudonym of an account handle (without '@'); case does not matter, as on the platforms."""
        folded = handle.lower()
        found = self._known.get(folded)
        if found is None:
            digest = hmac.new(self._key, folded.encode(), hashlib.sha256).hexdigest()
            found = self._known[folded] = f"user_{digest[:12]}"
        return found

    def text(self, text: str) -> str:
        """The text with every @mention and profile link replaced by its pseudonym."""
        return self.text_with_positions(text)[0]

    def url(self, url: str) -> str:
        """A link with the handle in it (twitter.com/handle/status/...) replaced."""
        return _PROFILE_LINK.sub(self._link, url)

    def text_with_positions(self, text: str) -> tuple[str, Remap]:
        """The replaced text and a function moving character positions (span codings) along with it."""
        pieces: list[str] = []
        changes: list[tuple[int, int, int]] = []  # (start, end, new length) in the original text
        last = 0
        for match in sorted([*_MENTION.finditer(text), *_PROFILE_LINK.finditer(text)], key=lambda m: m.start()):
            if match.start() < last:
                continue  # a mention inside a link already replaced
            new = self._mention(match) if match.re is _MENTION else self._link(match)
            pieces += [text[last : match.start()], new]
            changes.append((match.start(), match.end(), len(new)))
            last = match.end()
        pieces.append(text[last:])
        return "".join(pieces), _remapper(changes)

    def _mention(self, match: re.Match[str]) -> str:
        return "@" + self.handle(match.group(1))

    def _link(self, match: re.Match[str]) -> str:
        name = match.group(2)
        return match.group(0) if name.lower() in _NOT_A_HANDLE else match.group(1) + self.handle(name)


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
