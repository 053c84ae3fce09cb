"""A project's ``backups/``: copies taken daily and before destructive operations, rotated, listed and restored.

A backup is a plain SQLite file, ``backups/project-<UTC time>-<reason>.db``, that any SQLite tool opens. It is
written under a ``.part`` name and renamed when complete, so a killed backup never looks like one. A backup
is only taken of a database that has just passed its integrity check, so a damaged database never pushes good
copies out of the rotation. The rotation keeps, of the files named as we name them:

- the newest backup of each of the last ``KEEP_DAILY`` days (UTC) that have one,
- the newest backup of each of the last ``KEEP_WEEKLY`` weeks that have one,
- the ``KEEP_BEFORE`` newest backups taken on request or before a destructive operation or a migration,
- and always the newest backup. Anything else in the folder is never touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from archive.errors import ProjectCorruptError, StoreError, ThreadcoderError
from archive.store.health import DAILY, check_and_record, integrity_check, utcnow
from archive.store.lock import holds_lock
from archive.store.permissions import create_private, private_folder

if TYPE_CHECKING:
    from sqlite_utils import Database

    from archive.store.project import Project

BACKUP_FOLDER = "backups"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_BEFORE = 5
SPARE_BYTES = 64 << 20  # left free on the disk after a backup
_NAME = re.compile(r"^project-(\d{8}T\d{6}Z)-([a-z0-9-]+)\.db$")
_STAMP = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file: when it was taken, why, and its size."""

    path: Path
    taken_at: datetime
    reason: str
    size: int

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def unscheduled(self) -> bool:
        """Taken on request or before a destructive operation or a migration, not by the daily schedule."""
        return self.reason != "daily"


def list_backups(folder: Path) -> list[Backup]:
    """The backups of the project in ``folder``, newest first (only files named as Threadcoder names them)."""
    found = []
    with contextlib.suppress(OSError):
        for path in (folder / BACKUP_FOLDER).iterdir():
            match = _NAME.match(path.name)
            if match is None or not path.is_file():
                continue
            taken = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
            found.append(Backup(path, taken, match.group(2), path.stat().st_size))
    return sorted(found, key=lambda backup: (backup.taken_at, backup.name), reverse=True)


def backup_due(folder: Path, now: datetime | None = None) -> bool:
    """Whether the newest backup is older than a day (or there is none)."""
    backups = list_backups(folder)
    return not backups or (now or utcnow()) - backups[0].taken_at >= DAILY


def backup(conn: sqlite3.Connection, folder: Path, reason: str) -> Path:
    """An online copy of the database (SQLite backup API) in the backups folder ``folder``; returns its path."""
    private_folder(folder)
    stamp = utcnow().strftime(_STAMP)
    slug = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "backup"
    target = folder / f"project-{stamp}-{slug}.db"
    for number in range(2, 100):  # two in one second: the rotation still tells them apart by name
        if not target.exists():
            break
        target = folder / f"project-{stamp}-{slug}-{number}.db"
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    create_private(part)  # a copy of every post: as private as the project
    try:
        copy = sqlite3.connect(part)
        try:
            conn.backup(copy)  # one step: a consistent snapshot even while another connection writes
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, without -wal beside it
        finally:
            copy.close()
        with open(part, "rb+") as synced:
            os.fsync(synced.fileno())
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return target


def take_backup(conn: sqlite3.Connection, folder: Path, reason: str, *, checked: bool = False) -> Path:
    """Check the project in ``folder`` (unless the caller has ``checked`` it just now) and back it up."""
    if not checked:
        check_and_record(conn, folder)
    size = int(conn.execute("PRAGMA page_count").fetchone()[0]) * int(conn.execute("PRAGMA page_size").fetchone()[0])
    free = shutil.disk_usage(folder).free
    if free < size + SPARE_BYTES:
        raise StoreError(
            f"{folder}: not enough free disk space for a backup ({free / 1e6:,.0f} MB free, the database is "
            f"{size / 1e6:,.0f} MB); free some space"
        )
    try:
        return backup(conn, folder / BACKUP_FOLDER, reason)
    except (OSError, sqlite3.Error) as error:
        raise StoreError(f"{folder / BACKUP_FOLDER}: the backup could not be written ({error})") from error


