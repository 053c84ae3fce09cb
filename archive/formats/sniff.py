"""Recognise an input's format from its first bytes and lines (formats.md, section 1)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from itertools import islice

import ijson
import orjson

from archive.errors import UnknownFormatError
from archive.formats.shapes import PAGE_KEYS, Shape, shape_of
from archive.importing.lines import iter_lines
from archive.importing.records import ImportIssue
from archive.importing.sources import Source

X_ARCHIVE_PART = re.compile(rb"^\s*window\.YTD\.([A-Za-z_]+)\.part(\d+)\s*=")
X_ARCHIVE_POST_PARTS = {"tweets", "tweet", "deleted_tweets"}
# Files inside an X archive that are read together with tweets.js, or hold no posts we import by default.
X_ARCHIVE_NOTE = "read together with the archive's tweets.js, or not posts"
SNIFF_LINES = 5
TWARC_CSV_PREFIXES = ("referenced_tweets", "author.", "public_metrics.", "entities.", "__twarc.", "attachments.")

# Names of files that hold text data; binary bytes in one are damage, not another kind of file.
TEXT_DATA_SUFFIXES = tuple(
    f"{ext}{zipped}" for ext in (".jsonl", ".ndjson", ".json", ".js", ".csv", ".tsv") for zipped in ("", ".gz", ".zst")
)
COMPRESSED_MAGIC = (b"\x1f\x8b", b"\x28\xb5\x2f\xfd")
EMPTY_COMPRESSED_BYTES = 64  # a compressed empty file takes some twenty bytes
EXPECTED = (
    "expected one of: twarc2 JSONL (pages or flattened), X API v1.1 JSONL, an X archive tweets.js "
    "(or the archive's .zip), twarc-csv output, or a CSV file with a column mapping"
)


@dataclass(frozen=True, slots=True)
class Sniffed:
    """The verdict on one input: a format name, or None with a note saying why it is passed over."""

    format: str | None
    note: str = ""


class DamagedInputError(UnknownFormatError):
    """An input that looks like an archive (by its name or first bytes) but cannot be read as one: an error,
    where a photo or a README found beside the archives is only passed over."""


def sniff(source: Source) -> Sniffed:
    """Detect the format of ``source``; raise UnknownFormatError naming what was expected.

    DamagedInputError when the input looks like an archive and is damaged: compressed data that does not
    decompress, binary bytes in a file named like text data, JSON Lines of which no line parses.
    """
    head = source.head()
    if not head.strip():
        if source.stored_magic().startswith(COMPRESSED_MAGIC) and source.stored_size() > EMPTY_COMPRESSED_BYTES:
            raise DamagedInputError(
                f"{source.name}: compressed data that does not decompress (damaged or cut off near its start)"
            )
        raise UnknownFormatError(f"{source.name}: the file is empty; {EXPECTED}")
    if b"\x00" in head[:4096]:
        if source.basename.lower().endswith(TEXT_DATA_SUFFIXES):
            raise DamagedInputError(f"{source.name}: binary bytes where a {_suffix(source)} file holds text; damaged?")
        raise UnknownFormatError(f"{source.name}: this is a binary file, not an archive we read; {EXPECTED}")
    archive_part = X_ARCHIVE_PART.match(head)
    if archive_part:
        kind = archive_part.group(1).decode()
        if kind in X_ARCHIVE_POST_PARTS:
            return Sniffed("x-archive")
        return Sniffed(None, f"X archive part '{kind}': {X_ARCHIVE_NOTE}")
    if head.lstrip().startswith(b"window.__THAR_CONFIG"):
        return Sniffed(None, f"X archive manifest: {X_ARCHIVE_NOTE}")
    if head.lstrip()[:1] in (b"{", b"["):
        return _sniff_json(source)
    return _sniff_csv(source, head)


def _sniff_json(source: Source) -> Sniffed:
    first_error = ""
    for entry in islice(iter_lines(source), SNIFF_LINES):
        if isinstance(entry, ImportIssue):
            first_error = first_error or f"line {entry.line}: {entry.reason}"
            continue
        number, line = entry
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            first_error = first_error or f"line {number} is not JSON ({exc})"
            continue
        verdict = _json_line_format(obj)
        if verdict:
            return Sniffed(verdict)
        keys = ", ".join(sorted(obj)[:8]) if isinstance(obj, dict) else type(obj).__name__
        raise UnknownFormatError(
            f"{source.name}, line {number}: JSON with keys [{keys}] is not a post format we read; {EXPECTED}"
        )
    reason = first_error or "no JSON object in the first lines"
    if _broken_json(source.head()):  # not a JSON document either: JSON Lines whose lines are all damaged
        raise DamagedInputError(f"{source.name}: looks like JSON Lines, but none of its first lines is JSON ({reason})")
    raise UnknownFormatError(f"{source.name}: looks like JSON but not JSON Lines ({reason}); {EXPECTED}")


def _broken_json(head: bytes) -> bool:
    """Whether ``head`` fails as the start of one JSON document (a pretty-printed document is only cut short)."""
    try:
        for _event in ijson.basic_parse(io.BytesIO(head)):
            pass
    except ijson.JSONError as error:
        return not any(words in str(error) for words in ("premature EOF", "Incomplete JSON"))
    except UnicodeDecodeError:
        return True
    return False


def _suffix(source: Source) -> str:
    name = source.basename.lower().removesuffix(".gz").removesuffix(".zst")
    return name[name.rfind(".") :] if "." in name else "text"


def _json_line_format(obj: object) -> str | None:
    shape = shape_of(obj)
    if not isinstance(obj, dict) or shape is None:
        return None
    if shape is Shape.V2_PAGE:
        # ``{"data": [...]}`` alone is also how other APIs answer (Arctic Shift): a page must say more.
        return "twarc2" if (PAGE_KEYS | {"__twarc"}) & obj.keys() else None
    if shape is Shape.V2_TWEET:
        if isinstance(obj.get("author"), dict) or "__twarc" in obj:
            return "twarc2-flat"
        return "v2-tweets" if isinstance(obj.get("id"), str) else None
    return "v1.1" if shape is Shape.V1_NOTICE or isinstance(obj.get("user"), dict) else None


def _sniff_csv(source: Source, head: bytes) -> Sniffed:
    first_line = head.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        header = first_line.decode("utf-8")
    except UnicodeDecodeError:
        header = first_line.decode("cp1252", errors="replace")
    if not any(sep in header for sep in (",", ";", "\t")):
        raise UnknownFormatError(
            f"{source.name}, line 1: not JSON and not a CSV header (no , ; or tab separator); {EXPECTED}"
        )
    columns = {c.strip().strip('"').lower() for c in re.split(r"[,;\t]", header)}
    if "id" in columns and (_has_twarc_column(columns) or {"tweet_url", "user_screen_name"} <= columns):
        return Sniffed("twarc-csv")  # twarc-csv output, or twarc 1 json2csv
    return Sniffed("csv")


def _has_twarc_column(columns: set[str]) -> bool:
    """A dotted column only twarc-csv writes; ``conversation_id`` alone is common in researchers' own CSVs."""
    return any(c.startswith(TWARC_CSV_PREFIXES) for c in columns) or "edit_history_tweet_ids" in columns
