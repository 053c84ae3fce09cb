"""Codebooks as files: a neutral description (CodebookSpec) read from and written to JSON, CSV and .qdc.

JSON is Threadcoder's own format (nested ``children``; the starter codebooks use it). CSV needs at least
the columns ``code, parent, description``. REFI-QDA ``.qdc`` is the exchange format of NVivo, ATLAS.ti,
MAXQDA and QualCoder (see ``codebook_qdc``). Exports cite the codebook's name and version.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.coding.codebook import Code, codebook_info, list_codes
from archive.coding.errors import CodingError
from archive.export.files import Outputs
from archive.export.safety import restore

JSON_FORMAT = "threadcoder-codebook"
CSV_COLUMNS = (
    "code",
    "parent",
    "description",
    "inclusion",
    "exclusion",
    "examples",
    "color",
    "shortcut",
    "exclusive",
    "codable",
    "retired",
    "guid",
    "codebook",
    "codebook_version",
)
_TRUE, _FALSE = {"1", "yes", "y", "true", "x"}, {"", "0", "no", "n", "false"}


@dataclass
class CodeSpec:
    """One code as a file describes it; ``parent`` is the parent's name."""

    name: str
    parent: str | None = None
    description: str = ""
    inclusion: str = ""
    exclusion: str = ""
    examples: tuple[str, ...] = ()
    color: str | None = None
    shortcut: str | None = None
    exclusive: bool = False
    codable: bool = True
    retired: bool = False
    guid: str | None = None


@dataclass
class CodebookSpec:
    """A whole codebook as a file describes it, parents listed before their sub-codes."""

    name: str = ""
    description: str = ""
    version: int | None = None
    codes: list[CodeSpec] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what reading changed or could not keep


def read_codebook(path: Path) -> CodebookSpec:
    """Read a codebook file, choosing the format by its extension (.json, .csv, .qdc or .xml)."""
    from archive.coding.codebook_qdc import read_qdc

    suffix = path.suffix.lower()
    readers: dict[str, Callable[[Path], CodebookSpec]] = {
        ".json": read_json,
        ".csv": read_csv,
        ".qdc": read_qdc,
        ".xml": read_qdc,
    }
    if suffix not in readers:
        raise CodingError(f"{path.name}: expected a codebook as .json, .csv or .qdc")
    try:
        return readers[suffix](path)
    except (OSError, UnicodeDecodeError) as error:
        raise CodingError(f"{path.name}: cannot read the codebook ({error})") from error