def scheduled_backup(conn: sqlite3.Connection, folder: Path, *, checked: bool = False) -> Path | None:
    """The daily backup when it is due, then the rotation; only by the process that holds the project lock."""
    if not holds_lock(folder) or not backup_due(folder):
        return None
    taken = take_backup(conn, folder, "daily", checked=checked)
    prune(folder)
    return taken


def backup_before(project: Project | Database, reason: str) -> Path | None:
    """Back the project up before a destructive operation (``reason`` says which); None for an in-memory one.

    Takes an open ``Project`` or its ``Database`` (the archive's operations are given the database). The
    copy is checked first and kept by the rotation among the last few taken before an operation; when it
    cannot be taken (the database is damaged, the disk is full) this raises, and the operation must not run.
    """
    from archive.store.project import Project

    conn = project.db.conn if isinstance(project, Project) else project.conn
    rows = conn.execute("PRAGMA database_list").fetchall()
    main = next((row[2] for row in rows if row[1] == "main"), "")
    if not main:
        return None
    folder = Path(main).parent
    taken = take_backup(conn, folder, f"before-{reason}")
    if holds_lock(folder):
        prune(folder)
    return taken


def kept(backups: list[Backup]) -> set[Path]:
    """The backups the rotation keeps (see the module's docstring); ``backups`` newest first."""
    keep: set[Path] = {backups[0].path} if backups else set()
    days: dict[object, Path] = {}
    weeks: dict[object, Path] = {}
    for item in backups:  # newest first: the first seen of a day or a week is its newest
        days.setdefault(item.taken_at.date(), item.path)
        weeks.setdefault(item.taken_at.isocalendar()[:2], item.path)
    keep.update(list(days.values())[:KEEP_DAILY])
    keep.update(list(weeks.values())[:KEEP_WEEKLY])
    keep.update([item.path for item in backups if item.unscheduled][:KEEP_BEFORE])
    return keep


def prune(folder: Path) -> list[Path]:
    """Delete the backups the rotation no longer keeps, and copies a killed backup left; returns what went."""
    backups = list_backups(folder)
    keep = kept(backups)
    removed = [item.path for item in backups if item.path not in keep]
    for path in removed:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    stale = time.time() - 3600  # a younger .part may be a backup another thread of this process is writing
    with contextlib.suppress(OSError):
        for part in (folder / BACKUP_FOLDER).glob("project-*.db.part"):
            if part.stat().st_mtime < stale:
                part.unlink()
                removed.append(part)
    return removed


def find_backup(folder: Path, name: str) -> Path:
    """A backup of the project in ``folder`` by its file name (as listed), or a path to any backup file."""
    for item in list_backups(folder):
        if name in (item.name, item.path.stem):
            return item.path
    path = Path(name)
    if path.is_file():
        return path
    raise ThreadcoderError(f"{name}: no such backup in {folder / BACKUP_FOLDER} ('threadcoder backups {folder} list')")


def restore(source: Path, into: Path) -> Path:
    """Copy the backup ``source`` into the new (or empty) folder ``into`` as a project; never overwrites one.

    The backup is checked first (a damaged copy is refused). The restored project has no search index yet:
    it is built the first time the project is searched. Returns the new project's folder.
    """
    from archive.store.project import DB_NAME, Project

    if into.exists() and (not into.is_dir() or any(into.iterdir())):
        raise ThreadcoderError(f"{into}: choose a new or empty folder to restore into; nothing is ever overwritten")
    try:
        reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise StoreError(f"{source}: the backup cannot be opened ({error})") from error
    try:
        try:
            integrity_check(reader, source.parent)
        except ProjectCorruptError as error:
            raise ProjectCorruptError(f"{source}: this backup is damaged too; choose an older one") from error
        private_folder(into)
        target = into / DB_NAME
        create_private(target)
        copy = sqlite3.connect(target)
        try:
            reader.backup(copy)
        except sqlite3.Error as error:
            raise StoreError(f"{target}: the backup could not be copied here ({error})") from error
        finally:
            copy.close()
    finally:
        reader.close()
    with Project(into, check=False) as restored:  # brings an older backup's schema up to date
        check_and_record(restored.db.conn, into)
    return into
