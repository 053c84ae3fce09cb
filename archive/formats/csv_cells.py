"""Reading typed values out of CSV cells: exact ids, dates, integers, JSON lists and entity lists."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import orjson

from archive.formats.common import excerpt, iso_utc, parse_v1_time
from archive.importing.records import ImportIssue

# What Excel (and pandas) write for a long number: 1.46583E+18, 1,46583E+18 in European locales.
SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
DECIMAL_ZERO = re.compile(r"^(\d+)\.0+$")
# Floats hold every integer up to 2**53 exactly; tweet ids (about 1.4e18) are far above it.
MAX_EXACT_FLOAT = 2**53
EPOCH = re.compile(r"^\d{9,14}(?:\.\d+)?$")  # 9+ digits: 1973 onwards, so a bare year is never an epoch
EPOCH_MS_ABOVE = 10**11  # 1e11 seconds is the year 5138: larger values are milliseconds
V1_TIME = re.compile(r"^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} [+-]\d{4} \d{4}$")
SPACED_OFFSET = re.compile(r"\s+([+-]\d{2}:?\d{2})$")
UTC_SUFFIXES = (" UTC", " GMT", " Z")
OTHER_TIME_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
)
LIST_SEPARATORS = re.compile(r"[\s,]+")


class CellError(ValueError):
    """A cell whose value cannot be used; the message says what was expected."""


def exact_id(value: str, *, numeric: bool) -> str:
    """An id cell as exact text; refuses ids that a spreadsheet turned into rounded numbers.

    ``1465832308913717252.0`` is accepted as ``1465832308913717252`` only when the number is small
    enough to have survived as a float; ``numeric`` ids (X) must be digits.
    """
    text = value.strip()
    if SCIENTIFIC.match(text):
        raise CellError(
            f"the id {text!r} was rounded to a few digits, as Excel does with long numbers; "
            "the exact id is lost: re-export the file without opening it in Excel, "
            "or format the id column as text"
        )
    decimal = DECIMAL_ZERO.match(text)
    if decimal:
        if int(decimal.group(1)) > MAX_EXACT_FLOAT:
            raise CellError(f"the id {text!r} was written as a decimal number and may have been rounded")
        text = decimal.group(1)
    if numeric and not text.isdigit():
        raise CellError(f"expected a numeric id, found {text!r}")
    return text


def parse_csv_time(value: str) -> str:
    """A CSV date in any common form, as the store's UTC ``YYYY-MM-DDTHH:MM:SSZ``.

    Accepts ISO-8601 (``2021-11-30T23:57:10.000Z``, ``2021-11-30 23:57:10+01:00``), X API v1.1
    (``Tue Nov 30 23:57:10 +0000 2021``), epoch seconds or milliseconds, ``YYYY/MM/DD HH:MM[:SS]``
    and ``DD.MM.YYYY HH:MM[:SS]``. A time without a zone is taken as UTC, which is what collection
    tools write; a local time saved without its zone cannot be told apart. Raises ValueError.
    """
    text = value.strip()
    if EPOCH.match(text):
        number = float(text)
        seconds = number / 1000 if number >= EPOCH_MS_ABOVE else number
        return iso_utc(datetime.fromtimestamp(seconds, tz=UTC))
    if V1_TIME.match(text):
        return parse_v1_time(text)
    for suffix in UTC_SUFFIXES:
        if text.endswith(suffix):
            text = text.removesuffix(suffix) + "+00:00"
    text = SPACED_OFFSET.sub(r"\1", text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = _other_formats(text)
    return iso_utc(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _other_formats(text: str) -> datetime:
    for pattern in OTHER_TIME_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise ValueError(f"not a date form we read: {text!r}")


def parse_int(value: str) -> int | None:
    """A count cell (``12``, or ``12.0`` as pandas writes counts of columns with gaps), or None."""
    text = value.strip()
    if text.isdigit():
        return int(text)
    decimal = DECIMAL_ZERO.match(text)
    return int(decimal.group(1)) if decimal else None


def json_cell(value: str) -> object:
    """The JSON value of a cell that holds a JSON list or object (twarc-csv), or None."""
    text = value.strip()
    if not text.startswith(("[", "{")):
        return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None


def list_items(value: str) -> list[object]:
    """The items of a list cell: a JSON list, or values separated by spaces or commas."""
    parsed = json_cell(value)
    if isinstance(parsed, list):
        return parsed
    return [item for item in LIST_SEPARATORS.split(value.strip()) if item]


def entity_values(value: str, keys: tuple[str, ...], prefix: str = "") -> list[str]:
    """Entity strings from a list cell, without ``prefix``.

    Items may be plain strings (``#brexit``, twarc-csv 0.7) or objects (``{"tag": "brexit"}``,
    older twarc-csv), whose first present key among ``keys`` gives the value.
    """
    values: list[str] = []
    for item in list_items(value):
        found = item if isinstance(item, str) else _first_text(item, keys)
        if found and found.removeprefix(prefix):
            values.append(found.removeprefix(prefix))
    return values


def _first_text(item: object, keys: tuple[str, ...]) -> str | None:
    if not isinstance(item, dict):
        return None
    for key in keys:
        found = item.get(key)
        if isinstance(found, str) and found:
            return found
    return None


def looks_cut(text: str) -> bool:
    """An unmerged retweet text (``RT @user: ...``) that the platform cut with an ellipsis."""
    return text.startswith("RT @") and text.rstrip().endswith("…")


class RowCells:
    """One CSV row's cells read as typed values; problems become issues for its line, never errors."""

    def __init__(self, line: int, cells: dict[str, str], *, numeric_ids: bool) -> None:
        self.line = line
        self.cells = cells
        self.numeric_ids = numeric_ids
        self.issues: list[ImportIssue] = []

    def text(self, column: str | None) -> str | None:
        """The cell as written, or None when the column is absent or the cell empty."""
        value = self.cells.get(column, "") if column else ""
        return value if value.strip() else None

    def id(self, column: str | None) -> str | None:
        value = self.text(column)
        return None if value is None else self.checked_id(column, value)

    def checked_id(self, column: str | None, value: str) -> str | None:
        """``value`` (from ``column``, maybe one item of a list cell) as an exact id, or None and an issue."""
        try:
            return exact_id(value, numeric=self.numeric_ids)
        except CellError as exc:
            self.issue(column, str(exc), value)
            return None

    def time(self, column: str | None) -> str | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            return parse_csv_time(value)
        except ValueError:
            self.issue(column, f"expected a date, found {value.strip()!r}; the post is kept without a date", value)
            return None

    def integer(self, column: str) -> int | None:
        value = self.text(column)
        return parse_int(value) if value else None

    def issue(self, column: str | None, reason: str, value: str) -> None:
        self.issues.append(ImportIssue(self.line, f"column '{column}': {reason}", excerpt=excerpt(value)))
