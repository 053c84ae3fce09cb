"""The bridge between core jobs and Qt: jobs run one at a time on a worker thread, progress comes back as signals.

One runner serialises everything it is given (like a single writer per project): an import and the
index catch-up that follows it never write the project at the same time. The worker thread only runs
``app.jobs.run_job``; it never touches a widget. Qt delivers the signals it emits to the UI thread.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

from app.jobs import Job, JobOutcome, JobStatus, run_job
from archive.jobs import CancelToken

OutcomeHandler = Callable[[JobOutcome], None]


class _JobThread(QThread):
    """One job on its own thread; ``outcome`` is set before ``finished`` is emitted."""

    progressed = Signal(object)

    def __init__(self, title: str, job: Job, cancel: CancelToken, log_file: Path | None) -> None:
        super().__init__()
        self.title = title
        self._job = job
        self.cancel = cancel
        self._log_file = log_file
        self.outcome: JobOutcome | None = None
        self.setObjectName(f"job: {title}")

    def run(self) -> None:
        self.outcome = run_job(self.title, self._job, self.cancel, self.progressed.emit, log_file=self._log_file)


class JobRunner(QObject):
    """Runs submitted jobs in order on a worker thread.

    Signals:
        started(str): a job's title, when it starts.
        progressed(object): a copy of a progress report of the running job (at most ~10 a second).
        finished(object): the ``JobOutcome`` of every job (done, cancelled or failed with a message).
        unrouted(object): the outcome of a job submitted without ``on_done``, for a catch-all handler.
        idle(): nothing is running or waiting any more.

    Whoever submits a job says who takes its outcome (``on_done``), so outcomes are routed by the
    submission itself: no handler has to recognise a job by its title or by the type of its result.
    """

    started = Signal(str)
    progressed = Signal(object)
    finished = Signal(object)
    unrouted = Signal(object)
    idle = Signal()

    def __init__(self, parent: QObject | None = None, *, log_file: Path | None = None) -> None:
        super().__init__(parent)
        self._log_file = log_file
        self._pending: deque[tuple[str, Job, OutcomeHandler | None]] = deque()
        self._thread: _JobThread | None = None
        self._on_done: OutcomeHandler | None = None
        self._delivering = False  # an outcome is being handed out: new jobs wait in the queue
        self._generation = 0  # counts shutdowns

    @property
    def log_file(self) -> Path | None:
        """Where unexpected errors of jobs are logged (named in their messages)."""
        return self._log_file

    @property
    def busy(self) -> bool:
        return self._thread is not None or bool(self._pending)

    @property
    def current_title(self) -> str | None:
        return None if self._thread is None else self._thread.title

    def submit(self, title: str, job: Job, on_done: OutcomeHandler | None = None) -> None:
        """Run ``job`` after the jobs already submitted; ``on_done`` takes its outcome on the UI thread."""
        self._pending.append((title, job, on_done))
        if self._thread is None and not self._delivering:
            self._start_next()

    def cancel(self) -> None:
        """Ask the running job to stop at its next batch boundary, and drop the waiting ones."""
        self._pending.clear()
        if self._thread is not None:
            self._thread.cancel.cancel()

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until the running job's thread has ended (tests, shutdown); False on timeout."""
        return self._thread is None or self._thread.wait(timeout_ms)

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel everything and wait for the worker to stop; no signal is emitted afterwards."""
        self.cancel()
        self._on_done = None
        self._generation += 1
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.progressed.disconnect(self.progressed)
        thread.finished.disconnect(self._on_thread_finished)
        return bool(thread.wait(timeout_ms))

    def _start_next(self) -> None:
        if not self._pending:
            self.idle.emit()
            return
        title, job, self._on_done = self._pending.popleft()
        thread = _JobThread(title, job, CancelToken(), self._log_file)
        thread.progressed.connect(self.progressed)
        thread.finished.connect(self._on_thread_finished)
        self._thread = thread
        self.started.emit(title)
        thread.start()

    @Slot()
    def _on_thread_finished(self) -> None:
        thread = self._thread
        if thread is None or not thread.isFinished():
            return  # a late signal from a thread that shutdown() already took care of
        thread.wait()
        self._thread = None
        outcome = thread.outcome or JobOutcome(thread.title, JobStatus.FAILED, message="the job ended without a result")
        on_done, self._on_done = self._on_done, None
        # While the outcome is delivered, a job its handler submits (a search's next page, the indexing
        # after an import) only queues. Once it started at once, and the line below started another
        # beside it: two jobs wrote the project at the same time, and idle was announced too early.
        self._delivering = True
        generation = self._generation
        try:
            if on_done is None:
                self.unrouted.emit(outcome)
            elif _alive(on_done):  # a lambda is not checked: hand in bound methods of the widget
                on_done(outcome)
            self.finished.emit(outcome)
        finally:
            self._delivering = False
        if generation == self._generation:  # a handler's shutdown() means: nothing more, not even idle
            self._start_next()


def _alive(handler: OutcomeHandler) -> bool:
    """False when the handler is a method of a widget Qt has deleted since (a dialog closed meanwhile)."""
    owner = getattr(handler, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


def outcome_text(outcome: JobOutcome, done: str = "") -> str:
    """A one-line account of an outcome for a status line."""
    if outcome.status is JobStatus.FAILED:
        return f"{outcome.title} failed: {outcome.message}"
    if outcome.status is JobStatus.CANCELLED:
        return f"{outcome.title} cancelled; what was finished before is saved."
    return done or f"{outcome.title} finished."
