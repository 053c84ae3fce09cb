"""Text written by others, isolated for display, so a right-to-left name never scrambles the line around it.

A handle, a display name or a post's text can be in Persian, Arabic or Hebrew. Set in one line with dates
and dots ("@amirabbas 19:16 · امیرعباس · reply"), the bidirectional algorithm reorders the neighbours
too, and the date is read backwards. Unicode's isolates (FSI … PDI) make each such piece a unit of its
own direction that leaves the rest of the line alone.
"""

from __future__ import annotations

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def isolate(text: str) -> str:
    """``text`` wrapped so its direction cannot reach the text around it (empty text stays empty)."""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}" if text else ""


def when(created_at: str | None) -> str:
    """A stored UTC time as the app shows it: ``2017-10-16 07:52 UTC``, or ``no date``."""
    return created_at.replace("T", " ").removesuffix("Z")[:16] + " UTC" if created_at else "no date"


def first_words(text: str, limit: int = 60) -> str:
    """The start of a post's text on one line, cut at a word with an ellipsis when longer than ``limit``."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] or line[:limit]
    return cut + "…"


def without_isolates(text: str) -> str:
    """``text`` with the isolates taken out again (for copying to the clipboard, and for tests that read it)."""
    return text.replace(FIRST_STRONG_ISOLATE, "").replace(POP_DIRECTIONAL_ISOLATE, "")
