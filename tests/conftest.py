"""Shared fixtures: the real archive samples in ../shared/realdata, skipped when absent."""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

import pytest

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
NETWORK_GUARD = Path(__file__).resolve().parent / "network_guard"


def pytest_configure(config: pytest.Config) -> None:
    """No test may use the network: a hook refuses it here, and sitecustomize in every process started."""
    sys.path.insert(0, str(NETWORK_GUARD))
    from no_network import install

    install()
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(NETWORK_GUARD), os.environ.get("PYTHONPATH")]))


@pytest.fixture
def realdata() -> Path:
    """The folder of real archive files; tests that use it skip on machines without ../shared."""
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata is not present")
    return REALDATA


@pytest.fixture(autouse=True)
def no_leaked_threads():
    """Fail a test that leaves a thread running: background work must always be finished or stopped."""
    import threading

    before = {t.ident for t in threading.enumerate()}
    yield
    leaked = [t for t in threading.enumerate() if t.ident not in before and t.is_alive() and not t.daemon]
    assert not leaked, f"threads left running: {[t.name for t in leaked]}"


@pytest.fixture(autouse=True)
def no_leaked_search_processes():
    """Fail a test that leaves a search process running: closing the project must stop it."""
    from app import search_run

    yield
    left = list(search_run._services)
    search_run.close_searches()
    assert not multiprocessing.active_children(), "a child process was left running"
    assert not left, f"search processes left running for {left}"


@pytest.fixture
def demo_folder(tmp_path):
    """A fresh project holding the demo archive (318 posts in 36 threads, one bad line)."""
    from app.demo import make_demo_project

    return make_demo_project(tmp_path / "demo.threadcoder")
