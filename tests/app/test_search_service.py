"""The search process: answers searches and facets, refuses with reasons, and survives being stopped."""

from __future__ import annotations

import os
import signal

import pytest

from app.search_run import index_job
from app.search_service import SearchService
from archive.errors import ThreadcoderError
from archive.jobs import CancelToken, drain
from archive.store.project import Project


@pytest.fixture
def service(demo_folder):
    with Project(demo_folder):
        pass
    asked = SearchService(demo_folder)
    yield asked
    asked.stop()


def test_searches_and_facets_are_answered_by_another_process(service, demo_folder):
    drain(index_job(demo_folder)(CancelToken()))
    total, rowids, elapsed_ms = service.ask(("search", "#HowIWillChange", "date", None, 5))
    assert total > 5 and len(rowids) == 5 and elapsed_ms >= 0
    facets = service.ask(("facets", "#HowIWillChange", None))
    assert facets.hashtags[0][0].lower() == "howiwillchange"
    assert service.running and service._process.pid != os.getpid()


def test_a_project_without_an_index_is_refused_with_the_reason_and_the_process_goes_on(service, demo_folder):
    assert service.ask(("ping",)) is True  # starting the process does not need the index
    with pytest.raises(ThreadcoderError, match="index"):
        service.ask(("search", "metoo", "relevance", None, 10))
    assert service.running
    drain(index_job(demo_folder)(CancelToken()))
    assert service.ask(("search", "metoo", "relevance", None, 10))[0] > 0


def test_a_query_mistake_comes_back_as_a_message(service, demo_folder):
    drain(index_job(demo_folder)(CancelToken()))
    with pytest.raises(ThreadcoderError, match="never closed"):
        service.ask(("search", "(metoo", "relevance", None, 10))


class WhileWaiting(CancelToken):
    """A cancel token that does ``act`` at the job's first check while it waits for an answer (the check
    before sending comes first), then says whether it is cancelled."""

    def __init__(self, act, cancel: bool) -> None:
        self.checks, self.act, self.cancel_then = 0, act, cancel

    @property
    def cancelled(self) -> bool:
        self.checks += 1
        if self.checks == 2:
            self.act()
        return self.cancel_then and self.checks >= 2

    @cancelled.setter
    def cancelled(self, value: bool) -> None:
        pass


def test_a_process_killed_during_a_search_is_reported_and_the_next_search_starts_another(service, demo_folder):
    drain(index_job(demo_folder)(CancelToken()))
    service.ask(("ping",))
    first = service._process.pid
    os.kill(first, signal.SIGSTOP)  # it cannot answer before the job looks at it

    def kill() -> None:
        os.kill(first, signal.SIGKILL)
        service._process.join()

    with pytest.raises(ThreadcoderError, match="stopped unexpectedly"):
        service.ask(("search", "metoo", "relevance", None, 10), WhileWaiting(kill, cancel=False))
    assert not service.running
    assert service.ask(("search", "metoo", "relevance", None, 10))[0] > 0
    assert service._process.pid != first


def test_a_process_that_died_between_searches_is_replaced_quietly(service, demo_folder):
    drain(index_job(demo_folder)(CancelToken()))
    service.ask(("ping",))
    first = service._process.pid
    os.kill(first, signal.SIGKILL)
    service._process.join()
    assert service.ask(("search", "metoo", "relevance", None, 10))[0] > 0
    assert service._process.pid != first


def test_a_cancelled_search_is_not_sent_and_cancelling_while_waiting_stops_the_process(service, demo_folder):
    drain(index_job(demo_folder)(CancelToken()))
    service.ask(("ping",))
    cancelled = CancelToken()
    cancelled.cancel()
    assert service.ask(("search", "metoo", "relevance", None, 10), cancelled) is None
    assert service.running  # nothing was sent: the process goes on
    busy = service._process.pid
    os.kill(busy, signal.SIGSTOP)  # as if busy with a long search
    waiting = WhileWaiting(lambda: os.kill(busy, signal.SIGCONT), cancel=True)
    assert service.ask(("search", "metoo", "relevance", None, 10), waiting) is None
    assert not service.running  # stopped at once, not after its search
    assert service.ask(("search", "metoo", "relevance", None, 10))[0] > 0
