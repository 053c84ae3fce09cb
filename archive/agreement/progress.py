"""Progress of a long job (agreement with its bootstrap, an export), as the GUI and the CLI show it."""

from __future__ import annotations

from dataclasses import dataclass

from archive.jobs import CancelToken


@dataclass(frozen=True, slots=True)
class JobProgress:
    """``done`` of ``total`` steps of the current ``stage`` ("bootstrap", "writing long.csv", ...)."""

    stage: str
    done: int
    total: int


def cancelled(cancel: CancelToken | None) -> bool:
    """Whether whoever started the job asked it to stop."""
    return cancel is not None and cancel.cancelled
