"""Text analysis shared by indexing, querying and highlighting: Unicode words, case and accent folding.

One function, ``spans``, turns text into index terms with their positions and character offsets, so the
index, the query parser and the snippet highlighter always agree on what a word is:

- a word is a run of letters, digits, underscores and combining marks (Tamil and Devanagari vowel signs
  are marks; Python's ``\\w`` alone would cut such words apart), joiners included (Persian ZWNJ);
- folding is NFKC (full-width letters, ligatures), case folding, then removal of the accents of Latin and
  Greek letters and of Arabic vowel marks, with the Arabic and Persian forms of yeh and kaf unified;
- scripts written without spaces (Chinese, Japanese) and Korean, whose words carry attached particles, are
  indexed as overlapping character pairs, so any run of two or more characters can be found as a phrase;
- there is no stemming in the index: plain query words are widened at query time to the index's words with
  the same Porter2 stem (see ``index.terms``), and quoted words stay exact.
"""

from __future__ import annotations

import re
import sys
import unicodedata
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from whoosh.analysis import Token, Tokenizer
from whoosh.lang.porter2 import stem as porter2_stem


def _mark_ranges() -> str:
    """The combining marks (Mn, Mc, Me) of the Basic Multilingual Plane as regex ranges, but emoji selectors.

    Only the BMP: a character class that reaches past it makes ``re`` test ranges one by one, which made
    tokenizing four times slower; marks of the scripts beyond it (Brahmi and other historic scripts) are rare.
    """
    ranges: list[str] = []
    start = previous = -2
    for code in range(0x10000):
        if 0xFE00 <= code <= 0xFE0F or unicodedata.category(chr(code)) not in ("Mn", "Mc", "Me"):
            continue
        if code != previous + 1:
            if start >= 0:
                ranges.append(_range(start, previous))
            start = code
        previous = code
    ranges.append(_range(start, previous))
    return "".join(ranges)


def _range(first: int, last: int) -> str:
    return f"\\u{first:04x}" if first == last else f"\\u{first:04x}-\\u{last:04x}"


# Zero-width joiners and the soft hyphen sit inside words (Persian writes ZWNJ mid-word); folding drops them.
_JOINERS = "\u200b\u200c\u200d\u2060\u00ad"
WORD = re.compile(f"[\\w{_mark_ranges()}{_JOINERS}]+")
# Scripts indexed as character pairs: Hangul, Hiragana, Katakana, CJK ideographs (and compatibility forms).
_PAIRED = (
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
    "\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff\uff66-\uffdc\U00020000-\U0003134f"
)
_PAIRED_RUN = re.compile(f"([{_PAIRED}]+)|([^{_PAIRED}]+)")
_HAS_PAIRED = re.compile(f"[{_PAIRED}]")
_STEMMABLE = re.compile(r"[a-z]{3,}")


def _fold_table() -> dict[int, str | None]:
    """What folding replaces or removes, beyond NFKC and case folding."""
    table: dict[int, str | None] = {}
    for code in [*range(0x00C0, 0x0250), *range(0x0370, 0x0400), *range(0x1E00, 0x2000)]:
        char = chr(code)
        bare = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        if bare and bare != char:
            table[code] = bare
    for first, last in (
        (0x0300, 0x036F),
        (0x1AB0, 0x1AFF),
        (0x1DC0, 0x1DFF),
        (0x20D0, 0x20FF),
        (0xFE20, 0xFE2F),
        (0x064B, 0x065F),
        (0x06D6, 0x06ED),
    ):
        table.update(dict.fromkeys(range(first, last + 1)))
    table.update(dict.fromkeys(map(ord, _JOINERS + "\u0640\u0670")))  # joiners, tatweel, superscript alef
    table.update({ord(k): v for k, v in _LETTERS.items()})
    table.update({0x0660 + d: str(d) for d in range(10)} | {0x06F0 + d: str(d) for d in range(10)})
    return table


