"""Bringing a codebook file into a project: new codes added, known ones updated, nothing deleted.

Codes are matched by guid, then by name regardless of case. A known code gets the file's definition,
criteria, examples, colour and shortcut; its place in the hierarchy stays as the project has it (a
note says where the file differs). An import adds and updates but never blanks a field or deletes a
code. The whole import is one undoable codebook action, one new version.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field

from sqlite_utils import Database

from archive.coding.codebook import Code, find_code, find_code_by_guid, list_codes
from archive.coding.codebook_edit import CodeDraft, check_color, check_shortcut, insert_code, update_values
from archive.coding.codebook_io import CodebookSpec, CodeSpec
from archive.coding.coders import active_coder
from archive.coding.errors import CodingError
from archive.coding.history import codebook_version
from archive.coding.undo import Action, action


@dataclass
class CodebookImportReport:
    """What an import did, code by code name."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    version: int = 0  # the codebook version after the import


def import_codebook(db: Database, coder_id: int, spec: CodebookSpec, source: str) -> CodebookImportReport:
    """Merge a codebook read from ``source`` (a file name, for the log) into the project's codebook."""
    report = CodebookImportReport(notes=list(spec.notes))
    ordered = _parents_first(spec.codes)
    with action(db, coder_id, "codebook", f"import codebook from {source}", "import") as act:
        active_coder(act.conn, coder_id)
        if spec.name and not list_codes(act.conn, include_retired=True):
            act.update("codebook", {"id": 1}, {"name": spec.name.strip(), "description": spec.description.strip()})
        ids: dict[str, int] = {}
        for item in ordered:
            _import_one(act, item, ids, report)
    report.version = codebook_version(db.conn)
    return report


def _parents_first(codes: list[CodeSpec]) -> list[CodeSpec]:
    """The codes with every parent before its sub-codes (CSV rows may come in any order)."""
    by_name = {c.name.lower(): c for c in codes}
    counts = Counter(c.name.lower() for c in codes)
    twice = sorted(c.name for c in codes if counts[c.name.lower()] > 1)
    if twice:
        raise CodingError(f"the file names these codes more than once: {', '.join(twice)}")
    ordered: list[CodeSpec] = []
    placed: set[str] = set()

    def place(code: CodeSpec, trail: tuple[str, ...]) -> None:
        key = code.name.lower()
        if key in placed:
            return
        if key in trail:
            raise CodingError(f"the codes {' > '.join(trail)} form a loop of parents")
        parent = by_name.get((code.parent or "").lower())
        if parent is not None:
            place(parent, (*trail, key))
        placed.add(key)
        ordered.append(code)

    for code in codes:
        place(code, ())
    return ordered


def _import_one(act: Action, item: CodeSpec, ids: dict[str, int], report: CodebookImportReport) -> None:
    conn = act.conn
    existing = (find_code_by_guid(conn, item.guid) if item.guid else None) or find_code(conn, item.name)
    parent_id = _parent_id(conn, item, ids)
    if existing is None:
        draft = CodeDraft(
            name=item.name,
            parent_id=parent_id,
            description=item.description,
            inclusion=item.inclusion,
            exclusion=item.exclusion,
            examples=item.examples,
            color=_soft_color(item, report),
            shortcut=_soft_shortcut(conn, item, None, report),
            exclusive=item.exclusive,
            codable=item.codable,
            guid=item.guid,
            retired=item.retired,
        )
        ids[item.name.lower()] = insert_code(act, draft).id
        report.added.append(item.name)
        return
    ids[item.name.lower()] = existing.id
    _note_structure(existing, item, parent_id, report)
    # Only what the file states: a column the file lacks (or leaves blank) never blanks the project's text.
    values = update_values(
        conn,
        existing,
        item.description or None,
        item.inclusion or None,
        item.exclusion or None,
        item.examples or None,
        _soft_color(item, report),
        _soft_shortcut(conn, item, existing.id, report),
    )
    if act.update("codes", {"id": existing.id}, values):
        report.updated.append(existing.name)
    else:
        report.unchanged.append(existing.name)


def _parent_id(conn: sqlite3.Connection, item: CodeSpec, ids: dict[str, int]) -> int | None:
    if not item.parent:
        return None
    if item.parent.lower() in ids:
        return ids[item.parent.lower()]
    parent = find_code(conn, item.parent)
    if parent is None:
        raise CodingError(f"'{item.name}' names a parent '{item.parent}' that is neither in the file nor the project")
    return parent.id


def _note_structure(existing: Code, item: CodeSpec, parent_id: int | None, report: CodebookImportReport) -> None:
    if existing.parent_id != parent_id:
        report.notes.append(f"'{existing.name}' stays where it is in the project; the file places it elsewhere")
    if existing.exclusive != item.exclusive:
        report.notes.append(f"'{existing.name}': whether it is a variable was kept as the project has it")
    if existing.retired != item.retired:
        report.notes.append(f"'{existing.name}': retired or in use, kept as the project has it")


def _soft_color(item: CodeSpec, report: CodebookImportReport) -> str | None:
    try:
        return check_color(item.color)
    except CodingError as error:
        report.notes.append(f"'{item.name}': {error}; no colour set")
        return None


def _soft_shortcut(
    conn: sqlite3.Connection, item: CodeSpec, code_id: int | None, report: CodebookImportReport
) -> str | None:
    if item.retired:
        return None  # a retired code needs no key, and its old key may belong to a code in use
    try:
        return check_shortcut(conn, item.shortcut, code_id)
    except CodingError as error:
        report.notes.append(f"'{item.name}': {error}; no shortcut set")
        return None
