"""Codings made elsewhere, in the long CSV shape ``unit_id, coder_id, variable, value``.

``unit_id`` is a post id as stored ("twitter:123"), or a bare native id that names one post.
``coder_id`` is a coder name (added when new). ``variable`` is a variable's name with one of its values
as ``value`` or ``<none>`` (the coder chose none of its values, as exports write it), or an independent
code's name with a present/absent ``value`` (1/0, yes/no, true/false). A blank value is missing: it says
nothing. A coder with any non-blank value for a post has completed it, so a row set of absent codes and
``<none>`` variables means "coded, no code applies"; a ``long`` export re-imports as it was exported.
Unknown posts, coders' bad names, unknown variables or values and disagreements with codings already here
are reported, never dropped silently; nothing already here is overwritten. The import is one transaction,
one undoable action per coder.
"""

from __future__ import annotations

import csv
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from archive.coding.codebook import Code, find_code, sub_codes, variable_of
from archive.coding.coders import ensure_coder
from archive.coding.codings import add_coding, find_coding
from archive.coding.errors import CodingError
from archive.coding.undo import Action, action
from archive.export.safety import restore
from archive.store.backups import backup_before
from archive.store.clock import now

COLUMNS = ("unit_id", "coder_id", "variable", "value")
_PRESENT, _ABSENT = {"1", "yes", "true", "present", "x"}, {"0", "no", "false", "absent"}
NO_VALUE = "<none>"  # a variable's value when the coder completed the post without choosing one


@dataclass(frozen=True)
class Row:
    line: int
    unit: str
    coder: str
    variable: str
    value: str


@dataclass
class CodingsImportReport:
    rows: int = 0
    codings_added: int = 0
    already_here: int = 0
    posts_completed: int = 0
    missing_values: int = 0
    coders_added: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "line N: reason", one per row not imported

    @property
    def clean(self) -> bool:
        return not self.problems


def import_long_csv(db: Database, path: Path) -> CodingsImportReport:
    """Import a long-shape CSV of codings; see the module docstring for the rules."""
    rows = _read(path)
    backup_before(db, "import-codings")  # the file was read: a copy before it changes codings
    report = CodingsImportReport(rows=len(rows))
    by_coder: dict[str, list[Row]] = defaultdict(list)
    with db.atomic():
        for row in rows:
            if not row.value:
                report.missing_values += 1
            elif not row.unit or not row.coder or not row.variable:
                report.problems.append(f"line {row.line}: expected unit_id, coder_id, variable and value")
            else:
                by_coder[row.coder.lower()].append(row)
        platforms = [row[0] for row in db.conn.execute("SELECT DISTINCT platform FROM posts")]
        for coder_rows in by_coder.values():
            _import_coder(db, coder_rows, path.name, platforms, report)
    return report


def _read(path: Path) -> list[Row]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
            if not set(COLUMNS) <= header.keys():
                raise CodingError(f"{path.name}: expected the columns {', '.join(COLUMNS)}")
            return [
                Row(line, *(restore(record.get(header[c]) or "").strip() for c in COLUMNS))
                for line, record in enumerate(reader, start=2)
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CodingError(f"{path.name}: cannot read the file ({error})") from error


def _import_coder(
    db: Database, rows: list[Row], source: str, platforms: list[str], report: CodingsImportReport
) -> None:
    try:
        coder, created = ensure_coder(db, rows[0].coder)
    except CodingError as error:
        report.problems += [f"line {row.line}: {error}" for row in rows]
        return
    if created:
        report.coders_added.append(coder.name)
    with action(db, coder.id, "coding", f"import codings from {source}") as act:
        touched: set[str] = set()
        for row in rows:
            post = _post(act.conn, row.unit, platforms)
            if post is None:
                report.problems.append(f"line {row.line}: no post '{row.unit}' in this project")
                continue
            problem = _apply(act, post, row, source, report)
            if problem:
                report.problems.append(f"line {row.line}: {problem}")
            else:
                touched.add(post)
        for post in sorted(touched):
            if (
                act.conn.execute(
                    "SELECT 1 FROM coder_status WHERE post_id = ? AND coder_id = ?", (post, coder.id)
                ).fetchone()
                is None
            ):
                act.insert("coder_status", {"post_id": post, "coder_id": coder.id, "completed_at": now()})
                report.posts_completed += 1


def _apply(act: Action, post: str, row: Row, source: str, report: CodingsImportReport) -> str | None:
    """Apply one row; returns why it was not imported, or None."""
    code = find_code(act.conn, row.variable)
    if code is None:
        return f"no variable or code named '{row.variable}'"
    if code.exclusive:
        values = sub_codes(act.conn, code.id, include_retired=True)
        value = next((c for c in values if _same(c, row.value)), None)
        if value is not None:
            return _add(act, post, value, row, source, report)
        if row.value.lower() == NO_VALUE:
            return _no_value(act, post, code, values, row)
        return f"'{row.value}' is not a value of '{code.name}'"
    variable = variable_of(act.conn, code)
    if variable is not None:
        return f"'{code.name}' is a value; write its variable '{variable.name}' as the variable"
    flag = row.value.lower()
    if flag in _PRESENT:
        return _add(act, post, code, row, source, report)
    if flag in _ABSENT:
        if find_coding(act.conn, post, act.coder_id, code.id, None) is not None:
            return f"the file says '{code.name}' is absent, but {row.coder} applied it here; kept"
        return None
    return f"'{row.value}' is not present or absent (1/0) for the code '{code.name}'"


def _no_value(act: Action, post: str, variable: Code, values: list[Code], row: Row) -> str | None:
    """``<none>``: nothing to add (the post counts as completed), unless the coder chose a value here."""
    chosen = next((v for v in values if find_coding(act.conn, post, act.coder_id, v.id, None) is not None), None)
    if chosen is not None:
        return f"the file says no value of '{variable.name}' applies, but {row.coder} chose '{chosen.name}' here; kept"
    return None


def _add(act: Action, post: str, code: Code, row: Row, source: str, report: CodingsImportReport) -> str | None:
    if find_coding(act.conn, post, act.coder_id, code.id, None) is not None:
        report.already_here += 1
        return None
    variable = variable_of(act.conn, code)
    if variable is not None:
        others = [c.id for c in sub_codes(act.conn, variable.id, include_retired=True) if c.id != code.id]
        if any(find_coding(act.conn, post, act.coder_id, other, None) is not None for other in others):
            return f"{row.coder} gave this post another value of '{variable.name}' here; kept"
    try:
        add_coding(act, post, code, origin=f"import:{source}")
    except CodingError as error:
        return str(error)
    report.codings_added += 1
    return None


def _same(code: Code, value: str) -> bool:
    return code.name.lower() == value.strip().lower()


def _post(conn: sqlite3.Connection, unit: str, platforms: list[str]) -> str | None:
    """The stored id of a unit: the id itself, or the one post whose native id it is on some platform."""
    if conn.execute("SELECT 1 FROM posts WHERE id = ?", (unit,)).fetchone():
        return unit
    # Ids are "platform:native", so a bare native id is found by primary key, one platform at a time.
    found = [
        f"{p}:{unit}"
        for p in platforms
        if conn.execute("SELECT 1 FROM posts WHERE id = ?", (f"{p}:{unit}",)).fetchone()
    ]
    return found[0] if len(found) == 1 else None
