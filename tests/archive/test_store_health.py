"""Integrity checks that cost nothing: none on a clean open, one after an unclean shutdown, daily in the app."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from archive.errors import ProjectCorruptError
from archive.importing.batch_writer import BatchWriter
from archive.importing.batches import Batch
from archive.importing.records import PostRecord
from archive.store.health import CHECKED_NAME, MARKER_NAME, check_due, last_check, read_marker
from archive.store.lock import lock_state
from archive.store.project import Project

ROOT = Path(__file__).resolve().parents[2]


def make_project(folder: Path, posts: int = 400) -> Path:
    records = [PostRecord("twitter", str(i), text="words " * 50, raw={"id": str(i)}) for i in range(posts)]
    with Project.create_or_open(folder) as project, project.db.atomic():
        project.db.conn.execute(
            "INSERT INTO imports (id, file, sha256, format, status, started_at) "
            "VALUES (1, 't', 'x', 't', 'complete', 't')"
        )
        BatchWriter(project.db.conn, 1, "t.jsonl").write(Batch(records=records))
    with Project(folder) as project:  # the first writing open after creation: the daily backup
        project.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return folder


def corrupt_pages(folder: Path) -> None:
    """Overwrite pages in the middle of a closed project's database, as a failing disk would."""
    path = folder / "project.db"
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page * 3, len(data) - page, page * 2):
        data[start + 100 : start + 400] = b"\xff" * 300
    path.write_bytes(bytes(data))


def kill_a_writer(folder: Path, *, check: bool = True) -> None:
    """A process opens the project for writing and is killed with SIGKILL, as a crash would end it."""
    code = (
        "import os, signal, sys\n"
        "from archive.store.project import Project\n"
        f"project = Project(sys.argv[1], check={check})\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(folder)], cwd=ROOT, capture_output=True, check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr


def run_python(code: str, folder: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", code, str(folder)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_a_cleanly_closed_project_opens_without_reading_the_whole_database(tmp_path):
    """quick_check read all of project.db on every open (3.8 s of a 4.75 s search at 1M posts)."""
    folder = make_project(tmp_path / "p")
    corrupt_pages(folder)  # damage in pages an open never reads: left to doctor, the daily check and backups
    with Project(folder, writable=False) as opened:
        assert opened.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    assert not (folder / MARKER_NAME).exists()


def test_after_a_writer_is_killed_the_next_open_checks_the_database(tmp_path):
    folder = make_project(tmp_path / "p")
    kill_a_writer(folder)
    assert read_marker(folder) is not None and lock_state(folder).stale
    assert "ended without closing" in (check_due(folder) or "")
    corrupt_pages(folder)
    with pytest.raises(ProjectCorruptError, match="failed its integrity check"):
        Project(folder, writable=False)
    with pytest.raises(ProjectCorruptError, match="restore a copy from backups"):  # and again: it stays due
        Project(folder)


def test_the_check_after_a_crash_runs_once(tmp_path):
    folder = make_project(tmp_path / "p")
    kill_a_writer(folder)
    with Project(folder, writable=False):
        pass  # checks, and records that the crash is covered
    assert check_due(folder) is None
    assert last_check(folder).covers == read_marker(folder).token
    corrupt_pages(folder)
    Project(folder, writable=False).close()  # not checked again


def test_a_writer_that_defers_the_check_keeps_it_due_until_one_passes(tmp_path):
    """The app opens without checking and checks in the background; killed first, the check is still due."""
    folder = make_project(tmp_path / "p")
    kill_a_writer(folder)
    with Project(folder, check=False):  # takes over the dead session's marker with its own
        assert check_due(folder) is not None
    assert not (folder / MARKER_NAME).exists()  # closed cleanly, yet the crash before it is still unchecked
    assert check_due(folder) is not None
    corrupt_pages(folder)
    with pytest.raises(ProjectCorruptError):
        Project(folder, writable=False)


def test_a_live_writer_is_not_taken_for_a_crash(tmp_path):
    folder = make_project(tmp_path / "p")
    with Project(folder):
        assert read_marker(folder) is not None
        code = "import sys, pathlib\nfrom archive.store.health import check_due\n"
        code += "print(check_due(pathlib.Path(sys.argv[1])))"
        seen = run_python(code, folder)
        assert seen.stdout.strip() == "None", seen.stderr
    assert read_marker(folder) is None


def test_a_failed_open_ends_its_session_cleanly(tmp_path):
    folder = make_project(tmp_path / "p")
    kill_a_writer(folder)
    corrupt_pages(folder)
    with pytest.raises(ProjectCorruptError):
        Project(folder)
    assert read_marker(folder) is None and not lock_state(folder).stale
    assert not (folder / CHECKED_NAME).exists()  # the failed check is due at every open until repaired


def test_a_reader_in_the_writers_own_process_does_not_drop_its_lock(tmp_path):
    """POSIX record locks belong to the process: probing the lock file from here would release it."""
    folder = make_project(tmp_path / "p")
    with Project(folder):
        assert lock_state(folder).mine
        Project(folder, writable=False).close()
        code = "import sys\nfrom archive.store.project import Project\nProject(sys.argv[1])"
        second = run_python(code, folder)
        assert "open in another Threadcoder process" in second.stderr
    assert os.path.getsize(folder / "project.lock") == 0


def test_a_marker_cut_short_still_counts_as_an_unclean_shutdown(tmp_path):
    folder = make_project(tmp_path / "p")
    (folder / MARKER_NAME).write_text('{"token": "ab')  # a power cut in the middle of writing it
    assert "ended without closing" in (check_due(folder) or "")
    Project(folder, writable=False).close()  # checks, and covers this marker
    assert check_due(folder) is None
    os.utime(folder / MARKER_NAME, ns=(1, 1))  # another one, as garbled, from a later crash
    assert check_due(folder) is not None
