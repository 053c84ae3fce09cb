"""The items of an X archive part (``window.YTD.<kind>.partN = [ ... ]``), streamed with the line each starts on."""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import BinaryIO

import ijson

from archive.formats.common import excerpt
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
        try:
            while piece:
                if self.start is None and b"{" in piece:
                    self.start = self.line
                send(piece)
                if done:
                    yield from self._completed(done, piece)
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
            return (yield from self._broken(f"byte 0x{exc.object[exc.start]:02x}: {exc.reason}", piece, "UTF-8 text"))
        return None

    def _completed(self, done: list[object], piece: bytes) -> Iterator[YtdItem]:
        for value in done:
            yield YtdItem(self.index, self.start or self.line, value)
            self.index += 1
            self.start = None
        if piece.rstrip().endswith(b"{"):  # "}, {": the next item opens on the same line
            self.start = self.line
        done.clear()

    def _broken(self, message: str, piece: bytes, valid: str = "JSON") -> Generator[ImportIssue, None, bytes | None]:
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
        line, self.start = self.start or self.line, None
        resume = piece if opens_item else self._skip_to_next_item(piece)
        where = f"resumed at line {self.line}" if resume else "nothing after it could be read"
        yield ImportIssue(line, f"item {locator} is not valid {valid} ({message}); {where}", locator, excerpt(piece))
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
