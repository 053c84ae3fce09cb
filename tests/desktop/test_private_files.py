"""Everything Threadcoder writes is readable by the user only (POSIX 0600 files, 0700 folders), whatever the umask:
a new project, its database, lock and backups, the log and every export shape."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from archive.export import ExportOptions
from archive.store.project import BACKUP_FOLDER, Project, backup
from desktop.logs import setup_logging
from tests.archive.agreement.projects import make_study
from tests.archive.export.leaks import export_every_shape

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; Windows keeps its folder ACLs")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """umask 0: anything not made private on purpose would come out 0666 or 0777."""
    old = os.umask(0)
    yield
    os.umask(old)


def test_a_new_project_is_private(tmp_path: Path) -> None:
    folder = tmp_path / "studies" / "new.threadcoder"
    with Project.create_or_open(folder) as project:
        project.db.conn.execute("CREATE TABLE t (x)")  # something in the write-ahead log
        assert mode(folder) == 0o700
        assert mode(tmp_path / "studies") == 0o700  # created for the project: as private
        files = ("project.db", "project.db-wal", "project.db-shm", "project.lock", "project.open", "project.checked")
        assert {p.name: mode(p) for p in folder.iterdir() if p.is_file()} == {name: 0o600 for name in files}


def test_backups_are_private(tmp_path: Path) -> None:
    with Project.create_or_open(tmp_path / "p.threadcoder") as project:
        copy = backup(project.db.conn, project.folder / BACKUP_FOLDER, "test")
    assert mode(copy.parent) == 0o700 and mode(copy) == 0o600


def test_the_log_is_private_and_so_are_its_rotations(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("THREADCODER_DATA_DIR", str(tmp_path / "data"))
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = setup_logging()
        logging.getLogger("test").warning("a traceback may quote a post")
        assert mode(path.parent) == 0o700 and mode(path) == 0o600
        handler = next(h for h in root.handlers if isinstance(h, RotatingFileHandler) and h not in before)
        handler.doRollover()
        assert mode(path) == 0o600 and mode(path.with_name(path.name + ".1")) == 0o600
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()


def test_an_old_log_is_made_private(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("THREADCODER_DATA_DIR", str(tmp_path))
    old = tmp_path / "threadcoder.log"
    old.write_text("written by an older version\n", encoding="utf-8")
    old.chmod(0o644)
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        assert mode(setup_logging()) == 0o600
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()


def test_every_export_shape_is_private(tmp_path: Path) -> None:
    study = make_study(tmp_path / "study.threadcoder", posts=4)
    try:
        study.code_all({"ana": {1: ["Irony"], 2: [], 3: ["Male survivor"]}, "bo": {1: [], 2: ["Irony"], 3: []}})
        study.code("ana", 4, "Irony")
        from archive.export import ensure_pseudonym_salt

        ensure_pseudonym_salt(study.db)
        out = tmp_path / "exports"
        out.mkdir(mode=0o755)
        files = export_every_shape(study.project, out, ExportOptions(pseudonymise=True))
    finally:
        study.project.close()
    assert {f.suffix for f in files} == {".csv", ".qdpx"}
    assert {str(f.relative_to(out)): mode(f) for f in files} == {str(f.relative_to(out)): 0o600 for f in files}
    folders = {f.parent for f in files if f.parent != out}
    assert len(folders) == 4 and all(mode(folder) == 0o700 for folder in folders)  # made by the export
    assert mode(out) == 0o755  # a folder the researcher made is left as it is
    assert not list(out.rglob("*.part"))
