"""Opening a searcher reads segment files in place: the index is not copied into memory."""

from __future__ import annotations

import io
import os
import pickle
import random
import tracemalloc
from typing import Any

import pytest
from whoosh.filedb import structfile

from archive.jobs import drain
from archive.store.project import Project
from index.indexer import catch_up
from index.mapped_files import MappedFile
from index.storage import open_index
from tests.index.conftest import post, write


def _searcher_peak(project: Project) -> int:
    """Python memory allocated at most while a searcher opens the index."""
    index = open_index(project.index_path)
    tracemalloc.start()
    try:
        searcher = index.searcher()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    searcher.close()
    return peak


def _copying_init(self: Any, buf: Any, name: str | None = None, onclose: Any = None) -> None:
    """Whoosh-Reloaded 2.7.5's own BufferFile.__init__: a BytesIO over the mapped bytes copies them."""
    self._buf, self._name, self.file, self.onclose = buf, name, io.BytesIO(buf), onclose
    self.is_real = self.is_closed = False


def test_opening_a_searcher_does_not_copy_the_segment_files(project: Project, monkeypatch: pytest.MonkeyPatch):
    chosen = random.Random(7)  # varied texts: postings that compress as little as real ones
    texts = [" ".join(f"word{chosen.randrange(2000)}" for _ in range(40)) for _ in range(2500)]
    write(project, *(post(str(n), text) for n, text in enumerate(texts)))
    drain(catch_up(project))
    on_disk = sum(path.stat().st_size for path in project.index_path.glob("*.seg"))
    in_place = _searcher_peak(project)
    monkeypatch.setattr(structfile.BufferFile, "__init__", _copying_init)
    copied = _searcher_peak(project)
    assert copied > on_disk / 3  # the copy holds the postings and the term index
    assert in_place < copied / 2, (in_place, copied)


def test_a_mapped_file_reads_seeks_and_reads_lines_like_a_file():
    data = b"first line\nsecond\nno newline at the end"
    mapped, reference = MappedFile(memoryview(data)), io.BytesIO(data)
    for source in (mapped, reference):
        assert source.read(5) == b"first"
        assert source.readline() == b" line\n"
        assert source.tell() == 11
        assert source.seek(-3, os.SEEK_END) == len(data) - 3
        assert source.read() == b"end"
        assert source.read(10) == b""
        source.seek(11)
        assert source.readline() == b"second\n"
        assert source.readline() == b"no newline at the end"
        buffer = bytearray(4)
        source.seek(0)
        assert source.readinto(buffer) == 4 and bytes(buffer) == b"firs"
    mapped.close()


def test_a_mapped_file_unpickles_in_place_and_stops_where_the_pickle_ends():
    small, large = {"block": (128, 4095, 1.0)}, list(range(5000))  # the second outgrows the first slice
    data = pickle.dumps(small, 2) + pickle.dumps(large, 2) + b"tail"
    mapped = MappedFile(memoryview(data))
    assert mapped.load_pickle() == small
    assert mapped.load_pickle() == large
    assert mapped.read() == b"tail"
    with pytest.raises(EOFError):
        mapped.load_pickle()
