"""A read-only file object over a memory view: what Whoosh reads a segment's files through, in place.

Whoosh-Reloaded 2.7.5 wraps each mapped segment file in a ``BytesIO``, which copies it (1.3 GB for a
million posts); ``index.whoosh_format.read_segments_in_place`` hands it a ``MappedFile`` instead. This
module knows nothing of Whoosh: it is a file, with the one extra method the patched ``BufferFile`` calls.
"""

from __future__ import annotations

import io
import os
import pickle
from typing import Any

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
