"""The Windows and macOS branches of the archive, run here on Linux: the project lock through msvcrt, files
without POSIX modes, and the fork hook that only Linux registers.

Each branch is chosen when its module is imported (``sys.platform``, ``os.name``), so the lock and the
fork hook are loaded again from their source under a patched platform, as copies that leave the real
modules alone. A copy of the lock module stands for one process: two copies sharing one fake ``msvcrt`` are
two Threadcoder processes on one Windows machine. The fake keeps Windows' rules, as Microsoft documents them
for ``LockFile`` (which ``msvcrt.locking`` calls): a lock covers bytes from the handle's current position;
an exclusive lock fails on a byte any handle has locked, this one included; unlocking bytes this handle has
not locked fails; and no other handle may read or write a locked byte.
"""

from __future__ import annotations

import errno
import importlib.util
import os
import sys
import types
from pathlib import Path
from typing import Any

import pytest

import archive.child_processes
import archive.store.lock
from archive.errors import ProjectLockedError
from archive.export import files as export_files
from archive.store import permissions

LOCK_SOURCE = Path(archive.store.lock.__file__)
FORK_SOURCE = Path(archive.child_processes.__file__)


class FakeMsvcrt(types.ModuleType):
    """``msvcrt.locking`` with Windows' rules, over real files; shared by the 'processes' of a test."""

    LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = 0, 1, 2, 3, 4  # the values msvcrt has

    def __init__(self) -> None:
        super().__init__("msvcrt")
        self.owners: dict[tuple[int, int, int], int] = {}  # (device, file, byte) -> the descriptor holding it
        self.calls: list[tuple[int, int, int]] = []  # (mode, position, bytes), as called

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        position = os.lseek(fd, 0, os.SEEK_CUR)
        self.calls.append((mode, position, nbytes))
        info = os.fstat(fd)
        region = [(info.st_dev, info.st_ino, position + n) for n in range(nbytes)]
        if mode == self.LK_NBLCK:
            if any(byte in self.owners for byte in region):
                raise PermissionError(errno.EACCES, "Permission denied")
            self.owners.update(dict.fromkeys(region, fd))
        elif mode == self.LK_UNLCK:
            if any(self.owners.get(byte) != fd for byte in region):
                raise PermissionError(errno.EACCES, "Permission denied")  # Windows: ERROR_NOT_LOCKED
            for byte in region:
                del self.owners[byte]
        else:  # a blocking lock would wait ten seconds for a holder: the lock module must never ask for one
            raise AssertionError(f"msvcrt.locking mode {mode}: only LK_NBLCK and LK_UNLCK are expected")

    def blocked(self, fd: int) -> bool:
        """Whether another handle holds a byte of this file: Windows then refuses this one reads and writes."""
        info = os.fstat(fd)
        mine = (info.st_dev, info.st_ino)
        return any((dev, ino) == mine and owner != fd for (dev, ino, _), owner in self.owners.items())

    def process_died(self) -> None:
        """The holder's process ended without unlocking (killed, crashed): Windows drops its locks."""
        self.owners.clear()


