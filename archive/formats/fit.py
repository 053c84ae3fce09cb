"""Whether an input's first records fit a format the user chose, checked before anything is written.

Detection picks a format only when the file's first records have its shape; a format the user forces
(``--format``, or the import dialog's format column) skips that, and a reader then turns whatever it is
given into posts or errors: a Zeeschuimer capture read as flattened tweets gave a hundred posts with no
text, author or date. So a chosen format is checked against the first records (at most ``FIT_RECORDS``
of them, or ``FIT_BYTES``) and refused, with what they look like and what the format expects.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import orjson

from archive.errors import ThreadcoderError
from archive.formats import FORMATS, ReadOptions
from archive.formats.csv_dialect import CsvTable
from archive.formats.csv_generic import resolve_mapping
from archive.formats.csv_twarc import JSON2CSV_COLUMNS
from archive.formats.shapes import FORMAT_SHAPES, describe, shape_of
from archive.formats.sniff import X_ARCHIVE_PART, X_ARCHIVE_POST_PARTS
from archive.formats.x_archive_list import ytd_items
from archive.importing import limits
from archive.importing.lines import iter_lines
from archive.importing.records import ImportIssue
from archive.importing.sources import Source
from archive.importing.streams import DAMAGED_STREAM_ERRORS

FIT_RECORDS = 20
FIT_BYTES = 1 << 20
EXPECTS = {
    "twarc2": "one X API v2 response page or tweet per line (JSON Lines)",
    "twarc2-flat": "one X API v2 tweet or response page per line (JSON Lines)",
    "v2-tweets": "one X API v2 tweet or response page per line (JSON Lines)",
    "v1.1": "one X API v1.1 tweet or stream notice per line (JSON Lines)",
    "x-archive": 'an X archive part: window.YTD.tweets.part0 = [ {"tweet": {...}}, ... ]',
    "twarc-csv": "a CSV file with twarc-csv's columns (at least id and text)",
    "csv": "a CSV file with a header row and columns for the id and the text (a column mapping)",
}


class FormatMismatchError(ThreadcoderError):
    """The format chosen for an input does not fit its first records; nothing of it was imported."""


@dataclass(slots=True)
class _Sample:
    """How the first records of an input compare with a format."""

    unit: str  # what a record is called: "lines", "items"
    fitting: int = 0
    other: int = 0  # records that parse but have another shape
    unreadable: int = 0  # records that do not even parse
    first_misfit: str = ""  # "line 3 is JSON with keys [...]"

    def miss(self, where: str, parsed: bool) -> None:
        if parsed:
            self.other += 1
        else:
            self.unreadable += 1
        self.first_misfit = self.first_misfit or where

    @property
    def fits(self) -> bool:
        # Unreadable records alone are damage, which the reader records line by line; records of another
        # shape outnumbering those of this one mean the file is something else.
        return self.fitting > 0 and self.fitting >= self.other


def check_format(source: Source, format_name: str, options: ReadOptions | None = None) -> str | None:
    """None when ``source``'s first records fit ``format_name``; else why not, naming the file."""
    info = FORMATS.get(format_name)
    if info is None:
        return f"unknown format '{format_name}'; choose one of: {', '.join(FORMATS)}"
    try:
        if format_name in FORMAT_SHAPES:
            sample = _json_lines_sample(source, format_name)
        elif format_name == "x-archive":
            sample = _x_archive_sample(source)
        else:
            return _csv_misfit(source, format_name, options or ReadOptions())
    except (ThreadcoderError, *DAMAGED_STREAM_ERRORS) as error:
        return f"{source.name}: cannot be read to check it against the format chosen, {info.label} ({error})"
    if sample.fits:
        return None
    seen = sample.fitting + sample.other + sample.unreadable
    if seen == 0:
        what = sample.first_misfit or f"it holds no {sample.unit}"
    else:
        what = f"{seen - sample.fitting} of its first {seen} {sample.unit} do not fit ({sample.first_misfit})"
    return (
        f"{source.name}: does not fit the format chosen, {info.label}: {what}; that format reads "
        f"{EXPECTS[format_name]}. Nothing was imported from it"
    )


def require_format(source: Source, format_name: str, options: ReadOptions | None = None) -> None:
    """Raise FormatMismatchError unless ``source`` fits ``format_name`` (see ``check_format``)."""
    reason = check_format(source, format_name, options)
    if reason is not None:
        raise FormatMismatchError(reason)


def _json_lines_sample(source: Source, format_name: str) -> _Sample:
    wanted = FORMAT_SHAPES[format_name]
    sample = _Sample("lines")
    for entry in _first_records(source):
        if isinstance(entry, ImportIssue):
            sample.miss(f"line {entry.line}: {entry.reason}", parsed=False)
            continue
        number, line = entry
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError:
            sample.miss(f"line {number} is not JSON", parsed=False)
            continue
        if shape_of(obj) in wanted:
            sample.fitting += 1
        else:
            sample.miss(f"line {number} is {describe(obj)}", parsed=True)
    return sample


def _first_records(source: Source) -> Iterator[tuple[int, bytes] | ImportIssue]:
    read = 0
    lines = (entry for entry in iter_lines(source) if isinstance(entry, ImportIssue) or entry[1].strip())
    for entry in islice(lines, FIT_RECORDS):
        yield entry
        read += len(entry[1]) if isinstance(entry, tuple) else limits.MAX_LINE_BYTES
        if read >= FIT_BYTES:
            return


def _x_archive_sample(source: Source) -> _Sample:
    sample = _Sample("items")
    head = source.head(4096)
    part = X_ARCHIVE_PART.match(head)
    if part is not None and part.group(1).decode() not in X_ARCHIVE_POST_PARTS:
        sample.first_misfit = f"it is the X archive part '{part.group(1).decode()}', which holds no posts"
        return sample
    if part is None and not head.lstrip().startswith(b"["):
        sample.first_misfit = f"it starts {head.lstrip()[:40].decode('utf-8', errors='replace')!r}"
        return sample
    for entry in islice(ytd_items(source), FIT_RECORDS):
        if isinstance(entry, ImportIssue):
            sample.miss(f"line {entry.line}: {entry.reason}", parsed=False)
        elif isinstance(entry.value, dict) and isinstance(entry.value.get("tweet"), dict):
            sample.fitting += 1
        else:
            sample.miss(f"item [{entry.index}] on line {entry.line} is {describe(entry.value)}", parsed=True)
    return sample


def _csv_misfit(source: Source, format_name: str, options: ReadOptions) -> str | None:
    label = FORMATS[format_name].label
    head = source.head(4096).lstrip()
    if head[:1] in (b"{", b"[") or X_ARCHIVE_PART.match(head):
        start = head[:40].decode("utf-8", errors="replace")
        return (
            f"{source.name}: does not fit the format chosen, {label}: it starts {start!r}, not with a CSV header. "
            "Nothing was imported from it"
        )
    table = CsvTable(source, options)
    columns = set(table.header)
    if format_name == "twarc-csv" and not (columns >= {"id", "text"} or columns >= JSON2CSV_COLUMNS):
        shown = ", ".join(table.header[:12])
        return (
            f"{source.name}: does not fit the format chosen, {label}: its header [{shown}] has no 'id' and "
            f"'text' columns; that format reads {EXPECTS[format_name]}. Nothing was imported from it"
        )
    if format_name == "csv":
        try:
            resolve_mapping(source, table.header, options.csv_mapping)
        except ThreadcoderError as error:
            return str(error)
    return None
