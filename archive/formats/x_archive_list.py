"""The items of an X archive part (``window.YTD.<kind>.partN = [ ... ]``), streamed with the line each starts on."""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import BinaryIO

import ijson

from archive.formats.common import excerpt
from archive.importing import limits
from archive.importing.limits import size_text
from archive.importing.records import DAMAGE_LOCATOR, ImportIssue
from archive.importing.sources import UTF8_BOM, Source, damaged_after
from archive.importing.streams import DAMAGED_STREAM_ERRORS

READ_PIECE = 1 << 20  # bytes handed to the parser at most at once, so a minified file stays bounded
# In the archive's own layout every item of the list opens on a line of its own, indented by two spaces;
# after a broken item, parsing resumes at the next such line.
ITEM_OPENER = re.compile(rb"^ {0,2}\{\s*$")
# ijson's messages (C backend, then pure-Python backend) for text after the list and for a cut-off file.
TRAILING_ERRORS = ("trailing garbage", "Additional data")
CUT_OFF_ERRORS = ("premature EOF", "Incomplete JSON")
# A JSON string (escapes included), and the rest of one that began in an earlier piece.
_STRING = re.compile(rb'"(?:[^"\\\n]|\\.)*"')
_STRING_END = re.compile(rb'(?:[^"\\\n]|\\.)*"')
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
_OPENERS = frozenset(b"[{")


@dataclass(frozen=True, slots=True)
class YtdItem:
    """One element of an archive part's list, where it starts, and its position in the list."""

    index: int
    line: int
    value: object


def ytd_items(source: Source) -> Iterator[YtdItem | ImportIssue]:
    """The list items of an archive part, streamed (never evaluated as JavaScript).

    A compressed part cut off or damaged part-way keeps the items before the damage and ends with an
    issue that says why the rest is missing.
    """
    with source.open() as stream:
        parser = _ListParser(stream)
        try:
            yield from parser.items()
        except DAMAGED_STREAM_ERRORS as exc:
            yield ImportIssue(parser.line, damaged_after(source, parser.line, exc), DAMAGE_LOCATOR)


