"""Merging a returned coder package into the main project, with a report; nothing is overwritten silently.

For each post the merge compares three states of the package coder's work: the *baseline* (at export),
the *package* (as returned) and *here* (the main project now). If here still equals the baseline, the
package's state is taken. If the package equals the baseline, the coder changed nothing there and here
is kept. If all three differ, the post is a conflict: here is kept and the report lists both sides.
Codes are matched by guid, posts by id; unknown ones are reported. The merge is one undoable action
of the package's coder.
"""

from __future__ import annotations

import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.coding.codebook import find_code_by_guid
from archive.coding.coders import ensure_coder
from archive.coding.errors import CodingError
from archive.coding.history import codebook_version
from archive.coding.package import package_manifest, read_manifest
from archive.coding.undo import Action, action
from archive.store.backups import backup_before
from archive.store.clock import now
from archive.store.posts import existing_posts
from archive.store.project import DB_NAME, Project

Coding = tuple[str, int | None, int | None]  # (code guid, span start, span end)


@dataclass(frozen=True)
class State:
    """One coder's work on one post: their codings and whether they marked it done."""

    codes: frozenset[Coding] = frozenset()
    completed: bool = False

    @property
    def empty(self) -> bool:
        return not self.codes and not self.completed


@dataclass(frozen=True)
class Conflict:
    post_id: str
    here: tuple[str, ...]
    package: tuple[str, ...]


@dataclass
class MergeReport:
    """What importing a package did."""

    coder: str
    coder_added: bool = False
    added: list[str] = field(default_factory=list)  # posts coded only in the package
    updated: list[str] = field(default_factory=list)  # posts the package changed, unchanged here since export
    unchanged: int = 0
    kept_here: list[str] = field(default_factory=list)  # changed here since export, not in the package
    conflicts: list[Conflict] = field(default_factory=list)
    unknown_posts: list[str] = field(default_factory=list)
    unknown_codes: list[str] = field(default_factory=list)  # "post id: code name" of codings not merged
    codings_added: int = 0
    codings_removed: int = 0
    memos_added: int = 0
    package_codebook_version: int = 0
    project_codebook_version: int = 0


def import_package(project: Project, path: Path) -> MergeReport:
    """Merge a returned package (a package file, or the folder it was opened in) into the project."""
    backup_before(project, "merge-package")  # a colleague's work lands in the project: a copy first
    with _package_database(path) as database:
        conn = project.db.conn
        conn.execute("ATTACH DATABASE ? AS pkg", (str(database),))
        try:
            with project.db.atomic():
                return _merge(project, path.name)
        finally:
            conn.execute("DETACH DATABASE pkg")


@contextmanager
def _package_database(path: Path) -> Iterator[Path]:
    """A private copy of the package's database, checked and brought to the current schema."""
    with tempfile.TemporaryDirectory(prefix="threadcoder-merge-") as scratch:
        folder = Path(scratch) / "package"
        folder.mkdir()
        if path.is_dir():
            with Project(path) as opened:  # takes the lock: the package must not be open for coding
                copy = sqlite3.connect(folder / DB_NAME)
                try:
                    opened.db.conn.backup(copy)
                finally:
                    copy.close()
        else:
            read_manifest(path)
            with zipfile.ZipFile(path) as archive:
                archive.extract(DB_NAME, folder)
        Project(folder).close()
        yield folder / DB_NAME


def _merge(project: Project, source: str) -> MergeReport:
    conn = project.db.conn
    manifest = package_manifest(conn, "pkg")
    if manifest is None:
        raise CodingError(f"{source}: not a coder package")
    coder, created = ensure_coder(project.db, manifest["coder"])
    report = MergeReport(coder.name, created, package_codebook_version=manifest["codebook_version"])
    package_coder = conn.execute("SELECT id FROM pkg.coders WHERE name = ?", (coder.name,)).fetchone()[0]
    package, names = _package_states(conn, package_coder)
    baseline = {post: _state(value["codes"], value["completed"]) for post, value in manifest["baseline"].items()}
    posts = sorted(package.keys() | baseline.keys())
    known = existing_posts(conn, posts)
    report.unknown_posts = [p for p in posts if p not in known]
    with action(project.db, coder.id, "coding", f"merge package {source}") as act:
        for post in (p for p in posts if p in known):
            ours = package.get(post, State())
            guids_known = frozenset(c for c in ours.codes if find_code_by_guid(conn, c[0]) is not None)
            report.unknown_codes += [f"{post}: {names[c[0]]}" for c in sorted(ours.codes - guids_known)]
            ours = State(guids_known, ours.completed)
            _merge_post(act, post, baseline.get(post, State()), ours, report, source, names)
        report.memos_added = _merge_memos(act, package_coder)
    report.project_codebook_version = codebook_version(conn)
    return report


