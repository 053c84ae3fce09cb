"""CSV inputs as streamed rows: encoding and delimiter sniffing, BOM, CRLF, multi-line quoted cells."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from archive.errors import SourceReadError
from archive.formats import ReadOptions
from archive.formats.common import excerpt
from archive.importing import limits
from archive.importing.limits import size_text
from archive.importing.lines import pass_blank_lines, pass_over_line
from archive.importing.records import DAMAGE_LOCATOR, ImportIssue
from archive.importing.sources import UTF8_BOM, Source, damaged_after
from archive.importing.streams import DAMAGED_STREAM_ERRORS

DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
SNIFF_LINES = 20
SNIFF_BYTES = 64 * 1024
SKIP_PIECE = 1 << 20  # how much of an over-long line is held at once while it is passed over

Row = tuple[int, dict[str, str]]


@dataclass(frozen=True, slots=True)
class CsvDialect:
    """How a CSV file is written: its text encoding and its cell delimiter."""

    encoding: str
    delimiter: str


class CsvTable:
    """One CSV input: its sniffed dialect and header; ``rows()`` streams the records after the header."""

    def __init__(self, source: Source, options: ReadOptions) -> None:
        self.source = source
        head = _read_head(source)
        encoding = _checked_encoding(source, options.csv_encoding) or sniff_encoding(head)
        sample = _sample_lines(head, encoding)
        delimiter = _checked_delimiter(source, options.csv_delimiter) or sniff_delimiter(sample)
        self.dialect = CsvDialect(encoding, delimiter)
        self.header = _header(sample, delimiter)

    def rows(self) -> Iterator[Row | ImportIssue]:
        """Each record as (line where it starts, {header name: cell}); bad records become issues.

        Memory is bounded by the longest record: the file is read line by line, and a line that
        is not valid in the encoding costs that line (bytes replaced by U+FFFD), not the file.
        """
        _set_field_limit()
        with self.source.open() as stream:
            lines = _DecodedLines(stream, self.dialect.encoding)
            reader = csv.reader(lines, delimiter=self.dialect.delimiter)
            consumed = 0
            header_pending = True  # the first non-blank record is the header, already read when sniffing
            while True:
                start = consumed + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield ImportIssue(start, f"not readable as CSV ({exc})")
                    cells = []
                except DAMAGED_STREAM_ERRORS as exc:  # a cut-off .csv.gz: keep the rows before the damage
                    yield ImportIssue(start, damaged_after(self.source, consumed, exc), DAMAGE_LOCATOR)
                    return
                consumed = lines.number  # the csv module does not know of the blank lines passed over
                yield from lines.take_issues()
                quotes = lines.take_quotes()
                if cells and header_pending:
                    header_pending = False
                elif cells:
                    yield self._record(start, consumed, cells, quotes)

    def _record(self, start: int, end: int, cells: list[str], quotes: int) -> Row | ImportIssue:
        shown = excerpt(self.dialect.delimiter.join(cells))
        # A well-formed record has an even number of quote marks; an odd number over several lines
        # means a cell's opening quote was never closed and later lines were swallowed into it.
        if end > start and quotes % 2:
            reason = (
                f"a quoted cell that starts in this row is never closed, so lines {start} to {end} "
                "were read as one row; they are skipped (close the quote and import again)"
            )
            return ImportIssue(start, reason, excerpt=shown)
        if len(cells) == len(self.header):
            return start, dict(zip(self.header, cells, strict=True))
        span = f" (the row runs from line {start} to {end})" if end > start else ""
        delimiter = DELIMITER_NAMES.get(self.dialect.delimiter, repr(self.dialect.delimiter))
        reason = (
            f"expected {len(self.header)} cells as in the header, found {len(cells)}{span}; "
            f"the delimiter is {delimiter}"
        )
        return ImportIssue(start, reason, excerpt=shown)


def sniff_encoding(head: bytes) -> str:
    """UTF-16 when it has a BOM, UTF-8 (BOM or not) when the start decodes as UTF-8, else cp1252.

    cp1252 is the fallback because a CSV that is not UTF-8 was almost always saved by Excel on
    Windows in a Western European locale.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        # A head cut inside a multi-byte character is not an error: final only when it is the whole file.
        decoder.decode(head, final=len(head) < SNIFF_BYTES)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def sniff_delimiter(lines: list[str]) -> str:
    """The candidate (, ; tab) that splits the header widest and the most rows to the header's width."""
    best, best_score = ",", (-1, -1)
    _set_field_limit()
    for delimiter in DELIMITERS:
        try:
            rows = [row for row in csv.reader(lines, delimiter=delimiter) if row]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        score = (sum(len(row) == width for row in rows[1:]), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _set_field_limit() -> None:
    # twarc-csv cells (context annotations, author entities) exceed the module's 128 KiB default; a cell
    # may take as much as a line may, and no more (a quote never closed would otherwise swallow the file).
    csv.field_size_limit(limits.MAX_LINE_BYTES)


def _read_head(source: Source) -> bytes:
    return source.head(SNIFF_BYTES)  # what a damaged stream gives before the damage; rows() reports it


def _checked_encoding(source: Source, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise SourceReadError(f"{source.name}: unknown text encoding {encoding!r}") from exc
    return encoding


def _checked_delimiter(source: Source, delimiter: str | None) -> str | None:
    if not delimiter:
        return None
    # The tab is hard to type in a text field; accept its usual spellings.
    delimiter = "\t" if delimiter.lower() in ("tab", "\\t") else delimiter
    if len(delimiter) != 1:
        raise SourceReadError(f"{source.name}: the CSV delimiter must be one character, not {delimiter!r}")
    return delimiter


def _sample_lines(head: bytes, encoding: str) -> list[str]:
    """The first lines of the head (line ends kept, as the csv module wants), without a BOM."""
    cut = len(head) >= SNIFF_BYTES
    if _is_byte_compatible(encoding):  # a UTF-8 BOM is dropped whatever encoding the user chose
        head = head.removeprefix(UTF8_BOM)
    text = head.decode(encoding, errors="replace").removeprefix("\ufeff")
    pieces = text.split("\n")
    complete = [piece + "\n" for piece in pieces[:-1]]
    # The last piece has no line end: the end of the file, or a line cut by the head's size limit.
    if not cut or not complete:
        complete.append(pieces[-1])
    return [line for line in complete if line][:SNIFF_LINES]


def _header(sample: list[str], delimiter: str) -> list[str]:
    """Column names, stripped, with repeats made unique (``name``, ``name_2``) so no column is lost."""
    try:
        first = next((row for row in csv.reader(sample, delimiter=delimiter) if row), [])
    except csv.Error:
        first = []
    names: list[str] = []
    for raw in first:
        name = raw.strip()
        unique, count = name, 1
        while unique in names:
            count += 1
            unique = f"{name}_{count}"
        names.append(unique)
    return names


def _is_byte_compatible(encoding: str) -> bool:
    """Whether ``\\n`` is one byte that never occurs inside a character (UTF-8, cp1252, latin-1...)."""
    return not codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))


