"""The job bridge: jobs run on a worker thread, one at a time; progress and outcomes arrive on the UI thread."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QCoreApplication, QThread

from app.jobs import JobOutcome, JobStatus
from archive.errors import ThreadcoderError
from archive.jobs import CancelToken
from ui.common.job_runner import JobRunner, outcome_text


@pytest.fixture
def runner(qtbot):
    made = JobRunner()
    yield made
    assert made.shutdown(5000)


def steps_job(n: int, delay: float = 0.0):
    def job(cancel: CancelToken):
        for i in range(n):
            if delay:
                time.sleep(delay)
            yield {"done": i + 1, "thread": threading.get_ident()}
            if cancel.cancelled:
                return "cancelled"
        return threading.get_ident()

    return job


def test_a_job_runs_off_the_ui_thread_and_its_signals_arrive_on_it(runner, qtbot):
    ui_thread = QThread.currentThread()
    seen_on: list[bool] = []
    runner.progressed.connect(lambda _p: seen_on.append(QThread.currentThread() is ui_thread))
    with qtbot.waitSignal(runner.finished, timeout=5000) as finished:
        runner.submit("Count", steps_job(3))
    outcome: JobOutcome = finished.args[0]
    assert outcome.status is JobStatus.DONE
    assert outcome.result != threading.get_ident()  # the job's own thread, not this one
    assert seen_on and all(seen_on)
    assert not runner.busy


def test_jobs_run_one_after_the_other_in_the_order_given(runner, qtbot):
    order: list[str] = []
    runner.finished.connect(lambda outcome: order.append(outcome.title))
    with qtbot.waitSignal(runner.idle, timeout=5000):
        runner.submit("first", steps_job(2, delay=0.01))
        runner.submit("second", steps_job(1))
        assert runner.current_title == "first"
    assert order == ["first", "second"]


def test_cancel_stops_the_running_job_at_its_next_step_and_drops_waiting_ones(runner, qtbot):
    titles: list[str] = []
    runner.finished.connect(lambda outcome: titles.append(outcome.title))
    with qtbot.waitSignal(runner.progressed, timeout=5000):
        runner.submit("long", steps_job(10_000, delay=0.001))
        runner.submit("never", steps_job(1))
    with qtbot.waitSignal(runner.idle, timeout=5000):
        runner.cancel()
    assert titles == ["long"]


def test_a_cancelled_job_reports_cancelled(runner, qtbot):
    with qtbot.waitSignal(runner.progressed, timeout=5000):
        runner.submit("long", steps_job(10_000, delay=0.001))
    with qtbot.waitSignal(runner.finished, timeout=5000) as finished:
        runner.cancel()
    assert finished.args[0].status is JobStatus.CANCELLED
    assert "cancelled; what was finished before is saved" in outcome_text(finished.args[0])


def test_a_failing_job_reports_a_message_and_the_next_job_still_runs(runner, qtbot):
    def failing(_cancel):
        yield 1
        raise ThreadcoderError("archive.zip: not a readable zip file")

    outcomes: list[JobOutcome] = []
    runner.finished.connect(outcomes.append)
    with qtbot.waitSignal(runner.idle, timeout=5000):
        runner.submit("Import", failing)
        runner.submit("Count", steps_job(1))
    assert [o.status for o in outcomes] == [JobStatus.FAILED, JobStatus.DONE]
    assert outcome_text(outcomes[0]) == "Import failed: archive.zip: not a readable zip file"


def test_shutdown_stops_a_running_job_and_nothing_is_emitted_after(qtbot):
    runner = JobRunner()
    finished: list[object] = []
    runner.finished.connect(finished.append)
    with qtbot.waitSignal(runner.progressed, timeout=5000):
        runner.submit("long", steps_job(10_000, delay=0.001))
    assert runner.shutdown(5000)
    assert not runner.busy
    QCoreApplication.processEvents()
    assert finished == []


def test_each_outcome_goes_to_the_handler_given_with_its_job_whatever_its_title(runner, qtbot):
    got: dict[str, list[object]] = {"first": [], "second": [], "unrouted": []}
    runner.unrouted.connect(lambda outcome: got["unrouted"].append(outcome.result))
    runner.submit("Same title", lambda _c: (yield from ()) or "one", lambda o: got["first"].append(o.result))
    runner.submit("Same title", lambda _c: (yield from ()) or "two", lambda o: got["second"].append(o.result))
    with qtbot.waitSignal(runner.idle, timeout=5000):
        runner.submit("Same title", lambda _c: (yield from ()) or "three")
    assert got == {"first": ["one"], "second": ["two"], "unrouted": ["three"]}


def test_a_handler_whose_widget_was_deleted_meanwhile_is_not_called(runner, qtbot):
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    runner.submit("Slow", steps_job(3, delay=0.05), label.setText)  # a widget's method: checked before the call
    label.deleteLater()
    QCoreApplication.sendPostedEvents(None, 0)  # the label is gone before the jobs end
    with qtbot.waitSignal(runner.idle, timeout=5000):
        pass


def test_a_job_submitted_by_a_handler_waits_its_turn(runner, qtbot):
    # A handler that submitted a job (a search's next page, indexing after an import) once started it at
    # once, beside the job the runner then started from its queue: two jobs wrote the project together.
    running = 0
    most = 0
    lock = threading.Lock()

    def counted(cancel: CancelToken):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        yield None
        with lock:
            running -= 1
        return "done"

    runner.submit("first", counted, lambda _outcome: runner.submit("from the handler", counted))
    runner.submit("queued", counted)
    with qtbot.waitSignal(runner.idle, timeout=5000):
        pass
    assert most == 1
