"""Files and folders only their owner can read: 0600 and 0700 on POSIX, whatever the umask; Windows is left alone."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
# Windows has no modes: os.chmod there only sets or clears "read-only". Files inherit the ACL of their folder
# (the user's profile is private by default), so there is nothing to do, and nothing to break.
POSIX = os.name == "posix"


def private_folder(path: Path) -> Path:
    """``path`` as a folder, created (with any missing parents) readable by the owner only.

    A folder that already exists is left as it is: the researcher may share it on purpose.
    """
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    path.mkdir(parents=True, exist_ok=True)
    for folder in reversed(missing):
        make_private(folder)
    return path


def make_private(path: Path) -> None:
    """Set a file to 0600 or a folder to 0700 (POSIX); one that belongs to someone else is left as it is."""
    if POSIX:
        with contextlib.suppress(PermissionError):
            os.chmod(path, PRIVATE_FOLDER if path.is_dir() else PRIVATE_FILE)


def private_opener(path: str, flags: int) -> int:
    """An ``opener`` for ``open()``: a new file is created 0600 rather than with the umask's mode.

    The mode is set again on the open descriptor, since ``os.open`` applies the umask and ignores the mode of
    a file that exists.
    """
    descriptor = os.open(path, flags, PRIVATE_FILE)
    if POSIX:
        with contextlib.suppress(PermissionError):  # someone else's file: theirs to decide
            os.fchmod(descriptor, PRIVATE_FILE)
    return descriptor


def create_private(path: Path) -> None:
    """Create ``path`` empty and private unless it exists (for files another library then opens by name)."""
    with contextlib.suppress(FileExistsError):
        os.close(private_opener(str(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL))
