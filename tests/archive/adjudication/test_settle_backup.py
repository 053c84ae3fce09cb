"""Settling by a rule writes gold values in bulk: a backup of the project as it was is taken first."""

from __future__ import annotations

import sqlite3

from archive.adjudication import settle
from archive.store.backups import list_backups
from tests.archive.adjudication.test_adjudication import _three_coders
from tests.archive.agreement.projects import Study


def test_settling_backs_the_project_up_first(study: Study) -> None:
    _three_coders(study)
    report = settle(study.db, "majority", study.coders["ana"].id)
    assert report.unanimous + report.majority > 0
    (taken,) = [item for item in list_backups(study.project.folder) if item.reason == "before-settle-majority"]
    copy = sqlite3.connect(f"file:{taken.path}?mode=ro", uri=True)
    try:
        assert copy.execute("SELECT count(*) FROM gold").fetchone()[0] == 0  # the state before the rule ran
        assert copy.execute("SELECT count(*) FROM codings").fetchone()[0] > 0
    finally:
        copy.close()
