"""Whoosh reads the files inside a segment straight from their memory map instead of copying them.

Whoosh-Reloaded 2.7.5 opens each segment as one memory-mapped compound file, then hands every file in it
(postings, term index, columns) to ``BufferFile``, which wraps the mapped bytes in a ``BytesIO``, and a
``BytesIO`` built from a memory view copies it. Opening a searcher therefore read the whole index into
memory: 1.3 GB for a million posts. ``install`` gives ``BufferFile`` a file object that reads the mapped
bytes in place; the operating system then keeps in memory only the pages a search touches.
"""

from __future__ import annotations

import io
import os
import pickle
from typing import Any

from whoosh.filedb import structfile

_LINE_CHUNK = 256
_PICKLE_CHUNK = 256  # a posting block's header is a pickle of about 30 bytes


class MappedFile:
    """A read-only file over a memory view (what ``BufferFile`` asks of its file), copying nothing."""

    def __init__(self, view: Any) -> None:
        self._view = memoryview(view)
        self._at = 0

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else min(len(self._view), self._at + size)
        data = bytes(self._view[self._at : end])
        self._at = max(self._at, end)
        return data

    def readinto(self, target: Any) -> int:
        data = self.read(len(target))
        target[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        limit = len(self._view) if size is None or size < 0 else min(len(self._view), self._at + size)
        end = self._at
        while end < limit:  # pickles read lines only for old protocols: rarely more than one chunk
            chunk = bytes(self._view[end : min(limit, end + _LINE_CHUNK)])
            newline = chunk.find(b"\n")
            if newline >= 0:
                end += newline + 1
                break
            end += len(chunk)
        return self.read(end - self._at)

    def load_pickle(self) -> Any:
        """The pickle at the current position, unpickled from one slice: the unpickler reads a file one
        opcode at a time, some twenty calls per posting block header."""
        size = _PICKLE_CHUNK
        while True:
            chunk = io.BytesIO(bytes(self._view[self._at : self._at + size]))
            try:
                value = pickle.load(chunk)
            except (EOFError, pickle.UnpicklingError):
                if self._at + size >= len(self._view):
                    raise
                size *= 16
                continue
            self._at += chunk.tell()
            return value

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._at, os.SEEK_END: len(self._view)}[whence]
        self._at = max(0, base + offset)
        return self._at

    def tell(self) -> int:
        return self._at

    def close(self) -> None:
        self._view.release()


def _buffer_file_init(self: Any, buf: Any, name: str | None = None, onclose: Any = None) -> None:
    self._buf = buf
    self._name = name
    self.file = MappedFile(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def _buffer_file_read_pickle(self: Any) -> Any:
    if isinstance(self.file, MappedFile):
        return self.file.load_pickle()
    return pickle.load(self.file)


def install() -> None:
    """Make Whoosh's ``BufferFile`` read in place (idempotent; the rest of ``BufferFile`` is unchanged)."""
    structfile.BufferFile.__init__ = _buffer_file_init
    structfile.BufferFile.read_pickle = _buffer_file_read_pickle
