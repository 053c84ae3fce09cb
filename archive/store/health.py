"""When a project's integrity check is due: the unclean-shutdown marker and the record of the last passing check.

SQLite's ``quick_check`` reads the whole database (3.8 s of a 4.75 s search at a million posts), so it no
longer runs on every open. It runs when something may have gone wrong, and at most daily otherwise:

- ``project.open`` is written (and synced to disk) by each process that opens the project for writing, and
  removed when it closes the project. A process that is killed (``kill -9``), crashes or loses power never
  removes it, so a marker found while nobody holds the project lock is the trace of an unclean shutdown.
- ``project.checked`` records the last passing check, and which unclean session's marker it covered. A
  writer that takes over an unchecked marker deletes this record, so the check stays due until one passes.

The check is due after an unclean shutdown, after a failed check, or when none was ever recorded (every
command runs it then), and when the last one is older than a day (the app runs it in the background; every
backup runs it first).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import sqlite3
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from archive.errors import ProjectCorruptError, StoreError
from archive.store.lock import lock_state
from archive.store.permissions import POSIX, private_opener

MARKER_NAME = "project.open"
CHECKED_NAME = "project.checked"
DAILY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Marker:
    """The trace a writing session leaves until it closes: who opened the project, and when."""

    token: str
    pid: str
    host: str
    opened_at: str

    def describe(self) -> str:
        where = f" on {self.host}" if self.host and self.host != platform.node() else ""
        return f"the session opened {self.opened_at} by process {self.pid or 'unknown'}{where}"


@dataclass(frozen=True, slots=True)
class LastCheck:
    """The last integrity check that passed, and the unclean session's marker it was run after (if any)."""

    at: datetime
    covers: str | None
    kind: str = "quick_check"


def utcnow() -> datetime:
    return datetime.now(UTC)


def read_marker(folder: Path) -> Marker | None:
    """The marker in ``folder``, or None; an unreadable one (cut short by a power cut) still counts."""
    path = folder / MARKER_NAME
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        return Marker(str(data["token"]), str(data.get("pid", "")), str(data.get("host", "")), str(data["opened_at"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        # Its own token, so that a check covering this unreadable marker does not cover a later one.
        with contextlib.suppress(OSError):
            return Marker(f"unreadable-{path.stat().st_mtime_ns}", "", "", "at an unknown time")
        return Marker("unreadable", "", "", "at an unknown time")


def write_marker(folder: Path) -> Marker:
    """Mark the project open for writing by this process; synced, so it outlives a power cut like the data."""
    marker = Marker(uuid.uuid4().hex, str(os.getpid()), platform.node(), _iso(utcnow()))
    _write_atomically(folder / MARKER_NAME, json.dumps(asdict(marker)), sync=True)
    return marker


def clear_marker(folder: Path, marker: Marker) -> None:
    """Remove this session's marker at a clean close (never another session's)."""
    current = read_marker(folder)
    if current is not None and current.token == marker.token:
        with contextlib.suppress(FileNotFoundError):
            (folder / MARKER_NAME).unlink()


def take_over(folder: Path) -> Marker:
    """For a writer that has just taken the lock: keep an unchecked crash due, then mark this session open.

    Holding the lock, any marker found belongs to a session that ended without closing. Unless a check has
    covered it since, the record of the last check is deleted, so the check stays due until one passes even
    though this session's marker replaces the old one.
    """
    previous = read_marker(folder)
    if previous is not None:
        last = last_check(folder)
        if last is None or last.covers != previous.token:
            forget_check(folder)
    return write_marker(folder)


def unclean_marker(folder: Path) -> Marker | None:
    """The marker of a session that ended without closing and that no check has covered since, or None."""
    marker = read_marker(folder)
    if marker is None or lock_state(folder).held:  # held: its writer is at work (here or elsewhere)
        return None
    last = last_check(folder)
    if last is not None and last.covers == marker.token:
        return None
    return marker


def last_check(folder: Path) -> LastCheck | None:
    """The last passing check recorded in ``folder``, or None (never checked, or a crash since)."""
    try:
        data = json.loads((folder / CHECKED_NAME).read_text(encoding="utf-8"))
        at = datetime.fromisoformat(str(data["checked_at"]).replace("Z", "+00:00"))
        covers = data.get("covers")
        return LastCheck(at, None if covers is None else str(covers), str(data.get("kind", "quick_check")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record_check(folder: Path, covers: str | None, kind: str = "quick_check") -> None:
    """Record a passing check; a folder we may not write only means the next command checks again."""
    text = json.dumps({"checked_at": _iso(utcnow()), "covers": covers, "kind": kind})
    with contextlib.suppress(StoreError):
        _write_atomically(folder / CHECKED_NAME, text, sync=False)


def forget_check(folder: Path) -> None:
    """Make the check due again (a folder we may not write keeps its record: nothing can be changed there)."""
    with contextlib.suppress(OSError):
        (folder / CHECKED_NAME).unlink()


def check_due(folder: Path, max_age: timedelta | None = None) -> str | None:
    """Why the integrity check should run now (an unclean shutdown, never checked, older than ``max_age``), or None."""
    marker = unclean_marker(folder)
    if marker is not None:
        return f"{marker.describe()} ended without closing (an unclean shutdown)"
    last = last_check(folder)
    if last is None:
        return "no integrity check is recorded since the last unclean shutdown (or ever)"
    if max_age is not None and utcnow() - last.at > max_age:
        return f"the last check passed {describe_age(utcnow() - last.at)} ago"
    return None


def check_and_record(conn: sqlite3.Connection, folder: Path, *, thorough: bool = False) -> None:
    """Run the integrity check on ``conn`` (the project's database) and record it; raise ProjectCorruptError."""
    covers = unclean_marker(folder)
    try:
        integrity_check(conn, folder, thorough=thorough)
    except ProjectCorruptError:
        forget_check(folder)  # known damaged: every command checks (and says so) until it is repaired
        raise
    record_check(folder, None if covers is None else covers.token, "integrity_check" if thorough else "quick_check")


def integrity_check(conn: sqlite3.Connection, folder: Path, *, thorough: bool = False) -> None:
    """SQLite's ``quick_check`` (or the slower ``integrity_check``, which also compares indexes with tables)."""
    pragma = "integrity_check" if thorough else "quick_check"
    try:
        result = conn.execute(f"PRAGMA {pragma}(1)").fetchone()[0]
    except sqlite3.DatabaseError as error:
        result = str(error)
    if result != "ok":
        raise ProjectCorruptError(
            f"{folder / 'project.db'}: the database failed its integrity check ({result}); restore a copy from "
            f"backups/ ('threadcoder doctor {folder} --repair' restores the newest good one into a new folder)"
        )


def describe_age(age: timedelta) -> str:
    """An age in plain words: "40 minutes", "5 hours", "3 days"."""
    seconds = max(0, int(age.total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_atomically(path: Path, text: str, *, sync: bool) -> None:
    """Write ``path`` whole or not at all (a temporary file renamed over it), private like the project."""
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with open(part, "w", encoding="utf-8", opener=private_opener) as out:
            out.write(text)
            if sync:
                out.flush()
                os.fsync(out.fileno())
        os.replace(part, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            part.unlink()
        raise StoreError(f"{path}: cannot be written ({error})") from error
    if sync and POSIX:  # the rename itself must reach the disk before the data written after it
        descriptor = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
