"""The ``.part`` files of an export: private while written, removed by the next export to the same name or folder
when a killed export left them, and never renamed into place by an export whose file another one took over."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from archive.export import ExportError, export, export_job
from archive.store.project import Project
from tests.archive.agreement.projects import Study
from tests.archive.export.conftest import read_rows

ROOT = Path(__file__).resolve().parents[3]
posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes and SIGKILL are POSIX")

# Exports in a child process that kills itself (SIGKILL: no cleanup can run) once its first file is half written.
KILLED = """
import os, signal, sys
from pathlib import Path
from archive.export import export_job
from archive.store.project import Project
import archive.export.coder_rows
archive.export.coder_rows.PROGRESS_EVERY = 1
with Project(Path(sys.argv[1]), writable=False) as project:
    job = export_job(project.db.conn, sys.argv[2], Path(sys.argv[3]))
    for progress in job:
        if progress.stage.startswith("writing"):
            os.kill(os.getpid(), signal.SIGKILL)
"""


def _kill_during(project: Path, shape: str, target: Path) -> None:
    child = subprocess.run(
        [sys.executable, "-c", KILLED, str(project), shape, str(target)], cwd=ROOT, capture_output=True, check=False
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()


@posix_only
def test_parts_left_by_a_killed_export_go_when_the_next_export_starts(coded: Study, tmp_path: Path) -> None:
    folder = tmp_path / "matrices"
    _kill_during(coded.project.folder, "units_x_coders", folder)
    left = sorted(p.name for p in folder.iterdir())
    assert left and all(name.endswith(".csv.part") for name in left)  # what a killed export leaves
    assert all(stat.S_IMODE((folder / name).stat().st_mode) == 0o600 for name in left)
    (folder / "Renamed_since__units_x_coders.csv.part").write_text("old post text", encoding="utf-8")
    (folder / "notes.txt.part").write_text("not ours", encoding="utf-8")
    result = export(coded.db.conn, "units_x_coders", folder)
    assert sorted(p.name for p in folder.glob("*.part")) == ["notes.txt.part"]
    assert any("unfinished" in note for note in result.notes)


@posix_only
def test_a_killed_export_to_a_file_leaves_parts_the_next_export_removes(coded: Study, tmp_path: Path) -> None:
    target = tmp_path / "data.csv"
    _kill_during(coded.project.folder, "long", target)
    assert (tmp_path / "data.csv.part").exists()
    (tmp_path / "data_coder_units.csv.part").write_text("left by a killed long export", encoding="utf-8")
    (tmp_path / "data_codemap.csv.part").write_text("left by a killed recal2 export", encoding="utf-8")
    export(coded.db.conn, "dataset", target)  # another shape, to the same name
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("data")) == ["data.csv"]


@posix_only
@pytest.mark.parametrize("shape", ["units_x_coders", "qdpx", "long"])
def test_parts_are_private_while_written(coded: Study, tmp_path: Path, monkeypatch, shape: str) -> None:
    monkeypatch.setattr("archive.export.coder_rows.PROGRESS_EVERY", 1)
    old = os.umask(0)
    try:
        target = tmp_path / ("out" if shape == "units_x_coders" else f"out.{shape}")
        job = export_job(coded.db.conn, shape, target)
        try:
            parts: list[Path] = []
            for _ in job:
                parts = list(tmp_path.rglob("*.part"))
                if parts:
                    break
            assert parts and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in parts)
        finally:
            job.close()
    finally:
        os.umask(old)


def test_an_export_whose_file_another_export_took_over_writes_nothing(
    coded: Study, tmp_path: Path, monkeypatch
) -> None:
    """Two exports to one name at once: the later one wins whole, the earlier one fails and says why."""
    monkeypatch.setattr("archive.export.coder_rows.PROGRESS_EVERY", 1)
    target = tmp_path / "long.csv"
    first = export_job(coded.db.conn, "long", target)
    try:
        next(first)  # its .part exists and is half written
        with Project(coded.project.folder, writable=False) as other:
            export(other.db.conn, "completion", target)
        written = target.read_bytes()
        with pytest.raises(ExportError, match="another export"):
            for _ in first:
                pass
    finally:
        first.close()
    assert target.read_bytes() == written
    assert list(read_rows(target)[0]) == ["unit_id", "coder_id", "status"]
    assert not list(tmp_path.glob("*.part"))


def test_a_file_open_in_another_program_is_a_clear_error(coded: Study, tmp_path: Path, monkeypatch) -> None:
    # On Windows a CSV open in Excel cannot be replaced: once an 'unexpected error', logged as a bug.
    from archive.export import files

    def refuse(_source: object, _target: object) -> None:
        raise PermissionError(13, "The process cannot access the file because it is being used")

    monkeypatch.setattr(files.os, "replace", refuse)
    target = tmp_path / "long.csv"
    with pytest.raises(ExportError, match="open in another program"):
        export(coded.db.conn, "long", target)
    assert not target.exists()
