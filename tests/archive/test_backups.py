"""Backups on a schedule and before destructive operations: taken checked, rotated, listed, restored aside."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archive.errors import ProjectCorruptError, ThreadcoderError
from archive.store.backups import (
    BACKUP_FOLDER,
    KEEP_BEFORE,
    KEEP_DAILY,
    KEEP_WEEKLY,
    backup_before,
    list_backups,
    prune,
    restore,
    scheduled_backup,
)
from archive.store.project import Project
from tests.archive.test_store_health import corrupt_pages, make_project


def posts_in(database: Path) -> int:
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM posts").fetchone()[0])
    finally:
        conn.close()


def age_backups(folder: Path, days: float) -> None:
    """Make every backup ``days`` older, as if it was taken then (its time is in its name)."""
    for item in list_backups(folder):
        taken = (item.taken_at - timedelta(days=days)).strftime("%Y%m%dT%H%M%SZ")
        item.path.rename(item.path.with_name(f"project-{taken}-{item.reason}.db"))


def test_opening_for_writing_takes_a_daily_backup_when_the_newest_is_a_day_old(tmp_path):
    folder = tmp_path / "p"
    with Project.create_or_open(folder):
        pass
    assert list_backups(folder) == []  # a new, empty project: nothing to keep yet
    make_project(folder)  # opens it for writing again, writes posts, opens it once more
    backups = list_backups(folder)
    assert [item.reason for item in backups] == ["daily"]
    assert posts_in(backups[0].path) == 0  # taken on opening: the project as it was before that session
    Project(folder).close()
    Project(folder, writable=False).close()
    assert len(list_backups(folder)) == 1  # the newest is less than a day old; readers never back up
    age_backups(folder, 1.5)
    Project(folder).close()
    assert [item.reason for item in list_backups(folder)] == ["daily", "daily"]
    assert posts_in(list_backups(folder)[0].path) == 400


def test_a_backup_is_one_private_sqlite_file_and_a_killed_one_is_never_listed(tmp_path):
    folder = make_project(tmp_path / "p")
    (taken,) = list_backups(folder)
    assert sorted(p.name for p in (folder / BACKUP_FOLDER).iterdir()) == [taken.name]  # no -wal beside it
    assert taken.path.stat().st_mode & 0o777 == 0o600
    part = folder / BACKUP_FOLDER / "project-20260101T000000Z-daily.db.part"
    part.write_bytes(b"half a copy")
    assert [item.name for item in list_backups(folder)] == [taken.name]
    prune(folder)
    assert part.exists()  # it may be a backup being written now
    os.utime(part, (1, 1))
    prune(folder)
    assert not part.exists()  # an hour old: left by a killed backup


def test_a_damaged_database_is_never_backed_up(tmp_path):
    folder = make_project(tmp_path / "p")
    age_backups(folder, 2)
    before = list_backups(folder)
    corrupt_pages(folder)
    with pytest.raises(ProjectCorruptError, match="integrity check"):
        Project(folder)  # the daily backup is due: it checks first
    assert list_backups(folder) == before


def test_the_rotation_keeps_7_daily_4_weekly_the_last_5_before_operations_and_nothing_else(tmp_path):
    folder = tmp_path / "p"
    backups = folder / BACKUP_FOLDER
    backups.mkdir(parents=True)
    now = datetime(2026, 6, 30, 12, tzinfo=UTC)
    names = []
    for days in range(60):  # a daily backup (two on some days) for 60 days, a merge now and then
        for hours in (0, 3) if days % 2 else (0,):
            names.append(f"project-{(now - timedelta(days=days, hours=hours)):%Y%m%dT%H%M%SZ}-daily.db")
        if days % 9 == 0:
            names.append(f"project-{(now - timedelta(days=days, hours=1)):%Y%m%dT%H%M%SZ}-before-merge-codes.db")
    (backups / "notes.txt").write_text("the researcher's own file")
    for name in names:
        (backups / name).write_bytes(b"")
    prune(folder)
    kept = {(item.reason, (now - item.taken_at).days) for item in list_backups(folder)}
    # Days back of the daily backups kept: the last 7 days, then the newest of each earlier week (Sundays).
    assert {days for reason, days in kept if reason == "daily"} == {0, 1, 2, 3, 4, 5, 6, 9, 16}
    assert (KEEP_DAILY, KEEP_WEEKLY, KEEP_BEFORE) == (7, 4, 5)  # as docs/trust.md says
    assert {days for reason, days in kept if reason == "before-merge-codes"} == {0, 9, 18, 27, 36}  # the last 5
    assert len(kept) == 9 + KEEP_BEFORE
    assert (backups / "notes.txt").exists()  # never ours to delete


def test_backup_before_a_destructive_operation_takes_a_checked_copy(tmp_path):
    folder = make_project(tmp_path / "p")
    with Project(folder) as project:
        taken = backup_before(project, "merge codes")
        again = backup_before(project.db, "settle")  # the archive's operations are given the database
    assert taken is not None and taken.name.endswith("-before-merge-codes.db")
    assert again is not None and again.name.endswith("-before-settle.db")
    assert posts_in(taken) == 400
    from sqlite_utils import Database

    assert backup_before(Database(memory=True), "test") is None  # nothing on disk to back up


def test_backup_before_refuses_a_damaged_database_so_the_operation_does_not_run(tmp_path):
    folder = make_project(tmp_path / "p")
    corrupt_pages(folder)
    with Project(folder, check=False) as project, pytest.raises(ProjectCorruptError):
        backup_before(project, "merge codes")


def test_restore_makes_a_new_project_and_never_overwrites_one(tmp_path):
    folder = make_project(tmp_path / "p")
    (taken,) = list_backups(folder)
    before = (folder / "project.db").read_bytes()
    with pytest.raises(ThreadcoderError, match="new or empty folder"):
        restore(taken.path, folder)
    restored = restore(taken.path, tmp_path / "restored.threadcoder")
    assert (folder / "project.db").read_bytes() == before
    with Project(restored, writable=False) as opened:
        assert opened.db.execute("SELECT count(*) FROM posts").fetchone()[0] == 400


def test_a_damaged_backup_is_not_restored(tmp_path):
    folder = make_project(tmp_path / "p")
    (taken,) = list_backups(folder)
    corrupt_pages(taken.path.parent.parent)  # the project, then copy the damage over the backup
    taken.path.write_bytes((folder / "project.db").read_bytes())
    with pytest.raises(ProjectCorruptError, match="damaged too"):
        restore(taken.path, tmp_path / "restored")
    assert not (tmp_path / "restored" / "project.db").exists()


def test_only_the_process_that_writes_the_project_takes_the_daily_backup(tmp_path):
    folder = make_project(tmp_path / "p")
    age_backups(folder, 2)
    with Project(folder, writable=False, check=False) as reader:
        assert scheduled_backup(reader.db.conn, folder) is None
    assert len(list_backups(folder)) == 1
