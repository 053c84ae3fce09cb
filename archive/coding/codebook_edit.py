"""Editing the codebook without breaking history: add, update, rename, move, merge, split, retire, restore.

Each edit is one undoable action that bumps the codebook version and logs what changed. Codings are
never deleted by an edit: a merge moves them to the target, a split and a retirement keep them on the
old code (so coders can recode), a rename re-queues every post coded with the code for the search index.
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from archive.coding.codebook import Code, descendants, find_code, get_code, sub_codes, variable_of
from archive.coding.coders import active_coder
from archive.coding.errors import CodingError
from archive.coding.undo import Action, action
from archive.store.backups import backup_before
from archive.store.clock import now
from archive.store.sql import marks

_COLOR = re.compile(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
MAX_NAME = 200


@dataclass(frozen=True, slots=True)
class CodeDraft:
    """A code to create: its name, place and definition."""

    name: str
    parent_id: int | None = None
    description: str = ""
    inclusion: str = ""
    exclusion: str = ""
    examples: tuple[str, ...] = ()
    color: str | None = None
    shortcut: str | None = None
    exclusive: bool = False
    codable: bool = True
    guid: str | None = None
    retired: bool = False


def add_code(db: Database, coder_id: int, draft: CodeDraft) -> Code:
    """Add a code to the codebook (at the end of its siblings)."""
    with action(db, coder_id, "codebook", f"add code '{draft.name.strip()}'", "add") as act:
        active_coder(act.conn, coder_id)
        code = insert_code(act, draft)
    return code


def insert_code(act: Action, draft: CodeDraft) -> Code:
    """Create a code inside a running action (the import uses this for many codes at once)."""
    conn = act.conn
    name = check_code_name(conn, draft.name)
    if draft.parent_id is not None:
        parent = _live(conn, draft.parent_id)
        if parent.exclusive and draft.exclusive:
            raise CodingError(f"'{name}' cannot be a variable inside the variable '{parent.name}'")
    row = {
        "guid": _guid(conn, draft.guid),
        "name": name,
        "parent_id": draft.parent_id,
        "position": _next_position(conn, draft.parent_id),
        "exclusive": int(draft.exclusive),
        "codable": int(draft.codable and not draft.exclusive),  # a variable is never applied itself
        "description": draft.description.strip(),
        "inclusion": draft.inclusion.strip(),
        "exclusion": draft.exclusion.strip(),
        "examples": json.dumps([e.strip() for e in draft.examples if e.strip()], ensure_ascii=False),
        "color": check_color(draft.color),
        "shortcut": check_shortcut(conn, draft.shortcut, None),
        "created_at": now(),
        "retired_at": now() if draft.retired else None,
    }
    return get_code(conn, act.insert("codes", row)["id"])


def update_code(
    db: Database,
    coder_id: int,
    code_id: int,
    *,
    description: str | None = None,
    inclusion: str | None = None,
    exclusion: str | None = None,
    examples: Sequence[str] | None = None,
    color: str | None = None,
    shortcut: str | None = None,
    codable: bool | None = None,
) -> Code:
    """Change a code's definition, criteria, examples, colour, shortcut or codability (None keeps a field;
    an empty colour or shortcut clears it)."""
    with action(db, coder_id, "codebook", "", "update") as act:
        active_coder(act.conn, coder_id)
        code = get_code(act.conn, code_id)
        act.label = f"update code '{code.name}'"
        values = update_values(act.conn, code, description, inclusion, exclusion, examples, color, shortcut)
        if codable is not None:
            if codable and code.exclusive:
                raise CodingError(f"'{code.name}' is a variable: its values are applied, not the variable itself")
            values["codable"] = int(codable)
        act.update("codes", {"id": code_id}, values)
    return get_code(db.conn, code_id)


def update_values(
    conn: sqlite3.Connection,
    code: Code,
    description: str | None,
    inclusion: str | None,
    exclusion: str | None,
    examples: Sequence[str] | None,
    color: str | None,
    shortcut: str | None,
) -> dict[str, object]:
    """The column values an update sets, validated; fields given as None are left out."""
    values: dict[str, object] = {}
    for column, text in (("description", description), ("inclusion", inclusion), ("exclusion", exclusion)):
        if text is not None:
            values[column] = text.strip()
    if examples is not None:
        values["examples"] = json.dumps([e.strip() for e in examples if e.strip()], ensure_ascii=False)
    if color is not None:
        values["color"] = check_color(color or None)
    if shortcut is not None:
        values["shortcut"] = check_shortcut(conn, shortcut or None, code.id)
    return values


def rename_code(db: Database, coder_id: int, code_id: int, new_name: str) -> Code:
    """Rename a code; its codings stay and their posts are re-indexed under the new name."""
    with action(db, coder_id, "codebook", "", "rename") as act:
        active_coder(act.conn, coder_id)
        code = get_code(act.conn, code_id)
        name = check_code_name(act.conn, new_name, code_id)
        act.label = f"rename '{code.name}' to '{name}'"
        act.update("codes", {"id": code_id}, {"name": name})
    return get_code(db.conn, code_id)


def move_code(db: Database, coder_id: int, code_id: int, parent_id: int | None, position: int | None = None) -> Code:
    """Move a code under another parent (None: top level), at ``position`` among its new siblings."""
    with action(db, coder_id, "codebook", "", "move") as act:
        conn = act.conn
        active_coder(conn, coder_id)
        code = _live(conn, code_id)
        if parent_id is not None:
            parent = _live(conn, parent_id)
            if parent_id == code_id or parent_id in descendants(conn, code_id):
                raise CodingError(f"'{code.name}' cannot move below itself")
            if parent.exclusive:
                _check_can_join_variable(conn, parent, [code])
        act.label = f"move '{code.name}'"
        siblings = [c for c in _siblings(conn, parent_id) if c.id != code_id]
        at = len(siblings) if position is None else max(0, min(position, len(siblings)))
        act.update("codes", {"id": code_id}, {"parent_id": parent_id})
        for index, sibling_id in enumerate([*[c.id for c in siblings[:at]], code_id, *[c.id for c in siblings[at:]]]):
            act.update("codes", {"id": sibling_id}, {"position": index})
    return get_code(db.conn, code_id)


def set_exclusive(db: Database, coder_id: int, code_id: int, exclusive: bool) -> Code:
    """Make a code's sub-codes a variable (mutually exclusive values), or independent codes again."""
    with action(db, coder_id, "codebook", "", "variable") as act:
        conn = act.conn
        active_coder(conn, coder_id)
        code = _live(conn, code_id)
        if exclusive:
            if _count(conn, "SELECT count(*) FROM codings WHERE code_id = ?", [code_id]):
                raise CodingError(f"'{code.name}' has codings of its own; a variable is not applied itself")
            if variable_of(conn, code) is not None:
                raise CodingError(f"'{code.name}' is a value of a variable; it cannot be a variable too")
            _check_can_join_variable(conn, code, [])
            act.update("codes", {"id": code_id}, {"exclusive": 1, "codable": 0})
        else:
            act.update("codes", {"id": code_id}, {"exclusive": 0})
        act.label = f"{'make' if exclusive else 'unmake'} '{code.name}' a variable"
    return get_code(db.conn, code_id)


