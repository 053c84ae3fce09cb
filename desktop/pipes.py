"""A closed output pipe (``threadcoder search ... | head -1``) ends a command quietly, as Unix tools do."""

from __future__ import annotations

import os
import sys

SIGPIPE_STATUS = 141  # what a shell reports for a process that SIGPIPE ended, which scripts test for


def reader_went_away() -> int:
    """Point standard output at the null device, so Python's flush at exit stays quiet; the exit status."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return SIGPIPE_STATUS


def click_saw_a_closed_pipe(status: object) -> bool:
    """Whether click ended with its own answer to a closed pipe: status 1 and its streams pacified.

    click handles the pipe of a top-level ``--help`` itself, before any command of ours runs.
    """
    return status == 1 and type(sys.stdout).__name__.endswith("PacifyFlushWrapper")
