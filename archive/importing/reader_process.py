"""Reading an input into prepared batches, in this process or in a second one that uses the other core.

Parsing JSON and building rows is about half of an import's work and needs no database, so for large
inputs a reader process does it while this process writes. The queue between them is short, which keeps
memory bounded; the reader exits on its own if the importing process dies.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import traceback
from collections.abc import Iterator
from itertools import islice
from types import TracebackType
from typing import Any

from archive.errors import SourceReadError, ThreadcoderError
from archive.formats import FORMATS, ReadOptions
from archive.importing.batches import Batch, PreparedBatch, prepare
from archive.importing.post_rows import RawCodec
from archive.importing.records import DAMAGE_LOCATOR, ImportIssue, ImportItem, PostRecord, Tombstone, Unavailable
from archive.importing.sources import Source

QUEUE_BATCHES = 4
_PUT_TIMEOUT_S = 1.0


def batches(items: Iterator[ImportItem], size: int) -> Iterator[Batch]:
    """Items grouped into batches of ``size``; the last may be short (or empty, for an empty input)."""
    batch = Batch()
    try:
        for item in items:
            if isinstance(item, PostRecord):
                batch.records.append(item)
            elif isinstance(item, ImportIssue):
                batch.issues.append(item)
            elif isinstance(item, Tombstone):
                batch.tombstones.append(item)
            elif isinstance(item, Unavailable):
                batch.unavailable.append(item)
            if len(batch) >= size:
                yield batch
                batch = Batch()
    except SourceReadError as error:
        # A damaged or cut-off file: keep what was read, and record why the rest is missing.
        batch.issues.append(ImportIssue(0, str(error), locator=DAMAGE_LOCATOR))
    yield batch


def prepared_batches(
    source: Source, format_name: str, options: ReadOptions, skip: int, import_id: int, size: int
) -> Iterator[tuple[PreparedBatch, int]]:
    """Prepared batches of ``source`` after its first ``skip`` items, each with the bytes read so far."""
    reader = FORMATS[format_name].reader()
    codec = RawCodec()
    items = islice(reader(source, options), skip, None)
    for batch in batches(items, size):
        yield prepare(batch, codec, import_id), source.meter.done if source.meter else 0


class ReaderProcess:
    """``prepared_batches`` run in a child process; iterate it, and close it (or use ``with``)."""

    def __init__(
        self, source: Source, format_name: str, options: ReadOptions, skip: int, import_id: int, size: int
    ) -> None:
        context = multiprocessing.get_context("spawn")  # fork is unsafe in a process that runs Qt threads
        self._queue: Any = context.Queue(maxsize=QUEUE_BATCHES)
        args = (self._queue, source, format_name, options, skip, import_id, size, os.getpid())
        self._process = context.Process(target=_reader_main, args=args, daemon=True, name="threadcoder-reader")
        self._process.start()

    def __iter__(self) -> Iterator[tuple[PreparedBatch, int]]:
        while True:
            kind, payload = self._next_message()
            if kind == "done":
                return
            if kind == "error":
                raise payload
            yield payload

    def _next_message(self) -> tuple[str, Any]:
        while True:
            try:
                message: tuple[str, Any] = self._queue.get(timeout=_PUT_TIMEOUT_S)
                return message
            except queue.Empty:
                if not self._process.is_alive():
                    raise RuntimeError("the reader process stopped without a word") from None

    def close(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._queue.close()
        self._queue.join_thread()

    def __enter__(self) -> ReaderProcess:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


class ReaderCrashed(Exception):
    """An unexpected error in the reader process, as text: the exception itself may not survive pickling."""


def _reader_main(
    out: Any,
    source: Source,
    format_name: str,
    options: ReadOptions,
    skip: int,
    import_id: int,
    size: int,
    parent: int,
) -> None:
    # Ctrl-C reaches the whole process group: the importing process cancels and stops this one, which
    # must not print a traceback of its own meanwhile.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        for prepared in prepared_batches(source, format_name, options, skip, import_id, size):
            _put(out, ("batch", prepared), parent)
        _put(out, ("done", None), parent)
    except ThreadcoderError as error:
        _put(out, ("error", type(error)(str(error))), parent)
    except BaseException as error:  # anything, MemoryError included, goes back as a message
        _put(out, ("error", ReaderCrashed(f"{type(error).__name__}: {error}\n{traceback.format_exc()}")), parent)


def _put(out: Any, message: tuple[str, Any], parent: int) -> None:
    while True:
        try:
            out.put(message, timeout=_PUT_TIMEOUT_S)
            return
        except queue.Full:
            if os.getppid() != parent:  # the importing process died (killed): stop reading
                os._exit(1)