def merge_codes(db: Database, coder_id: int, source_id: int, target_id: int) -> Code:
    """Merge one code into another: the source's codings move to the target and the source is retired."""
    backup_before(db, "merge-codes")  # a merge moves codings for good: a copy first
    with action(db, coder_id, "codebook", "", "merge") as act:
        conn = act.conn
        active_coder(conn, coder_id)
        source, target = _live(conn, source_id), _live(conn, target_id)
        if source_id == target_id or not target.codable:
            raise CodingError(f"'{source.name}' can only be merged into another code that can be applied")
        if sub_codes(conn, source_id):
            raise CodingError(f"'{source.name}' has sub-codes; move or merge them first")
        variable = variable_of(conn, target)
        if variable is not None and variable_of(conn, source) != variable:
            _check_can_join_variable(conn, variable, [source])
        act.label = f"merge '{source.name}' into '{target.name}'"
        _move_codings(act, source_id, target_id)
        act.update("codes", {"id": source_id}, {"retired_at": now(), "successors": json.dumps([target_id])})
    return get_code(db.conn, target_id)


def split_code(db: Database, coder_id: int, code_id: int, names: Sequence[str]) -> list[Code]:
    """Split a code into new sibling codes and retire it; its codings stay on it so coders can recode."""
    if len(names) < 2:
        raise CodingError("a split needs at least two new codes")
    backup_before(db, "split-code")
    with action(db, coder_id, "codebook", "", "split") as act:
        conn = act.conn
        active_coder(conn, coder_id)
        code = _live(conn, code_id)
        if sub_codes(conn, code_id):
            raise CodingError(f"'{code.name}' has sub-codes; move them first")
        created = [
            insert_code(act, CodeDraft(name, code.parent_id, f"Split from '{code.name}'.", color=code.color))
            for name in names
        ]
        act.label = f"split '{code.name}' into {', '.join(repr(c.name) for c in created)}"
        successors = json.dumps([c.id for c in created])
        act.update("codes", {"id": code_id}, {"retired_at": now(), "successors": successors})
    return created