class _DecodedLines:
    """A file's lines as text for the csv module, one at a time.

    Counts quote marks per record and remembers the lines that were not valid in the encoding,
    so that one bad byte costs one line and an unclosed quote is noticed.
    """

    def __init__(self, stream: BinaryIO, encoding: str) -> None:
        self._stream = stream
        self._encoding = encoding
        # UTF-16 (Excel's "Unicode text") cannot be split on bytes; its codec reads its own BOM.
        self._text = (
            None
            if _is_byte_compatible(encoding)
            else io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
        )
        self._number = 0
        self._bad_lines: list[int] = []
        self._too_long: list[tuple[int, int]] = []  # line, its size in bytes (or characters, for UTF-16)
        self._quotes = 0

    def __iter__(self) -> _DecodedLines:
        return self

    @property
    def number(self) -> int:
        """Lines read so far, the blank lines passed over included."""
        return self._number

    def __next__(self) -> str:
        line = self._next_line()
        self._number += 1
        self._quotes += line.count('"')
        if line in ("\n", "\r\n") and self._quotes % 2 == 0 and self._text is None:
            # Between records a run of blank lines is nothing; pass it a buffer at a time (inside a quoted
            # cell, where the quote count is odd, blank lines are the cell's text and are kept).
            self._number += pass_blank_lines(self._stream)
        return line

    def _next_line(self) -> str:
        limit = limits.MAX_LINE_BYTES
        if self._text is not None:
            text = self._text.readline(limit + 1)
            if not text:
                raise StopIteration
            if len(text) > limit and not text.endswith("\n"):
                self._too_long.append((self._number + 1, len(text) + _pass_over_text_line(self._text)))
                return "\n"
            return text
        raw = self._stream.readline(limit + 1)
        if not raw:
            raise StopIteration
        if len(raw) > limit and not raw.endswith(b"\n"):
            # Kept out of memory: passed over a piece at a time, reported, and read as an empty line.
            self._too_long.append((self._number + 1, len(raw) + pass_over_line(self._stream)))
            return "\n"
        if self._number == 0:
            raw = raw.removeprefix(UTF8_BOM)
        try:
            return raw.decode(self._encoding)
        except UnicodeDecodeError:
            self._bad_lines.append(self._number + 1)
            return raw.decode(self._encoding, errors="replace")

    def take_issues(self) -> list[ImportIssue]:
        """Issues for the lines that were not valid text since the last call."""
        issues = [
            ImportIssue(
                number,
                f"not valid {self._encoding} text; the undecodable bytes were replaced by \ufffd "
                "(choose the file's encoding if it is another one)",
            )
            for number in self._bad_lines
        ]
        self._bad_lines.clear()
        limit = size_text(limits.MAX_LINE_BYTES)
        for number, size in self._too_long:
            reason = f"the line is longer than {limit} ({size:,} bytes), more than any archive record; it is skipped"
            issues.append(ImportIssue(number, reason))
        self._too_long.clear()
        return issues

    def take_quotes(self) -> int:
        """Quote marks read since the last call."""
        quotes, self._quotes = self._quotes, 0
        return quotes


def _pass_over_text_line(stream: io.TextIOWrapper) -> int:
    """The rest of an over-long UTF-16 line, read a piece at a time; how many characters it had."""
    size = 0
    while piece := stream.readline(SKIP_PIECE):
        size += len(piece)
        if piece.endswith("\n"):
            break
    return size
