"""A real project with coders and a codebook (see tests/archive/agreement/projects.py), closed after each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.archive.agreement.projects import Study, make_study


@pytest.fixture
def study(tmp_path: Path) -> Iterator[Study]:
    made = make_study(tmp_path / "study.threadcoder")
    yield made
    made.project.close()
