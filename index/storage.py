"""The index folder on disk: creating, opening and version-checking it, and swapping in a rebuilt one."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import Index

from archive.errors import ThreadcoderError
from index.schema import INDEX_VERSION, make_schema
from index.whoosh_format import read_segments_in_place

read_segments_in_place()  # every index is opened through this module: searchers read segments in place

# Our own marker next to Whoosh's files (Whoosh's clean-up only touches files that match its own names).
VERSION_FILE = "threadcoder-index.json"
REBUILD_SUFFIX = ".rebuild"
OLD_SUFFIX = ".old"


class IndexUnavailableError(ThreadcoderError):
    """The index folder is missing, unreadable or from another version: it needs a rebuild."""


def _marker(folder: Path) -> dict[str, object]:
    try:
        data = json.loads((folder / VERSION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def index_version(folder: Path) -> int | None:
    """The index format version written in ``folder``, or None when there is none to read."""
    version = _marker(folder).get("version")
    return version if isinstance(version, int) else None


def index_build(folder: Path) -> str | None:
    """The stamp of the index in ``folder``, new for every index created (a rebuild's too). A searcher
    cannot tell a swapped-in rebuild by Whoosh's generation number, which starts again at each new index."""
    build = _marker(folder).get("build")
    return build if isinstance(build, str) else None


def is_current(folder: Path) -> bool:
    """Whether ``folder`` holds an index this version of Threadcoder can use as it is."""
    return index_version(folder) == INDEX_VERSION and whoosh_index.exists_in(str(folder))


def create_index(folder: Path) -> Index:
    """A new, empty index in ``folder`` (created; anything Whoosh left there before is replaced)."""
    folder.mkdir(parents=True, exist_ok=True)
    index = whoosh_index.create_in(str(folder), make_schema())
    marker = {"version": INDEX_VERSION, "build": uuid.uuid4().hex}
    (folder / VERSION_FILE).write_text(json.dumps(marker), encoding="utf-8")
    return index


def open_index(folder: Path) -> Index:
    """The index in ``folder``; raises ``IndexUnavailableError`` with the reason when it cannot be used."""
    if not whoosh_index.exists_in(str(folder)):
        raise IndexUnavailableError(f"{folder}: no search index yet; run `threadcoder index` to build it")
    if index_version(folder) != INDEX_VERSION:
        raise IndexUnavailableError(f"{folder}: the search index is from another version; it must be rebuilt")
    try:
        return whoosh_index.open_dir(str(folder))
    except Exception as error:  # Whoosh raises plain exceptions for damaged files
        raise IndexUnavailableError(f"{folder}: the search index cannot be read ({error}); rebuild it") from error


def rebuild_folder(folder: Path) -> Path:
    """Where a rebuild writes, beside the live index, so that a cancelled rebuild leaves the old one usable."""
    return folder.with_name(folder.name + REBUILD_SUFFIX)


def swap_in(rebuilt: Path, folder: Path) -> None:
    """Replace the index in ``folder`` with the finished rebuild in ``rebuilt``."""
    old = folder.with_name(folder.name + OLD_SUFFIX)
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    rebuilt.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def discard(folder: Path) -> None:
    """Remove an unfinished rebuild."""
    shutil.rmtree(folder, ignore_errors=True)
