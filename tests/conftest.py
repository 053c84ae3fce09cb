"""Shared fixtures: the real archive samples in ../shared/realdata, skipped when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


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
