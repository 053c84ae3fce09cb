"""Ctrl-C during a long command asks the job to stop at its next batch, instead of killing it mid-batch."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from archive.jobs import CancelToken


@contextmanager
def interrupt_cancels(cancel: CancelToken) -> Iterator[None]:
    """While active, the first Ctrl-C sets ``cancel``; a second one interrupts at once.

    A KeyboardInterrupt raised inside a job's generator would end the generator there: its batch is rolled
    back and it can report nothing. Setting the token lets the job commit, say what it did and return.
    """
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        yield
        return

    def on_interrupt(_signum: int, _frame: FrameType | None) -> None:
        if cancel.cancelled:
            raise KeyboardInterrupt
        cancel.cancel()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
