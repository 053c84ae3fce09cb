"""Read the demo's conversations, written in an indented notation, into drafts of posts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

HEADER = re.compile(
    r"^(?P<indent> *)@(?P<handle>\w+) (?P<when>\d{4}-\d\d-\d\d \d\d:\d\d|\+\d+[mhd]?)"
    r"(?P<opts>(?: \w+(?:=\w+)?)*)$"
)
# A line that starts like a header but did not match one is almost always a typo in a header (a stray
# character in a key, say); read as text it would silently join the post above.
NEAR_HEADER = re.compile(r"^ *@\w+ (?:\d{4}-|\+)")
OPTIONS = {"key", "lang", "media", "quote", "deleted"}
UNITS = {"m": "minutes", "h": "hours", "d": "days"}
INDENT = 4


class NotationError(ValueError):
    """A conversation file that cannot be read; the message names the file and line."""


@dataclass
class Draft:
    """One post as written, then completed by the builder with its id, tweet object and counts."""

    handle: str
    when: datetime
    body: str
    parent: Draft | None
    key: str = ""
    lang: str = "en"
    media: str = ""
    quote: str = ""
    deleted: bool = False
    retweet_of: Draft | None = None
    tweet: dict[str, Any] = field(default_factory=dict)
    replies: int = 0
    retweets: int = 0
    quotes: int = 0
    where: str = ""  # file:line of the header, for error messages about this post

    @property
    def root(self) -> Draft:
        return self.parent.root if self.parent else self


def parse(text: str, origin: str = "<text>") -> list[Draft]:
    """Read conversations into drafts, parents before their replies and in the order written.

    A header line (``@handle time options``) at the left margin starts a conversation; one indented by four
    spaces per level answers the nearest post one level up. The lines after a header are its text. The
    notation is described in full at the top of ``resources/demo/source/conversations.txt``.
    """
    drafts: list[Draft] = []
    stack: list[Draft] = []  # the open post at each depth
    lines: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        where = f"{origin}:{number}"
        if _is_comment_or_blank(line):
            continue
        header = HEADER.match(line)
        if not header:
            if NEAR_HEADER.match(line):
                raise NotationError(f"{where}: looks like a post header but is not one: {line.strip()}")
            if not drafts:
                raise NotationError(f"{where}: text before the first post header")
            lines.append(line.strip())
            continue
        _finish(drafts, lines)
        draft = _draft(header, stack, where)
        stack.append(draft)
        drafts.append(draft)
    _finish(drafts, lines)
    return drafts


def _is_comment_or_blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped == "#" or stripped.startswith("# ")


def _draft(header: re.Match[str], stack: list[Draft], where: str) -> Draft:
    """A draft from a header line; trims ``stack`` to the new post's parent."""
    indent = len(header["indent"])
    depth = indent // INDENT
    if indent % INDENT or depth > len(stack):
        raise NotationError(f"{where}: a reply is indented {INDENT} spaces more than the post it answers")
    parent = stack[depth - 1] if depth else None
    del stack[depth:]
    draft = Draft(header["handle"], _when(header["when"], parent, where), "", parent, where=where)
    for option in header["opts"].split():
        name, _, value = option.partition("=")
        if name not in OPTIONS:
            raise NotationError(f"{where}: unknown option {name} (known: {', '.join(sorted(OPTIONS))})")
        if name == "deleted":
            draft.deleted = True
        else:
            setattr(draft, name, value)
    return draft


def _finish(drafts: list[Draft], lines: list[str]) -> None:
    """Give the last draft the text lines read since its header."""
    if drafts:
        drafts[-1].body = " ".join(lines).replace(" // ", "\n\n").strip()
    lines.clear()


def _when(text: str, parent: Draft | None, where: str) -> datetime:
    if not text.startswith("+"):
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    if parent is None:
        raise NotationError(f"{where}: only a reply can give its time relative to its parent ({text})")
    unit = text[-1] if text[-1] in UNITS else "m"
    amount = int(text[1:].rstrip("".join(UNITS)))
    return parent.when + timedelta(**{UNITS[unit]: amount})
