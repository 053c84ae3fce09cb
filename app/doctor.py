"""Checking a project (``threadcoder doctor``, Help › Check Project): what is wrong, in words, and the safe repairs."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app.jobs import Job
from app.search_run import Busy
from archive.errors import ProjectCorruptError, ThreadcoderError
from archive.jobs import CancelToken, drain
from archive.store.backups import Backup, list_backups, restore, take_backup
from archive.store.health import describe_age, unclean_marker, utcnow
from archive.store.index_queue import queued_count
from archive.store.lock import LockState, clear_stale_pid, lock_state
from archive.store.project import APPLICATION_ID, DB_NAME, INDEX_FOLDER, Project
from archive.store.schema import SCHEMA_VERSION
from index.indexer import IndexHealth, catch_up, rebuild
from index.indexer import check as check_index

OK, NOTE, PROBLEM = "ok", "note", "problem"
RESTORE = "restore the newest good backup into a new folder beside the project (this one is left as it is)"
SPARE_BYTES = 64 << 20


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the check looked at: how it stands (ok, note, problem), in words, and what a repair would do."""

    topic: str
    level: str
    text: str
    repair: str | None = None


@dataclass(slots=True)
class Report:
    """Everything the check found about one project."""

    folder: Path
    findings: list[Finding] = field(default_factory=list)
    backups: list[Backup] = field(default_factory=list)
    schema: int | None = None
    db_bytes: int = 0
    integrity: str | None = None  # "ok", the failure, or None when it could not run
    damaged: bool = False  # unreadable or failed its check: repairs restore a backup aside
    index: IndexHealth | None = None
    queued: int | None = None
    lock: LockState | None = None
    free_bytes: int = 0
    checked_at: datetime = field(default_factory=utcnow)

    @property
    def healthy(self) -> bool:
        return all(finding.level != PROBLEM for finding in self.findings)

    def add(self, topic: str, level: str, text: str, repair: str | None = None) -> None:
        self.findings.append(Finding(topic, level, text, repair))

    def as_dict(self) -> dict[str, Any]:
        """The report for ``--json``."""
        index, lock = self.index, self.lock
        findings = [{"topic": f.topic, "level": f.level, "text": f.text, "repair": f.repair} for f in self.findings]
        return {
            "project": str(self.folder),
            "healthy": self.healthy,
            "checked_at": self.checked_at.isoformat(),
            "findings": findings,
            "schema_version": self.schema,
            "schema_expected": SCHEMA_VERSION,
            "database_bytes": self.db_bytes,
            "integrity": self.integrity,
            "index": None if index is None else _index_dict(index),
            "index_queue": self.queued,
            "backups": [backup_dict(item, self.checked_at) for item in self.backups],
            "lock": None if lock is None else {"held": lock.held, "pid": lock.pid or None, "stale": lock.stale},
            "free_bytes": self.free_bytes,
        }


def _index_dict(index: IndexHealth) -> dict[str, Any]:
    return {"state": index.state, "reason": index.reason, "indexed": index.indexed, "expected": index.expected}


def backup_dict(item: Backup, now: datetime) -> dict[str, Any]:
    return {
        "name": item.name,
        "path": str(item.path),
        "taken_at": item.taken_at.isoformat(),
        "reason": item.reason,
        "age_seconds": int((now - item.taken_at).total_seconds()),
        "bytes": item.size,
    }


def diagnose(folder: Path, *, thorough: bool = False) -> Generator[Busy, None, Report]:
    """Check the project in ``folder`` without changing it (only the record of a passing check is written)."""
    report = Report(Path(folder))
    db_path = report.folder / DB_NAME
    if not db_path.is_file():
        report.add("database", PROBLEM, f"there is no {DB_NAME} in {report.folder}: this is not a Threadcoder project")
        return report
    report.db_bytes = db_path.stat().st_size
    report.lock = lock_state(report.folder)
    report.backups = list_backups(report.folder)
    unclean = unclean_marker(report.folder)  # read before the check below records that it covered it
    yield Busy("Checking the database (this reads all of it)")
    try:
        project = Project.attach(report.folder, writable=False)
    except ThreadcoderError as error:
        report.damaged = True
        report.add("database", PROBLEM, str(error), RESTORE)
    else:
        with project:
            if _identity(project, report):
                _integrity(project, report, thorough)
                if report.integrity == "ok" and report.schema == SCHEMA_VERSION:
                    yield Busy("Checking the search index")
                    report.queued = queued_count(project.db.conn)
                    report.index = check_index(project)
    _shutdown(report, unclean)
    _index(report)
    _backups(report)
    _lock(report)
    _disk(report)
    return report


