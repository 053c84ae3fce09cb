"""A project on disk: a folder with ``project.db`` (SQLite, WAL), a lock, backups and the search index."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from types import TracebackType

from sqlite_utils import Database

from archive.errors import ProjectCorruptError, StoreError, ThreadcoderError
from archive.store.backups import BACKUP_FOLDER, backup, scheduled_backup, take_backup
from archive.store.health import Marker, check_and_record, check_due, clear_marker, take_over
from archive.store.lock import ProjectLock
from archive.store.permissions import create_private, private_folder
from archive.store.schema import MIGRATIONS, SCHEMA_VERSION

__all__ = ["APPLICATION_ID", "BACKUP_FOLDER", "DB_NAME", "INDEX_FOLDER", "Project", "backup", "migrate"]

DB_NAME = "project.db"
INDEX_FOLDER = "index"
# "TCDR": marks a SQLite file as a Threadcoder project, so we never migrate someone else's database.
APPLICATION_ID = 0x54434452

log = logging.getLogger("threadcoder")


class Project:
    """An open project. Use as a context manager; ``writable=True`` takes the project lock."""

    def __init__(self, folder: Path, *, writable: bool = True, create: bool = False, check: bool = True) -> None:
        """Open (or ``create``) the project in ``folder``.

        The integrity check (SQLite's ``quick_check``, seconds on a million posts) runs only when it is due:
        after an unclean shutdown, or when none was ever recorded (see ``archive.store.health``). A writer
        also takes the daily backup when the newest is older than a day (``archive.store.backups``).
        ``check=False`` leaves both to the caller, which runs them soon after off its UI thread.
        """
        self.folder = Path(folder)
        self.writable = writable
        self._lock = ProjectLock(self.folder) if writable else None
        self._marker: Marker | None = None
        self._check = check
        self.db = self._open(create)

    @classmethod
    def attach(cls, folder: Path, *, writable: bool = True, shared: bool = False) -> Project:
        """Another connection to a project this process already has open (for a worker thread).

        It takes no lock (this process holds it) and repeats no checks. ``shared`` lets the connection
        move between threads, for jobs that one worker runs one at a time.
        """
        project = cls.__new__(cls)
        project.folder, project.writable, project._lock, project._check = Path(folder), writable, None, False
        project._marker = None
        uri = f"file:{project.db_path}" + ("" if writable else "?mode=ro")
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=not shared)
        except sqlite3.Error as error:
            raise _cannot_open(project.db_path, error) from error
        try:
            _configure(conn, writable)
        except BaseException as error:
            conn.close()
            if isinstance(error, sqlite3.Error):
                raise _cannot_open(project.db_path, error) from error
            raise
        project.db = Database(conn)
        return project

    def check_integrity(self, *, thorough: bool = False) -> None:
        """Run SQLite's ``quick_check`` (``integrity_check`` when thorough) and record that it passed.

        Raises ProjectCorruptError naming what is wrong.
        """
        check_and_record(self.db.conn, self.folder, thorough=thorough)

    @classmethod
    def create_or_open(cls, folder: Path) -> Project:
        return cls(folder, writable=True, create=True)

    @property
    def db_path(self) -> Path:
        return self.folder / DB_NAME

    @property
    def index_path(self) -> Path:
        return self.folder / INDEX_FOLDER

    def close(self) -> None:
        self.db.conn.close()
        if self._marker is not None:  # a clean close: the next session need not check
            clear_marker(self.folder, self._marker)
            self._marker = None
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> Project:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def _open(self, create: bool) -> Database:
        if not self.db_path.exists() and not create:
            raise ThreadcoderError(f"{self.folder}: not a Threadcoder project (no {DB_NAME} inside)")
        if create:  # private (0700, 0600): the posts are sensitive; SQLite gives its -wal and -shm the db's mode
            private_folder(self.folder)
            create_private(self.db_path)
        if self._lock is not None:
            self._lock.acquire()
        try:
            if self._lock is not None:
                self._marker = take_over(self.folder)
            return self._connect(create)
        except sqlite3.Error as error:
            self._abandon()
            raise _cannot_open(self.db_path, error) from error
        except BaseException:
            self._abandon()
            raise

    def _abandon(self) -> None:
        """Undo a failed open, which ends the session cleanly (a check that failed stays due: see health)."""
        if self._marker is not None:
            clear_marker(self.folder, self._marker)
            self._marker = None
        if self._lock is not None:
            self._lock.release()

    def _connect(self, create: bool) -> Database:
        uri = f"file:{self.db_path}" + ("" if self.writable else "?mode=ro")
        # isolation_level=None: we open every transaction ourselves (db.atomic), so none is implicit.
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=True)
        try:
            _check_identity(conn, self.db_path)
            _refuse_to_start_over(conn, self.folder, self.db_path, create)
            _configure(conn, self.writable)
            new = _user_version(conn) == 0
            checked = self._check and check_due(self.folder) is not None  # after an unclean shutdown, or never
            if checked:
                check_and_record(conn, self.folder)
            if self.writable:
                checked = migrate(conn, self.folder, checked=checked) or checked
                if self._check and not new:
                    self._daily_backup(conn, checked)
            elif _user_version(conn) != SCHEMA_VERSION:
                raise ThreadcoderError(f"{self.db_path}: the project needs upgrading; open it once for writing first")
        except BaseException:
            conn.close()
            raise
        return Database(conn)

    def _daily_backup(self, conn: sqlite3.Connection, checked: bool) -> None:
        """The scheduled backup; one that cannot be written (a full disk) is logged, not fatal to the command."""
        try:
            scheduled_backup(conn, self.folder, checked=checked)
        except ProjectCorruptError:
            raise
        except StoreError as error:
            log.warning("threadcoder: no backup was taken: %s", error)


def _check_identity(conn: sqlite3.Connection, path: Path) -> None:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise ProjectCorruptError(f"{path}: not a readable SQLite database ({exc})") from exc
    if app_id != APPLICATION_ID and tables > 0:
        raise ProjectCorruptError(f"{path}: this SQLite file is not a Threadcoder project")


def _cannot_open(path: Path, error: sqlite3.Error) -> StoreError:
    return StoreError(f"{path}: the project database cannot be opened ({error})")


def _refuse_to_start_over(conn: sqlite3.Connection, folder: Path, path: Path, create: bool) -> None:
    """An empty database becomes a new project only when one is being created in a folder without one.

    A project.db emptied or truncated to zero bytes (a failed copy, a disk error) was silently made a new,
    empty project by any command that writes, and its index then answered searches for posts that were
    gone. A database with no tables is a new project only if the caller creates one and the folder holds
    no index and no backups of an earlier one.
    """
    if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0:
        return
    left = [name for name in (INDEX_FOLDER, BACKUP_FOLDER) if _holds_files(folder / name)]
    if left:
        raise ProjectCorruptError(
            f"{path}: the project database is empty, but this folder holds an earlier project's "
            f"{' and '.join(left)}; it was damaged or replaced. Nothing was changed: restore a copy from "
            f"{BACKUP_FOLDER}/ or move the folder away"
        )
    if not create:
        raise ProjectCorruptError(f"{path}: the project database is empty; this folder holds no project")


def _holds_files(folder: Path) -> bool:
    return folder.is_dir() and any(folder.iterdir())


def _configure(conn: sqlite3.Connection, writable: bool) -> None:
    if writable:
        conn.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode survives a killed process; only a power cut may lose the last commits.
        conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=5000")
    # Writers get a 64 MiB page cache (imports were measured faster with it); readers scan (the post list,
    # the status counts, exports) or read a few pages (searches), and the app keeps several reader
    # connections open, each of which would otherwise fill its own 64 MiB.
    conn.execute(f"PRAGMA cache_size={-65536 if writable else -8192}")


def _user_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(conn: sqlite3.Connection, folder: Path, *, checked: bool = False) -> bool:
    """Bring the schema up to date, one transaction per migration, checking and backing up a non-empty project first.

    ``checked``: the caller has just checked the database. Returns whether this checked it.
    """
    version = _user_version(conn)
    if version > SCHEMA_VERSION:
        raise ThreadcoderError(
            "this project was written by a newer Threadcoder "
            f"(schema {version}, this version knows {SCHEMA_VERSION}); update Threadcoder"
        )
    backed_up = version < SCHEMA_VERSION and version > 0
    if backed_up:
        take_backup(conn, folder, f"before-migration-{version + 1}", checked=checked)
    for number in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[number]:
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version={number + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return backed_up