def retire_code(db: Database, coder_id: int, code_id: int) -> Code:
    """Retire a code and its sub-codes: no new codings, existing codings kept and still counted."""
    with action(db, coder_id, "codebook", "", "retire") as act:
        active_coder(act.conn, coder_id)
        code = _live(act.conn, code_id)
        act.label = f"retire '{code.name}'"
        stamp = now()
        for retired_id in [code_id, *descendants(act.conn, code_id)]:
            if get_code(act.conn, retired_id).retired_at is None:
                act.update("codes", {"id": retired_id}, {"retired_at": stamp})
    return get_code(db.conn, code_id)


def restore_code(db: Database, coder_id: int, code_id: int) -> Code:
    """Bring a retired code back into use (its parent must be in use)."""
    with action(db, coder_id, "codebook", "", "restore") as act:
        active_coder(act.conn, coder_id)
        code = get_code(act.conn, code_id)
        if code.parent_id is not None:
            _live(act.conn, code.parent_id)
        act.label = f"restore '{code.name}'"
        act.update("codes", {"id": code_id}, {"retired_at": None})
    return get_code(db.conn, code_id)


def set_codebook_info(db: Database, coder_id: int, name: str | None = None, description: str | None = None) -> None:
    """Rename the codebook or change its description (both are cited in exports)."""
    values = {k: v.strip() for k, v in (("name", name), ("description", description)) if v is not None}
    if "name" in values and not values["name"]:
        raise CodingError("the codebook needs a name")
    with action(db, coder_id, "codebook", "describe the codebook", "describe") as act:
        active_coder(act.conn, coder_id)
        act.update("codebook", {"id": 1}, values)


