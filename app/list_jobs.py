"""Reading what the window shows about a big project off the UI thread: the post list and the counts (Qt-free).

On a million posts, listing every collected post reads the whole ``posts`` table (its rows carry the raw
archive objects, so ``kind`` is spread over gigabytes) and the counts of the status line take seconds
more; both run as read-only jobs while the window stays usable.
"""

from __future__ import annotations

import logging
import sqlite3
from array import array
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.jobs import Job
from app.posts_query import PAGE_SIZE, Column, PostRow, list_rowids, read_rows
from app.search_run import Busy
from archive.errors import ProjectCorruptError, StoreError
from archive.jobs import CancelToken
from archive.store.backups import backup_due, scheduled_backup
from archive.store.health import DAILY, check_due
from archive.store.lock import holds_lock
from archive.store.project import Project
from archive.store.stats import project_info

log = logging.getLogger("threadcoder")


@dataclass(frozen=True, slots=True)
class PostList:
    """The rowids of a post list, and the request they answer (a newer request makes it stale)."""

    token: int
    rowids: array[int]
    first_page: list[PostRow] = field(default_factory=list)  # the first PAGE_SIZE rows, read with the list


@dataclass(frozen=True, slots=True)
class ProjectCounts:
    """The figures of ``threadcoder info`` for the status line, and what the integrity check found."""

    info: dict[str, Any]
    problem: str | None = None


def list_job(
    folder: Path, token: int, order: tuple[Column, bool] | None, coder_id: int | None, scope: array[int] | None
) -> Job:
    """A job that lists the posts (all, or the scope) in ``order``; returns a PostList."""

    def job(_cancel: CancelToken) -> Generator[Busy, None, PostList]:
        yield Busy("Listing posts")
        with Project.attach(folder, writable=False) as project:
            rowids = list_rowids(project.db.conn, order, coder_id, scope)
            return PostList(token, rowids, read_rows(project.db.conn, rowids[:PAGE_SIZE], coder_id))

    return job


def _info_of_damaged(project: Project, error: ProjectCorruptError) -> dict[str, Any]:
    """The counts of a database that failed its check, when the damage spares them; else the failure itself."""
    try:
        return project_info(project.db)
    except sqlite3.DatabaseError:
        raise error from None


def counts_job(folder: Path) -> Job:
    """A job that counts posts, threads, replies, placeholders and errors; returns ProjectCounts.

    It is also the app's upkeep, off the UI thread: the integrity check when it is due (after an unclean
    shutdown, or a day after the last), and, in the process that writes the project, the daily backup.
    """

    def job(_cancel: CancelToken) -> Generator[Busy, None, ProjectCounts]:
        with Project.attach(folder, writable=False) as project:
            checked = check_due(folder, DAILY) is not None
            if checked:
                yield Busy("Checking the project")
                try:
                    project.check_integrity()
                except ProjectCorruptError as error:
                    return ProjectCounts(_info_of_damaged(project, error), str(error))
            yield Busy("Counting")
            info = project_info(project.db)
            if holds_lock(folder) and backup_due(folder):
                yield Busy("Backing up the project")
                try:
                    scheduled_backup(project.db.conn, folder, checked=checked)
                except ProjectCorruptError as error:
                    return ProjectCounts(info, str(error))
                except StoreError as error:  # a full disk: the doctor reports it; counting is not the place
                    log.warning("no backup was taken: %s", error)
            return ProjectCounts(info)

    return job
