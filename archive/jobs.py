"""Long work as plain generators: they yield progress, honour a cancel token and return a result."""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TypeVar

P = TypeVar("P")
R = TypeVar("R")


class CancelToken:
    """Set by whoever started the work (a Cancel button, Ctrl-C); checked between batches."""

    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


def drain(job: Generator[P, None, R], on_progress: Callable[[P], None] | None = None) -> R:
    """Run a job to its end on this thread, passing each progress report on; returns its result."""
    while True:
        try:
            progress = next(job)
        except StopIteration as stop:
            result: R = stop.value
            return result
        if on_progress is not None:
            on_progress(progress)


@dataclass(frozen=True, slots=True)
class JobProgress:
    """``done`` of ``total`` steps of the current ``stage`` ("bootstrap", "writing long.csv", ...)."""

    stage: str
    done: int
    total: int


def cancelled(cancel: CancelToken | None) -> bool:
    """Whether whoever started the job asked it to stop."""
    return cancel is not None and cancel.cancelled
