"""The inputs behind the paths a user names: a file, each member of a zip, a folder's files; and what is passed over.

Nothing is left out without a word: a link leading outside the folder imported, a zip member whose name
climbs out of the zip, an encrypted member, a device or pipe are each passed over with a note, and a zip
that cannot be read is a problem of its own rather than the end of the folder it sits in.
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from archive.errors import SourceReadError
from archive.importing.sources import ZIP_MAGIC, Source

# Compression methods zipfile reads; a member in another (deflate64, say) would fail part-way.
READABLE_COMPRESSION = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})


@dataclass(frozen=True, slots=True)
class PassedOver:
    """Something found behind a path that is not read, and why; ``damaged`` when it is an error, not a note."""

    path: Path
    member: str | None
    reason: str
    damaged: bool = False

    @property
    def name(self) -> str:
        return Source(self.path, self.member).name


@dataclass(slots=True)
class Expansion:
    """The readable inputs behind some paths, and what was passed over on the way."""

    sources: list[Source] = field(default_factory=list)
    passed_over: list[PassedOver] = field(default_factory=list)

    def add(self, other: Expansion) -> None:
        self.sources += other.sources
        self.passed_over += other.passed_over


def expand(path: Path) -> Expansion:
    """The inputs behind ``path``; raises SourceReadError when ``path`` itself cannot be read."""
    if path.is_dir():
        return _folder(path)
    if not path.is_file():
        raise SourceReadError(f"{path}: no such file")
    if is_zip(path):
        return _zip_members(path)
    return Expansion([Source(path)])


def is_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(4) == ZIP_MAGIC
    except OSError as exc:
        raise SourceReadError(f"{path}: cannot be read ({exc})") from exc


def _folder(root: Path) -> Expansion:
    """A folder's files in name order, links leading outside it and anything not a file passed over."""
    found = Expansion()
    inside = root.resolve()
    for folder, subfolders, files in os.walk(root, followlinks=False):
        subfolders.sort()
        here = Path(folder)
        for name in subfolders:
            if (here / name).is_symlink():  # os.walk does not descend into it; say so
                found.passed_over.append(PassedOver(here / name, None, "a link to a folder; links are not followed"))
        for name in sorted(files):
            found.add(_folder_entry(here / name, inside))
    return found


def _folder_entry(path: Path, inside: Path) -> Expansion:
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(inside):
            reason = f"a link to {target}, outside the folder imported; not followed"
            return Expansion(passed_over=[PassedOver(path, None, reason)])
    try:
        mode = path.stat().st_mode
    except OSError as exc:  # a link to nothing, a file removed meanwhile, no permission
        return Expansion(passed_over=[PassedOver(path, None, f"cannot be read ({exc.strerror or exc})")])
    if not stat.S_ISREG(mode):
        return Expansion(passed_over=[PassedOver(path, None, "not a regular file (a pipe, socket or device)")])
    try:
        return expand(path)
    except SourceReadError as error:  # a damaged zip is one problem, not the end of the folder
        return Expansion(passed_over=[PassedOver(path, None, str(error).removeprefix(f"{path}: "), damaged=True)])


def _zip_members(path: Path) -> Expansion:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceReadError(f"{path}: not a readable zip file ({exc})") from exc
    found = Expansion()
    for info in infos:
        name = info.filename
        if _is_noise(name):  # macOS resource forks and hidden files: nothing a researcher put there
            continue
        reason = _unreadable_member(info)
        if reason:
            found.passed_over.append(PassedOver(path, name, reason))
        else:
            found.sources.append(Source(path, name))
    return found


def _unreadable_member(info: zipfile.ZipInfo) -> str:
    parts = PurePosixPath(info.filename.replace("\\", "/")).parts
    if ".." in parts or info.filename.startswith(("/", "\\")) or ":" in (parts[0] if parts else ""):
        return "its name leads outside the zip (an absolute path or '..'); not read"
    if info.flag_bits & 0x1:
        return "encrypted; not read"
    if info.compress_type not in READABLE_COMPRESSION:
        return f"compressed with a method zip readers rarely support (number {info.compress_type}); not read"
    return ""


def _is_noise(member: str) -> bool:
    parts = PurePosixPath(member).parts
    return any((part.startswith(".") and part != "..") or part == "__MACOSX" for part in parts)
