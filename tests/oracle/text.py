"""The oracle's own reading of text into words, written from docs/search.md, not from index/analysis.py.

Rules (docs/search.md, "Words" and "Analysis"): a word is a run of letters, digits, underscores, combining
marks and joiners; it is folded by NFKC, case folding, removal of Latin and Greek accents and Arabic vowel
marks, a few letter variants unified and joiners dropped. Chinese, Japanese and Korean runs become
overlapping character pairs; the index also holds each such run's last character (not in the word order
that phrases are matched against). These are simplified on purpose: the corpora only use words for which
the simple rule and the engine's provably agree (see ``corpora.VOCABULARY``): no marks beyond the Basic
Multilingual Plane, no half-width kana, no historic scripts, Latin/Greek accents only on letters whose
decomposition is a base letter plus marks of U+0300-U+036F.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

JOINERS = frozenset("\u200b\u200c\u200d\u2060\u00ad")
# Dropped by folding besides the joiners: the Arabic tatweel and superscript alef.
_DROPPED = JOINERS | {"\u0640", "\u0670"}
# Letters that are one letter for searching (docs: "letter variants"; Arabic/Persian yeh and kaf).
_VARIANTS = {
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ł": "l",
    "ħ": "h",
    "ı": "i",
    "þ": "th",
    "ŧ": "t",
    "ё": "е",
    "ي": "ی",
    "ى": "ی",
    "ك": "ک",
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
}
_PAIRED_NAMES = ("CJK UNIFIED IDEOGRAPH", "HIRAGANA", "KATAKANA", "HANGUL", "CJK COMPATIBILITY IDEOGRAPH")


class Word(NamedTuple):
    """One index term of a text: its folded form and its position (pairs of a run are consecutive)."""

    term: str
    position: int


@lru_cache(maxsize=4096)
def is_word_char(char: str) -> bool:
    """Letters, digits, underscore, combining marks (not emoji variation selectors) and joiners."""
    if char == "_" or char in JOINERS:
        return True
    if "\ufe00" <= char <= "\ufe0f":
        return False
    return unicodedata.category(char)[0] in "LNM"


@lru_cache(maxsize=4096)
def is_paired(char: str) -> bool:
    """Chinese, Japanese and Korean characters, searched as runs of characters."""
    return unicodedata.name(char, "").startswith(_PAIRED_NAMES)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Case, accents and letter variants folded away: what the docs promise "never matters"."""
    out = []
    for char in unicodedata.normalize("NFKC", word).casefold():
        out.append(_fold_char(char))
    return "".join(out)


def _fold_char(char: str) -> str:
    if char in _DROPPED:
        return ""
    if char in _VARIANTS:
        return _VARIANTS[char]
    if "\u064b" <= char <= "\u065f" or "\u0300" <= char <= "\u036f":  # Arabic vowel marks, Latin/Greek accents
        return ""
    if unicodedata.name(char, "").startswith(("LATIN", "GREEK")):
        return "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return char


def raw_words(text: str) -> list[str]:
    """The runs of word characters of ``text``, unfolded."""
    words, current = [], []
    for char in text:
        if is_word_char(char):
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def analyse(text: str, *, for_index: bool) -> list[Word]:
    """The terms of ``text`` with positions; ``for_index`` adds each paired run's last character."""
    found: list[Word] = []
    position = 0
    for word in raw_words(text):
        for paired, part in _script_runs(word):
            if not paired:
                term = fold(part)
                if term:
                    found.append(Word(term, position))
                    position += 1
                continue
            run = fold(part)
            if len(run) == 1:
                found.append(Word(run, position))
                position += 1
                continue
            found.extend(Word(run[i : i + 2], position + i) for i in range(len(run) - 1))
            if for_index:
                found.append(Word(run[-1], position + len(run) - 2))
            position += len(run) - 1
    return found


def _script_runs(word: str) -> list[tuple[bool, str]]:
    """A word cut where it passes between paired and other scripts."""
    runs: list[tuple[bool, str]] = []
    for char in word:
        paired = is_paired(char)
        if runs and runs[-1][0] == paired:
            runs[-1] = (paired, runs[-1][1] + char)
        else:
            runs.append((paired, char))
    return runs


def sequence(text: str) -> list[str]:
    """The text's terms in order, one per position, as phrases are matched against them."""
    return [word.term for word in analyse(text, for_index=False)]


def query_terms(text: str) -> list[str]:
    """What a query's word or phrase is made of (no last-character extras: a query asks for pairs)."""
    return sequence(text)


_STEMMABLE = re.compile(r"[a-z]{3,}")


def stemmable(term: str) -> bool:
    """Stemming is English: only words of three or more plain Latin letters are stemmed."""
    return _STEMMABLE.fullmatch(term) is not None


def glob(pattern: str) -> re.Pattern[str]:
    """``*`` any run of characters, ``?`` any one character, everything else literal."""
    parts = [".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern]
    return re.compile("".join(parts), re.DOTALL)