def doctor_job(folder: Path, *, thorough: bool = False) -> Job:
    """``diagnose`` as a job for the app's runner; returns the Report."""

    def job(_cancel: CancelToken) -> Generator[Busy, None, Report]:
        return (yield from diagnose(folder, thorough=thorough))

    return job


def check_project(folder: Path, *, thorough: bool = False) -> Report:
    """``diagnose`` run to its end on this thread."""
    return drain(diagnose(folder, thorough=thorough))


def _identity(project: Project, report: Report) -> bool:
    conn = project.db.conn
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        report.schema = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except Exception as error:  # an unreadable file is a finding, not a crash of the check
        report.damaged = True
        report.add(
            "database", PROBLEM, f"{report.folder / DB_NAME} is not a readable SQLite database ({error})", RESTORE
        )
        return False
    size = f"{report.db_bytes / 1e6:,.1f} MB"
    if app_id != APPLICATION_ID:
        report.add("database", PROBLEM, f"{DB_NAME} ({size}) is an SQLite file, but not a Threadcoder project")
        return False
    if report.schema > SCHEMA_VERSION:
        report.add(
            "database",
            PROBLEM,
            f"{DB_NAME} ({size}) was written by a newer Threadcoder (schema "
            f"{report.schema}; this version knows {SCHEMA_VERSION}): update Threadcoder",
        )
    elif report.schema < SCHEMA_VERSION:
        report.add(
            "database",
            NOTE,
            f"{DB_NAME} ({size}) has schema {report.schema}; it is upgraded to "
            f"{SCHEMA_VERSION}, after a backup, the next time it is opened for writing",
        )
    else:
        report.add("database", OK, f"{DB_NAME}: {size}, schema {report.schema} (current)")
    return True


def _integrity(project: Project, report: Report, thorough: bool) -> None:
    name = "integrity_check" if thorough else "quick_check"
    started = time.perf_counter()
    try:
        project.check_integrity(thorough=thorough)
    except ProjectCorruptError as error:
        report.integrity, report.damaged = str(error), True
        report.add("integrity", PROBLEM, f"SQLite's {name} found damage: {error}", RESTORE)
        return
    report.integrity = "ok"
    report.add("integrity", OK, f"SQLite's {name} passed ({time.perf_counter() - started:.1f} s)")


def _shutdown(report: Report, unclean: Any) -> None:
    if unclean is not None:
        checked = "; the integrity check above ran because of it" if report.integrity else ""
        report.add(
            "shutdown",
            NOTE,
            f"{unclean.describe()} ended without closing (the program was killed or "
            f"crashed, or the computer lost power){checked}",
        )
    else:
        report.add("shutdown", OK, "the last session that wrote the project closed it properly")


def _index(report: Report) -> None:
    health = report.index
    if health is None:
        if report.integrity == "ok":
            report.add("search index", NOTE, "not checked: the project needs upgrading first")
        return
    queued = report.queued or 0
    missing = health.state == "rebuild" and not (report.folder / INDEX_FOLDER).exists()
    if queued and not missing:  # without an index, building it covers the queue
        report.add(
            "index queue",
            NOTE,
            f"{queued:,} changed posts wait to be indexed; the next search (or 'threadcoder index') catches up",
            "index them now",
        )
    elif not missing:
        report.add("index queue", OK, "no changes wait to be indexed")
    if health.state == "ok":
        report.add("search index", OK, f"{health.indexed:,} posts indexed, as many as the project holds")
    elif missing:
        report.add("search index", NOTE, "there is no search index yet; it is built at the first search", "build it")
    elif health.state == "rebuild":
        report.add("search index", PROBLEM, f"{health.reason}", "rebuild the index from the database")
    # "catch-up" is the queue's finding above: the counts cannot be compared until it is empty


def _backups(report: Report) -> None:
    backups, now = report.backups, report.checked_at
    if not backups:
        repair = "take one now" if report.integrity == "ok" else None
        report.add(
            "backups",
            PROBLEM,
            "there are no backups in backups/; one is taken the next time the project is opened for writing",
            repair,
        )
        return
    newest, oldest = backups[0], backups[-1]
    text = (
        f"{len(backups)} in backups/, the newest {describe_age(now - newest.taken_at)} old ({newest.name}), "
        f"the oldest {describe_age(now - oldest.taken_at)} old"
    )
    report.add("backups", OK, text)


