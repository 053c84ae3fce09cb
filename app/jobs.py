"""Running one core job to its end, Qt-free: throttled progress, cancellation, and errors told in words.

A job is a function that takes a ``CancelToken`` and returns a generator: each ``yield`` is a progress
report (and a point where the job may notice the token), the generator's return value is the result.
``run_job`` drives such a generator on whatever thread calls it; ``ui.common.job_runner`` calls it on a worker
thread and turns its callbacks into Qt signals. Tests call it directly, without threads.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from archive.errors import ThreadcoderError
from archive.jobs import CancelToken

Job = Callable[[CancelToken], Generator[Any, None, Any]]
# About ten progress reports a second: more would only make the UI thread repaint for nothing.
PROGRESS_INTERVAL_S = 0.1

log = logging.getLogger("threadcoder.ui")


class JobStatus(StrEnum):
    """How a job ended."""

    DONE = "done"
    CANCELLED = "cancelled"  # the token was set; what the job committed before it stopped is kept
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class JobOutcome:
    """A finished job: its status, its result (DONE and CANCELLED) or a message for the user (FAILED)."""

    title: str
    status: JobStatus
    result: Any = None
    message: str = ""


def describe_error(error: BaseException, log_file: Path | None = None) -> str:
    """The message a user sees for ``error``; anything but a ThreadcoderError is logged with its traceback."""
    if isinstance(error, ThreadcoderError):
        return str(error)
    log.error("unexpected error in a background job", exc_info=(type(error), error, error.__traceback__))
    where = f" The details are in {log_file}." if log_file is not None else " The details were written to the log."
    return f"Something went wrong ({type(error).__name__}: {error}).{where} What was saved before it stays saved."


class ProgressThrottle:
    """Lets a report through at most every ``interval`` seconds; the first always passes."""

    def __init__(self, interval: float = PROGRESS_INTERVAL_S, clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = interval
        self._clock = clock
        self._last: float | None = None

    def ready(self) -> bool:
        now = self._clock()
        if self._last is not None and now - self._last < self._interval:
            return False
        self._last = now
        return True


def run_job(
    title: str,
    job: Job,
    cancel: CancelToken,
    on_progress: Callable[[Any], None],
    *,
    log_file: Path | None = None,
    throttle: ProgressThrottle | None = None,
) -> JobOutcome:
    """Run ``job`` to its end on this thread and say how it ended; never raises for the job's errors.

    Progress reports are copied before they are passed on, because jobs may keep updating the object
    they yielded (the import's counts) while the receiver, on another thread, reads it.
    """
    gate = throttle or ProgressThrottle()
    try:
        steps = job(cancel)
        while True:
            try:
                progress = next(steps)
            except StopIteration as stop:
                status = JobStatus.CANCELLED if cancel.cancelled else JobStatus.DONE
                return JobOutcome(title, status, stop.value)
            if gate.ready():
                on_progress(copy.deepcopy(progress))
    except Exception as error:  # a job's failure is reported, never raised into Qt's event loop
        return JobOutcome(title, JobStatus.FAILED, message=describe_error(error, log_file))
