"""The app's upkeep, off the UI thread: the daily integrity check and the daily backup, in the counts job."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from app.jobs import JobStatus, run_job
from app.list_jobs import ProjectCounts, counts_job
from archive.jobs import CancelToken, drain
from archive.store.backups import list_backups
from archive.store.health import CHECKED_NAME, last_check
from archive.store.project import Project
from tests.archive.test_store_health import corrupt_pages, make_project


def age_last_check(folder: Path) -> None:
    """Make the last passing check two days old."""
    path = folder / CHECKED_NAME
    data = json.loads(path.read_text())
    data["checked_at"] = (last_check(folder).at - timedelta(days=2)).isoformat()
    path.write_text(json.dumps(data))


def test_the_app_checks_daily_in_the_background_and_backs_up_there(tmp_path):
    folder = make_project(tmp_path / "p")
    for backup in list_backups(folder):
        backup.path.unlink()
    with Project(folder, check=False) as project:
        assert list_backups(folder) == []  # check=False: the app opens at once, nothing is read or copied
        counted = drain(counts_job(project.folder)(CancelToken()))
        assert isinstance(counted, ProjectCounts) and counted.problem is None and counted.info["posts"] == 400
        assert [backup.reason for backup in list_backups(folder)] == ["daily"]
        checked = last_check(folder).at
        drain(counts_job(project.folder)(CancelToken()))
        assert last_check(folder).at == checked  # checked less than a day ago: not again
        age_last_check(folder)
        aged = last_check(folder).at
        drain(counts_job(project.folder)(CancelToken()))
        assert last_check(folder).at > aged  # a day later: checked again


def test_the_app_reports_damage_found_by_its_daily_check(tmp_path):
    folder = make_project(tmp_path / "p")
    age_last_check(folder)
    corrupt_pages(folder)
    with Project(folder, writable=False, check=False) as project:
        outcome = run_job("Count posts", counts_job(project.folder), CancelToken(), lambda _progress: None)
    # The window warns with the counts when the damage spares them, or says why they cannot be read.
    said = outcome.result.problem if outcome.status is JobStatus.DONE else outcome.message
    assert "failed its integrity check" in (said or "")