def _merge_post(
    act: Action, post: str, base: State, theirs: State, report: MergeReport, source: str, names: dict[str, str]
) -> None:
    here = _here(act.conn, post, act.coder_id)
    if theirs == here:
        report.unchanged += 1
    elif here == base:
        (report.added if here.empty else report.updated).append(post)
        _take(act, post, here, theirs, source)
        report.codings_added += len(theirs.codes - here.codes)
        report.codings_removed += len(here.codes - theirs.codes)
    elif theirs == base:
        report.kept_here.append(post)
    else:
        report.conflicts.append(Conflict(post, _describe(act.conn, here, names), _describe(act.conn, theirs, names)))


def _take(act: Action, post: str, here: State, theirs: State, source: str) -> None:
    conn = act.conn
    for guid, start, end in here.codes - theirs.codes:
        row = conn.execute(
            "SELECT c.id FROM codings c JOIN codes k ON k.id = c.code_id WHERE c.post_id = ? AND c.coder_id = ? "
            "AND k.guid = ? AND c.span_start IS ? AND c.span_end IS ?",
            (post, act.coder_id, guid, start, end),
        ).fetchone()
        act.delete("codings", {"id": row[0]})
    for guid, start, end in sorted(theirs.codes - here.codes, key=str):
        version, created = conn.execute(
            "SELECT c.codebook_version, c.created_at FROM pkg.codings c JOIN pkg.codes k ON k.id = c.code_id "
            "WHERE c.post_id = ? AND k.guid = ? AND c.span_start IS ? AND c.span_end IS ?",
            (post, guid, start, end),
        ).fetchone()
        code = find_code_by_guid(conn, guid)
        assert code is not None
        act.insert(
            "codings",
            {
                "post_id": post,
                "code_id": code.id,
                "coder_id": act.coder_id,
                "span_start": start,
                "span_end": end,
                "codebook_version": version,
                "created_at": created,
                "origin": f"package:{source}",
            },
        )
    if theirs.completed and not here.completed:
        act.insert("coder_status", {"post_id": post, "coder_id": act.coder_id, "completed_at": now()})
    elif here.completed and not theirs.completed:
        act.delete("coder_status", {"post_id": post, "coder_id": act.coder_id})


def _merge_memos(act: Action, package_coder: int) -> int:
    """Add the coder's memos the project does not have yet (same target and text)."""
    rows = act.conn.execute(
        "SELECT target_kind, target_id, text, created_at, updated_at FROM pkg.memos WHERE coder_id = ? ORDER BY id",
        (package_coder,),
    ).fetchall()
    added = 0
    for kind, target, text, created, updated in rows:
        duplicate = act.conn.execute(
            "SELECT 1 FROM memos WHERE coder_id = ? AND target_kind = ? AND target_id = ? AND text = ?",
            (act.coder_id, kind, target, text),
        ).fetchone()
        if duplicate is None and (kind not in ("post", "thread") or existing_posts(act.conn, [target])):
            act.insert(
                "memos",
                {
                    "target_kind": kind,
                    "target_id": target,
                    "coder_id": act.coder_id,
                    "text": text,
                    "created_at": created,
                    "updated_at": updated,
                },
            )
            added += 1
    return added


def _state(codes: Any, completed: bool) -> State:
    return State(frozenset((str(g), s, e) for g, s, e in codes), bool(completed))


def _package_states(conn: sqlite3.Connection, coder_id: int) -> tuple[dict[str, State], dict[str, str]]:
    """The package coder's state per post, and the package's code names by guid (for the report)."""
    names = {guid: name for guid, name in conn.execute("SELECT guid, name FROM pkg.codes")}
    codes: dict[str, set[Coding]] = {}
    sql = (
        "SELECT c.post_id, k.guid, c.span_start, c.span_end FROM pkg.codings c "
        "JOIN pkg.codes k ON k.id = c.code_id WHERE c.coder_id = ?"
    )
    for post, guid, start, end in conn.execute(sql, (coder_id,)):
        codes.setdefault(post, set()).add((guid, start, end))
    done = {row[0] for row in conn.execute("SELECT post_id FROM pkg.coder_status WHERE coder_id = ?", (coder_id,))}
    return {p: State(frozenset(codes.get(p, ())), p in done) for p in codes.keys() | done}, names


def _here(conn: sqlite3.Connection, post: str, coder_id: int) -> State:
    rows = conn.execute(
        "SELECT k.guid, c.span_start, c.span_end FROM codings c JOIN codes k ON k.id = c.code_id "
        "WHERE c.post_id = ? AND c.coder_id = ?",
        (post, coder_id),
    ).fetchall()
    done = conn.execute("SELECT 1 FROM coder_status WHERE post_id = ? AND coder_id = ?", (post, coder_id)).fetchone()
    return State(frozenset((g, s, e) for g, s, e in rows), done is not None)


def _describe(conn: sqlite3.Connection, state: State, names: dict[str, str]) -> tuple[str, ...]:
    """A state in words, e.g. ("Critical", "Male survivor [3..12]", "done")."""
    words = []
    for guid, start, end in sorted(state.codes, key=str):
        code = find_code_by_guid(conn, guid)
        name = code.name if code is not None else names.get(guid, guid)
        words.append(name if start is None else f"{name} [{start}..{end}]")
    return (*sorted(words), *(("done",) if state.completed else ()))
