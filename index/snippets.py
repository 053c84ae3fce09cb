"""Highlighted snippets built from the text stored in SQLite: the window of a post with most matches.

The words are found with the same analysis the index uses, so whatever matched is what gets marked:
``running`` for a search for ``run``, ``Café`` for ``cafe``, a Japanese pair inside a longer run.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.analysis import WORD, spans
from index.query import Highlight

SNIPPET_WIDTH = 200  # characters; a whole tweet is at most 280
_CONTEXT = 30  # characters shown before the first mark when the text must be cut
_ELLIPSIS = "…"
_ONE_LINE = str.maketrans("\r\n\t", "   ")


@dataclass(frozen=True, slots=True)
class Snippet:
    """A piece of a post's text and the character ranges in it that matched the query."""

    text: str
    marks: tuple[tuple[int, int], ...]

    def render(self, before: str = "<mark>", after: str = "</mark>") -> str:
        """The text with each match wrapped in ``before`` and ``after``."""
        pieces: list[str] = []
        at = 0
        for start, end in self.marks:
            pieces += [self.text[at:start], before, self.text[start:end], after]
            at = end
        pieces.append(self.text[at:])
        return "".join(pieces)


def make_snippet(text: str, highlight: Highlight, width: int = SNIPPET_WIDTH) -> Snippet:
    """The best window of ``text`` (at most ``width`` characters plus ellipses) with its matches marked."""
    flat = text.translate(_ONE_LINE)  # same length: offsets stay valid
    if flat.isascii():  # the common case, without building spans
        found = [(m.start(), m.end()) for m in WORD.finditer(flat) if highlight.marks(m.group().lower())]
    else:
        found = [(span.start, span.end) for span in spans(flat, for_index=False) if highlight.marks(span.term)]
    marks = _merge(found)
    if len(flat) <= width:
        return Snippet(flat, tuple(marks))
    start = _best_start(marks, width, len(flat))
    start = _word_start(flat, start)
    end = min(len(flat), start + width)
    end = _word_end(flat, end)
    prefix = _ELLIPSIS if start > 0 else ""
    suffix = _ELLIPSIS if end < len(flat) else ""
    shift = len(prefix) - start
    inside = tuple((a + shift, b + shift) for a, b in marks if a >= start and b <= end)
    return Snippet(prefix + flat[start:end] + suffix, inside)


def _merge(marks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping marks (character pairs of Chinese and Japanese) joined into one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(marks):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _best_start(marks: list[tuple[int, int]], width: int, length: int) -> int:
    """Where to start the window so that it holds the most marks (the first such window)."""
    if not marks:
        return 0
    best, best_count = 0, -1
    for first, _ in marks:
        start = max(0, min(first - _CONTEXT, length - width))
        count = sum(1 for a, b in marks if a >= start and b <= start + width)
        if count > best_count:
            best, best_count = start, count
    return best


def _word_start(text: str, start: int) -> int:
    """Move a cut forward to the next word start, so that no word is shown cut."""
    if start <= 0:
        return 0
    limit = min(len(text), start + 15)
    for i in range(start, limit):
        if text[i - 1] == " ":
            return i
    return start


def _word_end(text: str, end: int) -> int:
    """Move a cut back to the end of the last whole word."""
    if end >= len(text):
        return len(text)
    for i in range(end, max(0, end - 15), -1):
        if text[i] == " ":
            return i
    return end
