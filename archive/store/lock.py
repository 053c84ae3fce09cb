"""An exclusive lock on a project folder, so two processes never write one project."""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from archive.errors import ProjectLockedError
from archive.store.permissions import private_opener

LOCK_NAME = "project.lock"


# Lock files this process holds, by resolved path. POSIX record locks belong to the process, not to an
# open file: a second lock taken here would succeed, and closing any other handle on the file would drop
# the lock. So this process asks this table first and never opens a lock file it already holds.
_HELD: dict[Path, ProjectLock] = {}


class ProjectLock:
    """Holds an OS-level exclusive lock on ``<project>/project.lock`` until released.

    The OS drops the lock when the process dies, so a killed import never leaves a stale lock. On POSIX it
    is a record lock (``lockf``), which a forked child does not inherit: the indexer's writer processes
    once held the project locked for minutes after their parent was killed, when it was an ``flock``.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_NAME
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        key = self.path.resolve()
        if key in _HELD:
            raise self._refusal(str(os.getpid()))
        handle = open(self.path, "a+", encoding="utf-8", opener=private_opener)  # noqa: SIM115 - held until release()
        try:
            _lock(handle)
        except OSError:
            owner = _read(handle) or "unknown"  # Windows refuses to read the byte the holder has locked
            handle.close()
            raise self._refusal(owner) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle
        _HELD[key] = self

    def release(self) -> None:
        if self._handle is None:
            return
        try:
            self._handle.seek(0)
            self._handle.truncate()
            _unlock(self._handle)
        finally:
            self._handle.close()
            self._handle = None
            _HELD.pop(self.path.resolve(), None)

    def _refusal(self, owner: str) -> ProjectLockedError:
        return ProjectLockedError(
            f"{self.path.parent}: the project is open in another Threadcoder process (pid {owner}); "
            "close it there first"
        )

    @property
    def held(self) -> bool:
        return self._handle is not None


@dataclass(frozen=True, slots=True)
class LockState:
    """Who holds a project's lock: nobody, this process, another live process, or (``held`` None) unknown.

    ``pid`` is what the lock file says. A pid in a lock file nobody holds was left by a process that ended
    without closing the project (killed, crashed, the machine lost power): the OS dropped its lock, the pid
    stayed.
    """

    held: bool | None
    pid: str
    mine: bool = False

    @property
    def stale(self) -> bool:
        """The file names a holder that no longer runs."""
        return self.held is False and bool(self.pid)


def holds_lock(folder: Path) -> bool:
    """Whether this process holds the project's lock (it has the project open for writing)."""
    return (folder / LOCK_NAME).resolve() in _HELD


def lock_state(folder: Path) -> LockState:
    """Whether the project's lock is held, and by which pid, without waiting and without changing the file.

    The probe takes the lock for an instant when nobody holds it; it never runs in a process that holds the
    lock itself, since opening and closing another handle on the file would drop that process's lock.
    """
    path = folder / LOCK_NAME
    if holds_lock(folder):
        return LockState(True, str(os.getpid()), mine=True)
    if not path.exists():
        return LockState(False, "")
    try:
        handle = open(path, "r+", encoding="utf-8")  # noqa: SIM115 - closed below, after the probe
    except OSError:  # a folder we may not write: no writer can be at work in it either, but we cannot tell
        with contextlib.suppress(OSError):
            return LockState(None, path.read_text(encoding="utf-8").strip())
        return LockState(None, "")
    try:
        try:
            _lock(handle)
        except OSError:
            return LockState(True, _read(handle))
        pid = _read(handle)
        _unlock(handle)
        return LockState(False, pid)
    finally:
        handle.close()


def clear_stale_pid(folder: Path) -> bool:
    """Empty a lock file whose holder is gone (taking and releasing the lock); False when it is held."""
    lock = ProjectLock(folder)
    try:
        lock.acquire()
    except ProjectLockedError:
        return False
    lock.release()  # release() empties the file
    return True


def _read(handle: IO[str]) -> str:
    with contextlib.suppress(OSError):  # Windows refuses to read a byte another process has locked
        handle.seek(0)
        return handle.read().strip()
    return ""


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.lockf(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 0, os.SEEK_SET)

    def _unlock(handle: IO[str]) -> None:
        fcntl.lockf(handle.fileno(), fcntl.LOCK_UN, 1, 0, os.SEEK_SET)