class _ListParser:
    """Feeds an archive part to ijson line by line, so each item can be given the line it starts on."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.line = 1  # the line the current piece belongs to
        self.index = 0  # the list position of the next item
        self.start: int | None = None  # the line the item being parsed began on
        # Bounds on the item being read, which ijson holds whole until it is complete and whose memory grows
        # with its depth: its size, and the opening brackets in it (a bound on its depth that costs two counts
        # a line). Past that bound, the item's pieces so far are measured exactly (strings left out).
        self.held: list[bytes] = []
        self.nesting: _Nesting | None = None
        self.base_depth = 0  # the depth an item starts at: 0 before the list opens, 1 inside it

    def items(self) -> Iterator[YtdItem | ImportIssue]:
        piece: bytes | None = self._after_prefix()
        opening = b""
        while piece is not None:
            piece = yield from self._parse(opening + piece)
            opening = b"["  # resuming after a broken item: the rest reads as a list of its own

    def _after_prefix(self) -> bytes | None:
        piece = self._next_piece().removeprefix(UTF8_BOM)
        while piece:
            at = piece.find(b"[")
            if at >= 0:
                return piece[at:]
            piece = self._advance(piece)
        return None

    def _parse(self, piece: bytes) -> Generator[YtdItem | ImportIssue, None, bytes | None]:
        """Parse until the end (returns None) or a syntax error (returns the piece to resume from)."""
        done: list[object] = ijson.sendable_list()
        parser = ijson.items_coro(done, "item", use_float=True)
        send, readline = parser.send, self.stream.readline  # the hot loop: one pass per line of the file
        self._new_item(base_depth=0)  # a fresh parser starts outside the list
        held, max_depth, max_bytes = self.held, limits.MAX_JSON_DEPTH, limits.MAX_LINE_BYTES
        opens = size = 0  # of the item being read (locals: this loop runs once per line of the file)
        try:
            while piece:
                if self.start is None and b"{" in piece:
                    self.start = self.line
                size += len(piece)
                opens += piece.count(b"{") + piece.count(b"[")
                if opens <= max_depth and size <= max_bytes:
                    held.append(piece)
                elif too_big := self._too_big(piece, size):
                    # Checked before ijson sees the piece: its memory grows with an item's depth and size.
                    return (yield from self._lost_item(piece, too_big))
                send(piece)
                if done:
                    yield from self._completed(done, piece)
                    opens = size = 0
                if piece.endswith(b"\n"):
                    self.line += 1
                piece = readline(READ_PIECE)
            parser.close()
        except ijson.JSONError as exc:
            if done:
                yield from self._completed(done, piece)
            return (yield from self._broken(str(exc).split("\n", 1)[0], piece))
        except UnicodeDecodeError as exc:
            # A string with bytes that are not UTF-8: that item is lost, the next ones are read.
            detail = f"byte 0x{exc.object[exc.start]:02x}: {exc.reason}"
            return (yield from self._lost_item(piece, f"is not valid UTF-8 text ({detail})"))
        return None

    def _too_big(self, piece: bytes, size: int) -> str:
        """Why the item being read must be given up (nested too deep, too large), or ''."""
        if size > limits.MAX_LINE_BYTES:
            return f"is larger than {size_text(limits.MAX_LINE_BYTES)}, more than any archive item"
        if self.nesting is None:  # past the cheap bound for the first time: measure the item from its start
            self.nesting = _Nesting(self.base_depth)
            pieces = [*self.held, piece]
            self.held.clear()
        else:
            pieces = [piece]
        if max(self.nesting.feed(each) for each in pieces) > limits.MAX_JSON_DEPTH:
            return f"is nested deeper than {limits.MAX_JSON_DEPTH} levels, more than any archive item"
        return ""

    def _new_item(self, base_depth: int) -> None:
        self.held.clear()  # the same list: the parsing loop holds it
        self.nesting, self.base_depth = None, base_depth

    def _completed(self, done: list[object], piece: bytes) -> Iterator[YtdItem]:
        for value in done:
            yield YtdItem(self.index, self.start or self.line, value)
            self.index += 1
            self.start = None
        self._new_item(base_depth=1)
        if piece.rstrip().endswith(b"{"):  # "}, {": the next item opens on the same line
            self.start = self.line
        done.clear()

    def _broken(self, message: str, piece: bytes) -> Generator[ImportIssue, None, bytes | None]:
        locator = f"[{self.index}]"
        if any(words in message for words in TRAILING_ERRORS):
            rest = piece[piece.rfind(b"]") + 1 :] + self.stream.read(READ_PIECE)
            if rest.strip(b" \t\r\n;"):
                yield ImportIssue(self.line, "expected nothing after the end of the list", excerpt=excerpt(rest))
            return None
        if any(words in message for words in CUT_OFF_ERRORS):
            if self.start is None:
                yield ImportIssue(self.line, "the file ends before the list is closed with ']'")
            else:
                yield ImportIssue(self.start, f"item {locator} is cut off: the file ends inside it", locator)
            return None
        opens_item = ITEM_OPENER.match(piece) is not None
        if opens_item and self.start == self.line:
            # The list broke between two items (a missing comma): the item that opens here is whole.
            self.start = None
            yield ImportIssue(self.line, f"not valid JSON before item {locator} ({message})", locator)
            return piece
        return (yield from self._lost_item(piece, f"is not valid JSON ({message})", resume_here=opens_item))

    def _lost_item(
        self, piece: bytes, problem: str, *, resume_here: bool = False
    ) -> Generator[ImportIssue, None, bytes | None]:
        """Report the item being read as lost and find the next item to resume at (None: nothing left)."""
        locator = f"[{self.index}]"
        line, self.start = self.start or self.line, None
        resume = piece if resume_here else self._skip_to_next_item(piece)
        where = f"resumed at line {self.line}" if resume else "nothing after it could be read"
        yield ImportIssue(line, f"item {locator} {problem}; {where}", locator, excerpt(piece))
        self.index += 1
        return resume

    def _skip_to_next_item(self, piece: bytes) -> bytes | None:
        piece = self._advance(piece)
        while piece and not ITEM_OPENER.match(piece):
            piece = self._advance(piece)
        return piece or None

    def _advance(self, piece: bytes) -> bytes:
        if piece.endswith(b"\n"):
            self.line += 1
        return self._next_piece()

    def _next_piece(self) -> bytes:
        return self.stream.readline(READ_PIECE)


class _Nesting:
    """How deep the brackets of an archive part go, piece by piece, with the brackets inside strings left out."""

    def __init__(self, depth: int) -> None:
        self.depth = depth
        self.in_string = False  # a piece cut at READ_PIECE can end inside a string

    def feed(self, piece: bytes) -> int:
        """The deepest level ``piece`` reaches, exact when it passes the limit (else possibly less)."""
        if self.in_string:
            end = _STRING_END.match(piece)
            if end is None:
                return self.depth
            piece, self.in_string = piece[end.end() :], False
        brackets = piece.translate(None, _NOT_BRACKETS)
        if not brackets:  # most lines of the archive's own layout: the depth does not change
            if b'"' in piece and not piece.endswith(b"\n"):
                self._note_open_string(piece)
            return self.depth
        if b'"' in piece:
            piece = _STRING.sub(b"", piece)
            quote = piece.find(b'"')
            if quote >= 0:  # a string that goes on in the next piece
                piece, self.in_string = piece[:quote], True
            brackets = piece.translate(None, _NOT_BRACKETS)
        opens = brackets.count(b"[") + brackets.count(b"{")
        if self.depth + opens <= limits.MAX_JSON_DEPTH:  # cannot pass the limit: no need to walk
            self.depth += 2 * opens - len(brackets)
            return self.depth
        deepest = self.depth
        for bracket in brackets:
            self.depth += 1 if bracket in _OPENERS else -1
            deepest = max(deepest, self.depth)
        return deepest

    def _note_open_string(self, piece: bytes) -> None:
        self.in_string = _STRING.sub(b"", piece).find(b'"') >= 0