# Letters that are variants of one letter for searching: Latin ligatures and strokes, Arabic/Persian forms.
_LETTERS = {
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
_FOLD = _fold_table()


@lru_cache(maxsize=65536)
def _fold_other(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold().translate(_FOLD)


def fold(word: str) -> str:
    """The searchable form of one word: case and accents folded (``Café`` -> ``cafe``)."""
    if word.isascii():
        return word.lower()
    return _fold_other(word)


class Span(NamedTuple):
    """One index term found in a text: its folded form, position and where it sits in the text."""

    term: str
    position: int
    start: int
    end: int


def spans(text: str, *, for_index: bool = True) -> Iterator[Span]:
    """The terms of ``text`` in order, with positions and character offsets.

    A run of paired-script characters gives its overlapping pairs; for the index (``for_index``) the run's
    last character is added too, at the last pair's position, so that a one-character query can find it.
    """
    position = 0
    for match in WORD.finditer(text):
        word = match.group()
        if word.isascii() or not _HAS_PAIRED.search(word):
            term = fold(word)
            if term:
                yield Span(term, position, match.start(), match.end())
                position += 1
            continue
        offset = match.start()
        for part in _PAIRED_RUN.finditer(word):
            start, end = offset + part.start(), offset + part.end()
            if part.group(2) is not None:
                term = fold(part.group(2))
                if term:
                    yield Span(term, position, start, end)
                    position += 1
                continue
            run = fold(part.group(1))
            yield from _pairs(run, position, start, end, for_index)
            position += max(1, len(run) - 1)


def _pairs(run: str, position: int, start: int, end: int, for_index: bool) -> Iterator[Span]:
    if len(run) == 1:
        yield Span(run, position, start, end)
        return
    # NFKC composes decomposed Hangul and half-width kana; then offsets cannot be mapped per character,
    # and each pair points at the whole run.
    exact = len(run) == end - start
    for i in range(len(run) - 1):
        yield Span(run[i : i + 2], position + i, start + i if exact else start, start + i + 2 if exact else end)
    if for_index:
        yield Span(run[-1], position + len(run) - 2, end - 1 if exact else start, end)


def terms(text: str) -> list[str]:
    """The query terms of ``text``: what a phrase in a query must match, in order."""
    return [span.term for span in spans(text, for_index=False)]


def word_sequence(text: str) -> bytes:
    """The text's terms in order as 32-bit hashes, packed little-endian: what a phrase is checked against.

    One term per position, as a query sees them (``terms``), so the words of a phrase are neighbours here
    exactly when their positions follow each other.
    """
    return packed(plain_terms(text) or terms(text))


def packed(words: Iterable[str]) -> bytes:
    """The hashes of ``words`` side by side, as ``word_sequence`` stores them: a needle to look for there."""
    return pack_hashes(map(term_hash, words))


def plain_terms(text: str) -> list[str] | None:
    """The terms of a text without paired scripts, quickly (one regular expression, no offsets); None for
    a text with Chinese, Japanese or Korean, whose pairs need ``terms``. The same for index and query."""
    if _HAS_PAIRED.search(text):
        return None
    return [term for term in map(fold, WORD.findall(text)) if term]


def pack_hashes(hashes: Iterator[int] | Sequence[int]) -> bytes:
    """Term hashes as the bytes of a little-endian array of unsigned 32-bit numbers."""
    packed = array("I", hashes)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


@lru_cache(maxsize=262_144)
def term_hash(term: str) -> int:
    """A stable 32-bit hash of a term (Python's own ``hash`` changes from one process to the next)."""
    return zlib.crc32(term.encode("utf-8"))


def has_sequence(sequence: bytes, needle: bytes) -> bool:
    """Whether the packed hashes ``needle`` occur in ``sequence`` at a term boundary (4-byte aligned)."""
    at = sequence.find(needle)
    while at >= 0:
        if at % 4 == 0:
            return True
        at = sequence.find(needle, at + 1)
    return False


def matches_at_term(sequences: bytes | memoryview, start: int, end: int, pattern: re.Pattern[bytes]) -> bool:
    """Whether ``pattern`` (alternatives of packed hashes) matches the sequence ``sequences[start:end]`` at a
    term boundary, 4-byte aligned from ``start``: one regular expression for several needles at once."""
    match = pattern.search(sequences, start, end)
    while match is not None and (match.start() - start) % 4:  # bytes that straddle two terms
        match = pattern.search(sequences, match.start() + 1, end)
    return match is not None


def is_paired(term: str) -> bool:
    """Whether a term comes from a script indexed as character pairs."""
    return _HAS_PAIRED.search(term) is not None


def in_sequences(term: str) -> bool:
    """Whether every post with the index term ``term`` has it in its word sequence: all terms but the
    single characters of paired scripts, which the index adds alone (each run's last character)."""
    return len(term) > 1 or not is_paired(term)


@lru_cache(maxsize=100_000)
def stem(term: str) -> str | None:
    """The Porter2 stem of a folded Latin-letter word, or None when the word is not one to stem."""
    if _STEMMABLE.fullmatch(term) is None:
        return None
    return str(porter2_stem(term))


class FoldingTokenizer(Tokenizer):  # type: ignore[misc]
    """Whoosh's view of ``spans``: the tokenizer of the index's text fields (pickled in the schema)."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,  # noqa: ARG002 (part of the interface; our text is always tokenized)
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not chars and not keeporiginal and not _HAS_PAIRED.search(value):
            # The common case while indexing, kept lean: no offsets, no character pairs.
            position = start_pos
            for word in WORD.findall(value):
                term = fold(word)
                if term:
                    token.text = term
                    token.boost = 1.0
                    token.stopped = False
                    token.pos = position
                    position += 1
                    yield token
            return
        for span in spans(value, for_index=mode != "query"):
            token.text = span.term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[span.start : span.end]
            if positions:
                token.pos = start_pos + span.position
            if chars:
                token.startchar = start_char + span.start
                token.endchar = start_char + span.end
            yield token