def write_codebook(spec: CodebookSpec, path: Path) -> None:
    """Write a codebook file in the format its extension names."""
    from archive.coding.codebook_qdc import write_qdc

    writers: dict[str, Callable[[CodebookSpec, Path], None]] = {
        ".json": write_json,
        ".csv": write_csv,
        ".qdc": write_qdc,
        ".xml": write_qdc,
    }
    suffix = path.suffix.lower()
    if suffix not in writers:
        raise CodingError(f"{path.name}: a codebook can be written as .json, .csv or .qdc")
    if path.is_dir():
        raise CodingError(f"{path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise CodingError(f"{path.parent} does not exist; create the folder first")
    # Written under a temporary name and renamed when whole: a failure never leaves half a codebook.
    part = path.with_name(path.name + ".part")
    try:
        writers[suffix](spec, part)
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def spec_from_project(conn: sqlite3.Connection, *, include_retired: bool = False) -> CodebookSpec:
    """The project's codebook as a spec, in tree order, with its name and version."""
    info = codebook_info(conn)
    codes = list_codes(conn, include_retired=include_retired)
    names = {c.id: c.name for c in codes}
    specs = [_spec_of(c, None if c.parent_id is None else names[c.parent_id]) for c in codes]
    return CodebookSpec(info.name, info.description, info.version, specs)


def _spec_of(c: Code, parent: str | None) -> CodeSpec:
    return CodeSpec(
        name=c.name,
        parent=parent,
        description=c.description,
        inclusion=c.inclusion,
        exclusion=c.exclusion,
        examples=c.examples,
        color=c.color,
        shortcut=c.shortcut,
        exclusive=c.exclusive,
        codable=c.codable,
        retired=c.retired,
        guid=c.guid,
    )


def read_json(path: Path) -> CodebookSpec:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as error:
        raise CodingError(f"{path.name}: not valid JSON ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        raise CodingError(f"{path.name}: expected a JSON object with a 'codes' list")
    spec = CodebookSpec(str(data.get("name") or ""), str(data.get("description") or ""), data.get("version"))
    for where, item, parent in _walk(data["codes"], "codes", None):
        spec.codes.append(_json_code(path, where, item, parent))
    return spec


def _walk(items: list[Any], where: str, parent: str | None) -> Iterator[tuple[str, Any, str | None]]:
    for index, item in enumerate(items):
        yield f"{where}[{index}]", item, parent
        children = item.get("children", []) if isinstance(item, dict) else []
        if isinstance(children, list) and children:
            yield from _walk(children, f"{where}[{index}].children", str(item.get("name")))


def _json_code(path: Path, where: str, item: Any, parent: str | None) -> CodeSpec:
    if not isinstance(item, dict) or not str(item.get("name") or "").strip():
        raise CodingError(f"{path.name}: {where}: expected a code object with a 'name'")
    examples = item.get("examples") or []
    if isinstance(examples, str) or not all(isinstance(e, str) for e in examples):
        raise CodingError(f"{path.name}: {where}: 'examples' must be a list of texts")
    return CodeSpec(
        name=str(item["name"]),
        parent=item.get("parent", parent),
        description=str(item.get("description") or ""),
        inclusion=str(item.get("inclusion") or ""),
        exclusion=str(item.get("exclusion") or ""),
        examples=tuple(examples),
        color=item.get("color") or None,
        shortcut=item.get("shortcut") or None,
        exclusive=bool(item.get("exclusive", False)),
        codable=bool(item.get("codable", True)),
        retired=bool(item.get("retired", False)),
        guid=item.get("guid") or None,
    )


def write_json(spec: CodebookSpec, path: Path) -> None:
    """Nested JSON: each code with its ``children``; the top cites the codebook version."""
    nodes: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for code in spec.codes:
        node = {k: v for k, v in _json_fields(code).items() if v not in (None, "", [], False) or k == "codable"}
        nodes[code.name] = node
        parent = nodes.get(code.parent) if code.parent else None
        (parent.setdefault("children", []) if parent is not None else roots).append(node)
    document = {
        "format": JSON_FORMAT,
        "format_version": 1,
        "name": spec.name,
        "description": spec.description,
        "version": spec.version,
        "codes": roots,
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _json_fields(code: CodeSpec) -> dict[str, Any]:
    return {
        "name": code.name,
        "guid": code.guid,
        "description": code.description,
        "inclusion": code.inclusion,
        "exclusion": code.exclusion,
        "examples": list(code.examples),
        "color": code.color,
        "shortcut": code.shortcut,
        "exclusive": code.exclusive,
        "codable": code.codable,
        "retired": code.retired,
    }


def read_csv(path: Path) -> CodebookSpec:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
        if "code" not in header and "name" in header:
            header["code"] = header["name"]
        missing = [c for c in ("code", "parent", "description") if c not in header]
        if missing:
            raise CodingError(f"{path.name}: expected at least the columns code, parent, description")
        spec = CodebookSpec()
        for line, row in enumerate(reader, start=2):
            spec.codes.append(_csv_code(path, line, {k: restore(row.get(h) or "").strip() for k, h in header.items()}))
    return spec


def _csv_code(path: Path, line: int, cells: dict[str, str]) -> CodeSpec:
    if not cells["code"]:
        raise CodingError(f"{path.name}: line {line}: expected a code name in the 'code' column")
    return CodeSpec(
        name=cells["code"],
        parent=cells["parent"] or None,
        description=cells["description"],
        inclusion=cells.get("inclusion", ""),
        exclusion=cells.get("exclusion", ""),
        examples=tuple(e.strip() for e in cells.get("examples", "").splitlines() if e.strip()),
        color=cells.get("color") or None,
        shortcut=cells.get("shortcut") or None,
        exclusive=_flag(path, line, cells.get("exclusive", ""), False),
        codable=_flag(path, line, cells.get("codable", ""), True),
        retired=_flag(path, line, cells.get("retired", ""), False),
        guid=cells.get("guid") or None,
    )


def _flag(path: Path, line: int, text: str, default: bool) -> bool:
    value = text.strip().lower()
    if not value:
        return default
    if value in _TRUE or value in _FALSE:
        return value in _TRUE
    raise CodingError(f"{path.name}: line {line}: '{text}' is not yes or no")


def write_csv(spec: CodebookSpec, path: Path) -> None:
    """One row per code; examples one per line inside their cell; every row cites the codebook version.

    Written whole or not at all, with formula cells neutralised (code names come from imported files);
    ``read_csv`` takes the apostrophes off again.
    """
    outputs = Outputs(bom=False, missing="", neutralise_cells=True)
    try:
        written = outputs.csv(path)
        written.header(CSV_COLUMNS)
        for c in spec.codes:
            written.row(
                [
                    c.name,
                    c.parent or "",
                    c.description,
                    c.inclusion,
                    c.exclusion,
                    "\n".join(c.examples),
                    c.color or "",
                    c.shortcut or "",
                    _yes(c.exclusive),
                    _yes(c.codable),
                    _yes(c.retired),
                    c.guid or "",
                    spec.name,
                    "" if spec.version is None else spec.version,
                ]
            )
    except BaseException:
        outputs.abort()
        raise
    outputs.commit()


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