def check_code_name(conn: sqlite3.Connection, name: str, code_id: int | None = None) -> str:
    """The name, stripped, if no other code (retired ones included) has it regardless of case."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME or "|" in name:
        raise CodingError(f"'{name}' is not a code name: 1 to {MAX_NAME} characters, without '|'")
    other = find_code(conn, name)
    if other is not None and other.id != code_id:
        state = "a retired code" if other.retired else "another code"
        raise CodingError(f"{state} is already named '{other.name}'")
    return name


def check_color(color: str | None) -> str | None:
    if color is None:
        return None
    if not _COLOR.fullmatch(color.strip()):
        raise CodingError(f"'{color}' is not a colour; write it as #RRGGBB")
    return color.strip().lower()


def check_shortcut(conn: sqlite3.Connection, shortcut: str | None, code_id: int | None) -> str | None:
    """The shortcut, if no code in use has it already."""
    if shortcut is None or not shortcut.strip():
        return None
    shortcut = shortcut.strip()
    row = conn.execute(
        "SELECT id, name FROM codes WHERE shortcut = ? AND retired_at IS NULL AND id IS NOT ?", (shortcut, code_id)
    ).fetchone()
    if row is not None:
        raise CodingError(f"the shortcut '{shortcut}' already applies '{row[1]}'")
    return shortcut


def _check_can_join_variable(conn: sqlite3.Connection, variable: Code, joining: Sequence[Code]) -> None:
    """Refuse when existing codings would break the variable's rule: one whole-post value per coder."""
    ids = [c.id for c in sub_codes(conn, variable.id, include_retired=True)] + [c.id for c in joining]
    if not ids:
        return
    if any(c.exclusive for c in joining):
        raise CodingError(f"a variable cannot be a value of the variable '{variable.name}'")
    where = f"code_id IN ({marks(len(ids))})"
    if _count(conn, f"SELECT count(*) FROM codings WHERE {where} AND span_start IS NOT NULL", ids):
        raise CodingError(f"values of '{variable.name}' apply to whole posts, and some of these codings are spans")
    clashes = _count(
        conn,
        f"SELECT count(*) FROM (SELECT 1 FROM codings WHERE {where} "
        "GROUP BY post_id, coder_id HAVING count(DISTINCT code_id) > 1)",
        ids,
    )
    if clashes:
        raise CodingError(
            f"{clashes} post(s) have more than one value of '{variable.name}' from the same coder; "
            "resolve those codings first"
        )


def _move_codings(act: Action, source_id: int, target_id: int) -> None:
    rows = act.conn.execute(
        "SELECT id, post_id, coder_id, span_start, span_end FROM codings WHERE code_id = ?", (source_id,)
    ).fetchall()
    for coding_id, post_id, coder_id, start, end in rows:
        duplicate = act.conn.execute(
            "SELECT 1 FROM codings WHERE post_id = ? AND coder_id = ? AND code_id = ? "
            "AND span_start IS ? AND span_end IS ?",
            (post_id, coder_id, target_id, start, end),
        ).fetchone()
        if duplicate:  # the coder had applied both: the target's coding already says it
            act.delete("codings", {"id": coding_id})
        else:
            act.update("codings", {"id": coding_id}, {"code_id": target_id})


def _live(conn: sqlite3.Connection, code_id: int) -> Code:
    code = get_code(conn, code_id)
    if code.retired:
        raise CodingError(f"'{code.name}' is retired; restore it first")
    return code


def _siblings(conn: sqlite3.Connection, parent_id: int | None) -> list[Code]:
    if parent_id is not None:
        return sub_codes(conn, parent_id, include_retired=True)
    rows = conn.execute("SELECT id FROM codes WHERE parent_id IS NULL ORDER BY position, id").fetchall()
    return [get_code(conn, row[0]) for row in rows]


def _next_position(conn: sqlite3.Connection, parent_id: int | None) -> int:
    row = conn.execute("SELECT max(position) FROM codes WHERE parent_id IS ?", (parent_id,)).fetchone()
    return 0 if row[0] is None else int(row[0]) + 1


def _guid(conn: sqlite3.Connection, wanted: str | None) -> str:
    """The code's REFI-QDA guid: the one given (when valid and unused) or a new one."""
    if wanted:
        try:
            guid = str(uuid.UUID(wanted.strip("{} ")))
        except ValueError:
            guid = ""
        if guid and conn.execute("SELECT 1 FROM codes WHERE guid = ?", (guid,)).fetchone() is None:
            return guid
    return str(uuid.uuid4())


def _count(conn: sqlite3.Connection, sql: str, params: Sequence[object]) -> int:
    return int(conn.execute(sql, list(params)).fetchone()[0])
