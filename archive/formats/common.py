"""Helpers shared by the readers: JSON lines, X timestamps and text, issues with excerpts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import orjson

from archive.importing.lines import iter_lines
from archive.importing.records import ImportIssue
from archive.importing.sources import Source

EXCERPT_CHARS = 200
ORJSON_MAX_DEPTH = 1024  # orjson refuses to parse deeper, which bounds a JSON line's nesting
TWITTER_EPOCH_MS = 1288834974657
_V1_TIME_FORMAT = "%a %b %d %H:%M:%S %z %Y"
_V2_UTC = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?Z\Z")


def excerpt(data: bytes | str) -> str:
    """The start of a bad record, short enough to show in a report."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    return text[:EXCERPT_CHARS] + ("…" if len(text) > EXCERPT_CHARS else "")


def json_lines(source: Source) -> Iterator[tuple[int, dict[str, object]] | ImportIssue]:
    """Each JSON object of a JSON Lines input with its line number; bad lines become issues."""
    for entry in iter_lines(source):
        if isinstance(entry, ImportIssue):
            yield entry
            continue
        number, line = entry
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield ImportIssue(number, _json_error(line, exc), excerpt=excerpt(line))
            continue
        if not isinstance(obj, dict):
            yield ImportIssue(number, f"expected a JSON object, found {type(obj).__name__}", excerpt=excerpt(line))
            continue
        yield number, obj


def json_text(obj: object) -> str | None:
    """An object as JSON text, or None when it is nested deeper than orjson writes (254 levels)."""
    try:
        return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:  # the depth limit (parsing gave only JSON types, which orjson writes)
        return None


def json_excerpt(obj: object) -> str:
    """The start of an object as JSON, for an issue's excerpt; an object nested too deep to write is named so."""
    text = json_text(obj)
    return "(nested too deep to show)" if text is None else excerpt(text)


def _json_error(line: bytes, error: orjson.JSONDecodeError) -> str:
    """Why a line is not JSON, in words that point at the likely cause."""
    if "depth limit" in str(error) or "recursion" in str(error):
        return f"nested deeper than {ORJSON_MAX_DEPTH} levels, more than any archive record ({error})"
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"not valid UTF-8 text (byte 0x{line[exc.start]:02x} at {exc.start + 1}: {exc.reason})"
    return f"not valid JSON ({error}); the line may be cut off"


def unescape_x(text: str) -> str:
    """Undo X's HTML escaping, which is exactly ``&amp; &lt; &gt;`` (never ``html.unescape``)."""
    if "&" not in text:
        return text
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def iso_utc(moment: datetime) -> str:
    """A timestamp as the store keeps it: UTC, second resolution, ``YYYY-MM-DDTHH:MM:SSZ``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_v2_time(value: str) -> str:
    """``2021-09-22T16:37:29.000Z`` (X API v2, ISO-8601) to the store's UTC form."""
    # The common case needs no datetime round trip (a third of import time); days after the 28th
    # still go through datetime, which rejects dates such as 2017-02-30.
    if value[8:10] <= "28" and _V2_UTC.match(value):
        return value[:19] + "Z"
    return iso_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))


def parse_v1_time(value: str) -> str:
    """``Wed Apr 11 01:25:19 +0000 2018`` (X API v1.1 and archives) to the store's UTC form."""
    return iso_utc(datetime.strptime(value, _V1_TIME_FORMAT))


def snowflake_time(native_id: str) -> str | None:
    """The creation time encoded in an X snowflake id (ids after late 2010), or None."""
    if not native_id.isdigit():
        return None
    millis = (int(native_id) >> 22) + TWITTER_EPOCH_MS
    if int(native_id) < 1 << 32:  # pre-snowflake sequential ids carry no time
        return None
    return iso_utc(datetime.fromtimestamp(millis / 1000, tz=UTC))
