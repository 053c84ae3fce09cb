"""The bundled demo archive: the demo project made from ``resources/demo``, and kept once it holds work."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from archive.coding.codebook_import import import_codebook
from archive.coding.codebook_io import read_codebook
from archive.coding.coders import add_coder, retire_coder
from archive.errors import ThreadcoderError
from archive.importing.pipeline import import_source
from archive.importing.sources import Source
from archive.jobs import drain
from archive.store.project import Project

DEMO_ARCHIVE = "metoo_demo.jsonl"
STARTER_CODEBOOK = "metoo-men"
SETUP_CODER = "threadcoder"


def demo_archive_path() -> Path:
    """The demo archive file inside the installed package."""
    return Path(str(resources.files("resources") / "demo" / DEMO_ARCHIVE))


@dataclass(frozen=True, slots=True)
class DemoProject:
    """Where the demo project is, whether it was there already, and where an earlier one was moved."""

    folder: Path
    reused: bool = False
    kept: Path | None = None


def open_demo_project(folder: Path, *, fresh: bool = False, starter_codebook: bool = True) -> DemoProject:
    """The demo project in ``folder``: the one already there (with any coding done in it), else a new one.

    With ``fresh``, a new one is made and an earlier one is moved beside it, never deleted: researchers
    try coding, coders and memos in the demo, and re-running ``threadcoder demo`` once wiped them.
    """
    if folder.exists() and not fresh and (folder / "project.db").exists():
        return DemoProject(folder, reused=True)
    kept = _move_aside(folder) if folder.exists() else None
    with Project.create_or_open(folder) as project:
        drain(import_source(project, Source(demo_archive_path())))
        if starter_codebook:
            _load_starter_codebook(project)
    return DemoProject(folder, kept=kept)


def starter_codebook_path(name: str = STARTER_CODEBOOK) -> Path:
    """A codebook shipped with the app (``metoo-men``, ``blank-template``)."""
    return Path(str(resources.files("resources") / "codebooks" / f"{name}.json"))


def _load_starter_codebook(project: Project) -> None:
    """The demo opens ready to code: the starter codebook on men in #MeToo, loaded under a setup name.

    Every codebook change is kept under a coder's name; the demo's first one is the app's own, retired at
    once, so the researcher's first coder is their own and the coder list offers only them.
    """
    setup = add_coder(project.db, SETUP_CODER, "Threadcoder, loading the demo's starter codebook")
    import_codebook(project.db, setup.id, read_codebook(starter_codebook_path()), f"{STARTER_CODEBOOK}.json")
    retire_coder(project.db, setup.id)


def make_demo_project(folder: Path, *, starter_codebook: bool = False) -> Path:
    """A new project holding the demo archive (an earlier one in ``folder`` is moved beside it).

    Without ``starter_codebook`` it holds the posts alone, no codebook and no coder: what tests and
    screenshots build on.
    """
    return open_demo_project(folder, fresh=True, starter_codebook=starter_codebook).folder


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
