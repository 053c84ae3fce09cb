"""The bundled demo archive: the demo project made from ``resources/demo``, and kept once it holds work."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from archive.errors import ThreadcoderError
from archive.importing.pipeline import import_source
from archive.importing.sources import Source
from archive.jobs import drain
from archive.store.project import Project

DEMO_ARCHIVE = "metoo_demo.jsonl"


def demo_archive_path() -> Path:
    """The demo archive file inside the installed package."""
    return Path(str(resources.files("resources") / "demo" / DEMO_ARCHIVE))


@dataclass(frozen=True, slots=True)
class DemoProject:
    """Where the demo project is, whether it was there already, and where an earlier one was moved."""

    folder: Path
    reused: bool = False
    kept: Path | None = None


def open_demo_project(folder: Path, *, fresh: bool = False) -> DemoProject:
    """The demo project in ``folder``: the one already there (with any coding done in it), else a new one.

    With ``fresh``, a new one is made and an earlier one is moved beside it, never deleted: researchers
    try coding, coders and memos in the demo, and re-running ``threadcoder demo`` once wiped them.
    """
    if folder.exists() and not fresh and (folder / "project.db").exists():
        return DemoProject(folder, reused=True)
    kept = _move_aside(folder) if folder.exists() else None
    with Project.create_or_open(folder) as project:
        drain(import_source(project, Source(demo_archive_path())))
    return DemoProject(folder, kept=kept)


def make_demo_project(folder: Path) -> Path:
    """A new demo project in ``folder`` (an earlier one there is moved beside it); returns the folder."""
    return open_demo_project(folder, fresh=True).folder


def _move_aside(folder: Path) -> Path:
    if not (folder / "project.db").exists():
        raise ThreadcoderError(f"{folder} exists and is not a Threadcoder project; not replacing it")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = folder.with_name(f"{folder.stem}-{stamp}{folder.suffix}")
    counter = 1
    while target.exists():  # two fresh demos in one second
        counter += 1
        target = folder.with_name(f"{folder.stem}-{stamp}-{counter}{folder.suffix}")
    os.replace(folder, target)
    return target
