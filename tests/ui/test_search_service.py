"""The search process: answers searches and facets, refuses with reasons, and survives being stopped."""

from __future__ import annotations

import os
import signal

import pytest

from archive.errors import ThreadcoderError
from archive.jobs import CancelToken, drain
from archive.project import Project
from ui.search_run import index_job
from ui.search_service import SearchService


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


def test_a_killed_process_is_reported_and_the_next_search_starts_another(service, demo_folder):
    drain(index_job(demo_folder)(CancelToken()))
    service.ask(("ping",))
    first = service._process.pid
    os.kill(first, signal.SIGKILL)
    with pytest.raises(ThreadcoderError, match="stopped unexpectedly"):
        service.ask(("search", "metoo", "relevance", None, 10))
    assert service.ask(("search", "metoo", "relevance", None, 10))[0] > 0
    assert service._process.pid != first


def test_cancelling_a_search_stops_the_process_and_answers_nothing(service, demo_folder):
    drain(index_job(demo_folder)(CancelToken()))
    service.ask(("ping",))
    cancel = CancelToken()
    cancel.cancel()
    assert service.ask(("search", "metoo", "relevance", None, 10), cancel) is None
    assert not service.running
    assert service.ask(("search", "metoo", "relevance", None, 10))[0] > 0
