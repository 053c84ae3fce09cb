"""Jobs run to their end without threads: progress is throttled and copied, cancel is honoured, errors are words."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from app.jobs import JobStatus, ProgressThrottle, describe_error, run_job
from archive.errors import ThreadcoderError
from archive.jobs import CancelToken


@dataclass
class Counts:
    done: int = 0
    seen: list[int] = field(default_factory=list)


def counting_job(steps: int):
    def job(cancel: CancelToken):
        counts = Counts()
        for i in range(steps):
            counts.done = i + 1
            yield counts  # the same object every time, as the import does with its counts
            if cancel.cancelled:
                return f"stopped after {counts.done}"
        return f"counted {steps}"

    return job


class FakeClock:
    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_a_job_returns_its_result_and_passes_copies_of_its_progress():
    reports: list[Counts] = []
    outcome = run_job("Count", counting_job(3), CancelToken(), reports.append, throttle=ProgressThrottle(0))
    assert outcome.status is JobStatus.DONE
    assert outcome.result == "counted 3"
    assert [r.done for r in reports] == [1, 2, 3]  # copies: later changes to the counts did not reach them


def test_progress_is_throttled_to_the_interval():
    reports: list[Counts] = []
    clock = FakeClock(step=0.03)  # each report comes 30 ms after the previous one
    run_job("Count", counting_job(20), CancelToken(), reports.append, throttle=ProgressThrottle(0.1, clock))
    assert 4 <= len(reports) <= 6
    assert reports[0].done == 1  # the first report always passes, so a bar appears at once


def test_a_cancelled_job_ends_as_cancelled_with_what_it_returned():
    cancel = CancelToken()

    def on_progress(counts: Counts) -> None:
        if counts.done == 2:
            cancel.cancel()

    outcome = run_job("Count", counting_job(100), cancel, on_progress, throttle=ProgressThrottle(0))
    assert outcome.status is JobStatus.CANCELLED
    assert outcome.result == "stopped after 2"


def test_an_expected_error_is_shown_as_its_own_message(caplog):
    def job(_cancel):
        yield 1
        raise ThreadcoderError("tweets.jsonl: the file is empty")

    outcome = run_job("Import", job, CancelToken(), lambda _p: None)
    assert outcome.status is JobStatus.FAILED
    assert outcome.message == "tweets.jsonl: the file is empty"
    assert not caplog.records  # nothing to log: it is the user's file, not our bug


def test_an_unexpected_error_is_logged_with_its_traceback_and_told_in_words(caplog, tmp_path):
    def job(_cancel):
        yield from ()
        return {}["missing"]

    with caplog.at_level(logging.ERROR, logger="threadcoder.ui"):
        outcome = run_job("Import", job, CancelToken(), lambda _p: None, log_file=tmp_path / "threadcoder.log")
    assert outcome.status is JobStatus.FAILED
    assert outcome.message.startswith("Something went wrong (KeyError: 'missing').")
    assert str(tmp_path / "threadcoder.log") in outcome.message
    assert "Traceback" not in outcome.message
    assert caplog.records[0].exc_info is not None  # the traceback went to the log


def test_an_error_raised_before_the_first_step_is_reported_too():
    def job(_cancel):
        raise ThreadcoderError("the project is open in another Threadcoder process")

    outcome = run_job("Import", job, CancelToken(), lambda _p: None)
    assert outcome.status is JobStatus.FAILED
    assert "another Threadcoder process" in outcome.message


def test_describe_error_without_a_log_file_still_says_where_details_went():
    assert "written to the log" in describe_error(ValueError("bad"))
