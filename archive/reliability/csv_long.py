"""Reading the long reliability CSV (unit_id, coder_id, variable, value) as a stream, with line-exact errors."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from archive.reliability.data import CellConflict, LongTableBuilder, ReliabilityData
from archive.reliability.errors import ReliabilityInputError
from archive.reliability.metrics import Level

COLUMNS = ("unit_id", "coder_id", "variable", "value")
NUMERIC_MISSING = ("NA",)
"""Read as missing at the numeric levels unless other tokens are chosen: R's write.csv writes NA there."""


def missing_tokens(level: Level | None, chosen: Collection[str] | None = None) -> frozenset[str]:
    """The values read as missing besides blank: those chosen, else NA at a numeric level, else none.

    At the nominal level "NA" may be a real category, so it stays one unless chosen (the report warns).
    """
    if chosen is not None:
        return frozenset(token.strip() for token in chosen if token.strip())
    return frozenset(NUMERIC_MISSING) if level not in (None, "nominal") else frozenset()


class LongCsvRow(NamedTuple):
    """One coded cell; ``value`` is None when blank (missing: not coded, which is not "absent")."""

    unit_id: str
    coder_id: str
    variable: str
    value: str | None
    line: int


def read_long_csv(path: Path, missing: Collection[str] = ()) -> Iterator[LongCsvRow]:
    """The rows of a long CSV, one at a time; UTF-8 with or without a BOM, extra columns ignored.

    A blank value, or one of the ``missing`` tokens (compared after stripping), is None: not coded.

    Raises ReliabilityInputError naming the file and line for a missing column, a short row, an
    empty id, or text that is not UTF-8. Ids and values are stripped of surrounding spaces.
    """
    try:
        with path.open("rb") as stream:
            reader = csv.reader(_utf8_lines(stream, path))
            positions = _positions(path, next(reader, None))
            needed = max(positions) + 1
            line = reader.line_num + 1
            try:
                for record in reader:
                    if len(record) >= needed:
                        unit, coder, variable, value = (record[i].strip() for i in positions)
                        if unit and coder and variable:
                            shown = None if not value or value in missing else value
                            yield LongCsvRow(unit, coder, variable, shown, line)
                        elif any(field.strip() for field in record):
                            _empty_field(path, line, unit, coder)
                    elif any(field.strip() for field in record):
                        raise ReliabilityInputError(
                            f"{path}, line {line}: expected at least {needed} fields ({', '.join(COLUMNS)}), "
                            f"found {len(record)}"
                        )
                    line = reader.line_num + 1
            except csv.Error as exc:
                raise ReliabilityInputError(f"{path}, line {line}: not valid CSV ({exc})") from None
    except OSError as exc:
        raise ReliabilityInputError(f"{path}: cannot read the file ({exc.strerror or exc})") from None


def _utf8_lines(stream: BinaryIO, path: Path) -> Iterator[str]:
    # Decoding line by line (UTF-8 never puts a newline byte inside a character) is what lets a
    # decoding error name its line; a text-mode file would fail on a whole buffered chunk.
    for number, raw in enumerate(stream, start=1):
        start = len(codecs.BOM_UTF8) if number == 1 and raw.startswith(codecs.BOM_UTF8) else 0
        try:
            yield raw[start:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ReliabilityInputError(
                f"{path}, line {number}: expected UTF-8 text ({exc.reason} at byte {exc.start + 1} of the line)"
            ) from None


def _positions(path: Path, header: list[str] | None) -> tuple[int, int, int, int]:
    if header is None:
        raise ReliabilityInputError(f"{path}: the file is empty; expected a header {','.join(COLUMNS)}")
    names = [name.strip().lower() for name in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise ReliabilityInputError(
            f"{path}, line 1: expected a header with the columns {', '.join(COLUMNS)}; missing: {', '.join(missing)}"
        )
    unit, coder, variable, value = (names.index(column) for column in COLUMNS)
    return unit, coder, variable, value


def _empty_field(path: Path, line: int, unit: str, coder: str) -> None:
    column = "unit_id" if not unit else "coder_id" if not coder else "variable"
    raise ReliabilityInputError(f"{path}, line {line}: expected a {column}, found an empty field")


def load_long_csv(
    path: Path, *, level: Level | None = None, missing: Collection[str] | None = None
) -> dict[str, ReliabilityData]:
    """One table per variable from a long CSV; a cell given two different values is an error.

    ``level`` decides what "one value" means (numbers by value at a numeric level, so "2" then "2.0" for
    a cell is harmless) and the default ``missing`` tokens (see ``missing_tokens``).
    """
    tokens = missing_tokens(level, missing)
    builder = LongTableBuilder(numeric_identity=level not in (None, "nominal"))
    for row in read_long_csv(path, tokens):
        try:
            builder.add(row.unit_id, row.coder_id, row.variable, row.value)
        except CellConflict as conflict:
            earlier = _first_line(path, conflict, tokens)
            where = f"line {earlier}" if earlier else "an earlier row"
            raise ReliabilityInputError(f"{path}, line {row.line}: {conflict.describe(where)}") from None
    return builder.build()


def _first_line(path: Path, conflict: CellConflict, missing: Collection[str]) -> int | None:
    # Only on error: read the file again to name the line the first value came from, rather than
    # keeping a line number for every cell of a large file.
    key = (conflict.unit, conflict.coder, conflict.variable)
    for row in read_long_csv(path, missing):
        if (row.unit_id, row.coder_id, row.variable) == key:
            return row.line
    return None
