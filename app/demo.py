"""The bundled demo archive: a fresh demo project made from ``resources/demo``."""

from __future__ import annotations

import shutil
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


def make_demo_project(folder: Path) -> Path:
    """Replace ``folder`` with a fresh project holding the demo archive; returns the folder."""
    if folder.exists():
        if not (folder / "project.db").exists():
            raise ThreadcoderError(f"{folder} exists and is not a Threadcoder project; not replacing it")
        shutil.rmtree(folder)
    with Project.create_or_open(folder) as project:
        drain(import_source(project, Source(demo_archive_path())))
    return folder
