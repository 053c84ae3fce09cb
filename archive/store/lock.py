"""An exclusive lock on a project folder, so two processes never write one project."""

from __future__ import annotations

import os
import sys
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
            handle.seek(0)
            owner = handle.read().strip() or "unknown"
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
