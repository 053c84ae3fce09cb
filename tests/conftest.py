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