class WindowsFile:
    """A real open file that reads and writes as Windows does when another handle has locked the file."""

    def __init__(self, handle: Any, locks: FakeMsvcrt) -> None:
        self._handle, self._locks = handle, locks

    def _check(self) -> None:
        if self._locks.blocked(self._handle.fileno()):
            raise PermissionError(
                errno.EACCES,
                "The process cannot access the file because another process has locked a portion of the file",
            )

    def read(self, *args: Any) -> Any:
        self._check()
        return self._handle.read(*args)

    def write(self, *args: Any) -> Any:
        self._check()
        return self._handle.write(*args)

    def truncate(self, *args: Any) -> Any:
        self._check()
        return self._handle.truncate(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


@pytest.fixture
def no_posix_modes(monkeypatch):
    """Files as on Windows: no modes to set, and (Python before 3.13) no ``os.fchmod`` at all."""
    monkeypatch.setattr(permissions, "POSIX", False)
    monkeypatch.setattr(export_files, "POSIX", False)
    monkeypatch.delattr(os, "fchmod")
    monkeypatch.setattr(os, "chmod", _no_chmod)


def _no_chmod(*args: object, **kwargs: object) -> None:
    raise AssertionError(f"os.chmod{args} on Windows, which has no modes")


def load_as(monkeypatch, source: Path, platform: str, name: str, **modules: types.ModuleType) -> Any:
    """A fresh copy of the module at ``source``, imported as ``platform`` would import it."""
    spec = importlib.util.spec_from_file_location(name, source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with monkeypatch.context() as patch:
        patch.setattr(sys, "platform", platform)
        for module_name, fake in modules.items():
            patch.setitem(sys.modules, module_name, fake)
        patch.setitem(sys.modules, name, module)
        spec.loader.exec_module(module)
    return module


@pytest.fixture
def msvcrt() -> FakeMsvcrt:
    return FakeMsvcrt()


@pytest.fixture
def windows_process(monkeypatch, msvcrt, no_posix_modes):
    """Makes copies of the lock module as Windows imports it, each a process of its own (its own table of
    held locks), all on the one fake ``msvcrt``. Files they leave open are closed after the test."""
    count = iter(range(100))
    opened: list[Any] = []

    def windows_open(*args: Any, **kwargs: Any) -> WindowsFile:
        handle = open(*args, **kwargs)  # noqa: SIM115 - closed by the code under test, or below
        opened.append(handle)
        return WindowsFile(handle, msvcrt)

    def make() -> Any:
        module = load_as(monkeypatch, LOCK_SOURCE, "win32", f"lock_on_windows_{next(count)}", msvcrt=msvcrt)
        assert module.msvcrt is msvcrt and not hasattr(module, "fcntl")
        module.open = windows_open
        return module

    yield make
    for handle in opened:
        handle.close()


def test_on_windows_the_lock_covers_the_first_byte_and_is_released(tmp_path, windows_process, msvcrt):
    process = windows_process()
    lock = process.ProjectLock(tmp_path)
    lock.acquire()
    assert lock.held
    assert msvcrt.calls == [(msvcrt.LK_NBLCK, 0, 1)]
    assert (tmp_path / "project.lock").read_text(encoding="utf-8") == str(os.getpid())
    lock.release()
    # Unlocked from byte 0 again, though writing the pid had moved the handle to the end of the file.
    assert msvcrt.calls == [(msvcrt.LK_NBLCK, 0, 1), (msvcrt.LK_UNLCK, 0, 1)]
    assert msvcrt.owners == {}
    assert (tmp_path / "project.lock").read_text(encoding="utf-8") == ""
    lock.acquire()  # and it can be taken again
    lock.release()


def test_on_windows_this_process_is_refused_a_second_lock_before_asking_windows(tmp_path, windows_process, msvcrt):
    process = windows_process()
    first = process.ProjectLock(tmp_path)
    first.acquire()
    with pytest.raises(ProjectLockedError, match="open in another Threadcoder process"):
        process.ProjectLock(tmp_path).acquire()
    assert msvcrt.calls == [(msvcrt.LK_NBLCK, 0, 1)]
    first.release()


def test_on_windows_a_second_process_is_told_the_project_is_open(tmp_path, windows_process):
    holder, other = windows_process(), windows_process()
    lock = holder.ProjectLock(tmp_path)
    lock.acquire()
    try:
        with pytest.raises(ProjectLockedError, match="open in another Threadcoder process"):
            other.ProjectLock(tmp_path).acquire()
    finally:
        lock.release()


def test_on_windows_the_lock_is_free_once_released_or_its_holder_died(tmp_path, windows_process, msvcrt):
    first, second, third = windows_process(), windows_process(), windows_process()
    lock = first.ProjectLock(tmp_path)
    lock.acquire()
    lock.release()
    taken = second.ProjectLock(tmp_path)
    taken.acquire()
    msvcrt.process_died()  # the second process was killed holding it
    again = third.ProjectLock(tmp_path)
    again.acquire()
    assert again.held
    again.release()


def test_on_windows_the_lock_state_of_a_held_project_needs_no_read(tmp_path, windows_process):
    holder, other = windows_process(), windows_process()
    if not hasattr(other, "lock_state"):
        pytest.skip("this lock module has no lock_state")
    lock = holder.ProjectLock(tmp_path)
    lock.acquire()
    try:
        state = other.lock_state(tmp_path)
        assert state.held is True and not state.mine
        assert state.pid == ""  # Windows refuses to read a locked byte: the holder's pid cannot be known
    finally:
        lock.release()
    state = other.lock_state(tmp_path)
    assert state.held is False and not state.stale


def test_without_posix_modes_private_files_and_folders_are_plain_ones(tmp_path, no_posix_modes):
    folder = permissions.private_folder(tmp_path / "a" / "b")
    assert folder.is_dir()
    permissions.make_private(folder)
    created = tmp_path / "a" / "created"
    permissions.create_private(created)
    permissions.create_private(created)  # exists: left alone
    assert created.is_file()
    with open(tmp_path / "opened", "w", encoding="utf-8", opener=permissions.private_opener) as stream:
        stream.write("text")
    assert (tmp_path / "opened").read_text(encoding="utf-8") == "text"


def test_without_posix_modes_an_export_is_written_and_renamed_into_place(tmp_path, no_posix_modes):
    outputs = export_files.Outputs(bom=True, missing="", neutralise_cells=False)
    csv = outputs.csv(tmp_path / "dataset.csv")
    csv.header(["id", "text"])
    csv.row(["1", "a post"])
    assert outputs.commit() == [tmp_path / "dataset.csv"]
    assert (tmp_path / "dataset.csv").read_bytes() == b"\xef\xbb\xbfid,text\r\n1,a post\r\n"
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_the_fork_hook_is_registered_on_linux_only(monkeypatch, platform):
    registered: list[dict[str, object]] = []
    monkeypatch.setattr(os, "register_at_fork", lambda **hooks: registered.append(hooks))
    if platform == "win32":
        monkeypatch.delattr(os, "register_at_fork")  # Windows' os has none: the module must not reach for it
    module = load_as(monkeypatch, FORK_SOURCE, platform, f"child_processes_on_{platform}")
    assert registered == []
    with module.children_die_with_parent():  # still usable: there the children end when their pipe closes
        assert module._Guard.requests == 1
    assert module._Guard.requests == 0


def test_on_linux_the_fork_hook_is_registered_once(monkeypatch):
    registered: list[dict[str, object]] = []
    monkeypatch.setattr(os, "register_at_fork", lambda **hooks: registered.append(hooks))  # none really added
    module = load_as(monkeypatch, FORK_SOURCE, "linux", "child_processes_on_linux")
    assert registered == [{"before": module._before_fork, "after_in_child": module._in_child}]
