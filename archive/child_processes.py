"""Forked helper processes that die with the process that forked them (Linux), so none outlives a kill.

Whoosh's multiprocess writer forks its workers. When the parent was killed (-9, a crash), they lived on
for minutes, blocked on a pipe, holding the project's files open. Inside ``children_die_with_parent``
every fork asks the kernel to kill the child when its parent dies (``PR_SET_PDEATHSIG``). Elsewhere the
operating system has no such request; there the children end when their pipe closes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_PR_SET_PDEATHSIG = 1


class _Guard:
    """How many callers ask for the guard now (contexts nest), and the pid of the process forking."""

    requests = 0
    forking_parent = 0


@contextmanager
def children_die_with_parent() -> Iterator[None]:
    """While inside, a process forked from this one is killed when this one dies."""
    _Guard.requests += 1
    try:
        yield
    finally:
        _Guard.requests -= 1


def _before_fork() -> None:
    _Guard.forking_parent = os.getpid()


def _in_child() -> None:
    if not _Guard.requests:
        return
    _set_death_signal()
    if os.getppid() != _Guard.forking_parent:  # the parent died before the request was made
        os._exit(1)


def _set_death_signal() -> None:
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return
    libc = ctypes.CDLL(libc_name, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


if sys.platform.startswith("linux"):
    os.register_at_fork(before=_before_fork, after_in_child=_in_child)