def _lock(report: Report) -> None:
    state = report.lock
    if state is None:
        return
    if state.mine:
        report.add("lock", OK, "open for writing in this Threadcoder")
    elif state.held:
        report.add(
            "lock",
            NOTE,
            f"open for writing by another Threadcoder (process {state.pid or 'unknown'}, "
            "running); repairs wait until it is closed",
        )
    elif state.stale:
        report.add(
            "lock",
            NOTE,
            f"project.lock names process {state.pid}, which is no longer running (it ended "
            "without closing the project); harmless, the next program to open the project takes the lock",
            "clear the stale process id",
        )
    elif state.held is None:
        report.add(
            "lock", NOTE, "cannot tell whether another program writes the project (project.lock is not writable here)"
        )
    else:
        report.add("lock", OK, "not open for writing anywhere")


def _disk(report: Report) -> None:
    try:
        report.free_bytes = shutil.disk_usage(report.folder).free
    except OSError as error:
        report.add("disk", NOTE, f"the free space cannot be read ({error})")
        return
    free, size = report.free_bytes, report.db_bytes
    text = f"{free / 1e9:,.1f} GB free on the project's disk"
    if free < size + SPARE_BYTES:
        report.add(
            "disk",
            PROBLEM,
            f"{text}: not enough for a backup of the {size / 1e6:,.0f} MB database; "
            "imports and coding may fail: free some space",
        )
    elif free < 2 * size + (1 << 30):
        report.add("disk", NOTE, f"{text}: little room beside a {size / 1e6:,.0f} MB database and its backups")
    else:
        report.add("disk", OK, text)


def report_text(report: Report) -> str:
    """The report in plain words, one finding a line, with the repairs ``--repair`` would make."""
    lines = [f"Checking {report.folder}", ""]
    for finding in report.findings:
        lines.append(f"  {finding.level:<8} {finding.topic}: {finding.text}")
        if finding.repair and finding.level != OK:
            lines.append(f"  {'':<8} repair: {finding.repair}")
    lines.append("")
    now = report.checked_at
    for item in report.backups:
        lines.append(f"  backup   {item.name}  {describe_age(now - item.taken_at)} old  {item.size / 1e6:,.1f} MB")
    if report.backups:
        lines.append("")
    problems = sum(finding.level == PROBLEM for finding in report.findings)
    if problems:
        lines.append(
            f"{problems} problem{'s' if problems != 1 else ''} found. "
            f"'threadcoder doctor {report.folder} --repair' makes the safe repairs; it never deletes data."
        )
    else:
        lines.append("The project is healthy.")
    return "\n".join(lines)


def repair(report: Report, on_step: Callable[[str], None] | None = None) -> list[str]:
    """Make the safe repairs the report calls for; returns what was done, in words. Never deletes data.

    A damaged database is left as it is: the newest backup that passes its check is restored into a new
    folder beside it. Otherwise: a stale lock file is emptied, a missing backup taken, the index rebuilt or
    brought up to date. The project must not be open for writing elsewhere.
    """
    say = on_step or (lambda _text: None)
    done: list[str] = []
    folder = report.folder
    if report.lock is not None and report.lock.held:
        raise ThreadcoderError(
            f"{folder}: the project is open for writing in a Threadcoder (process "
            f"{report.lock.pid or 'unknown'}); close it there, then repair"
        )
    if report.damaged:
        say("Restoring the newest good backup into a new folder")
        done.append(_restore_newest(report))
        return done
    if report.lock is not None and report.lock.stale and clear_stale_pid(folder):
        done.append(f"cleared the stale process id {report.lock.pid} from project.lock")
    if report.integrity != "ok" or report.schema != SCHEMA_VERSION:
        return done
    with Project(folder, check=False) as project:  # check=False: no daily backup or rotation, nothing deleted
        if not report.backups:
            say("Taking a backup")
            taken = take_backup(project.db.conn, folder, "doctor", checked=True)
            done.append(f"took a backup: {taken}")
        health = report.index
        if health is not None and health.state == "rebuild":
            say("Rebuilding the search index")
            summary = drain(rebuild(project))
            done.append(f"rebuilt the search index ({summary.indexed:,} posts)")
        elif report.queued:
            say("Indexing the changed posts")
            summary = drain(catch_up(project))
            done.append(f"indexed {summary.indexed:,} changed posts")
    return done


def _restore_newest(report: Report) -> str:
    """Restore the newest backup that passes its check into ``<project>-restored-<time>.threadcoder``."""
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    target = report.folder.with_name(f"{report.folder.stem}-restored-{stamp}{report.folder.suffix}")
    for item in report.backups:
        try:
            restore(item.path, target)
        except ProjectCorruptError:
            continue
        return (
            f"restored {item.name} (taken {describe_age(report.checked_at - item.taken_at)} ago) into {target}; "
            f"{report.folder} is left as it was. Work done since that backup is not in the copy."
        )
    raise ThreadcoderError(
        f"{report.folder}: the database is damaged and no backup passes its check; keep a copy of "
        "the folder and ask for help (docs/trust.md)"
    )
