"""What every shape writer receives (the connection, the target path, the options) and what an export returns."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from archive.export.files import Outputs
from archive.export.options import ExportOptions
from archive.export.privacy import Pseudonyms, project_pseudonyms
from archive.jobs import CancelToken, JobProgress

PROGRESS_EVERY = 5000  # rows between progress reports: often enough for a bar, rarely enough to cost nothing


@dataclass
class ExportContext:
    """One export in progress; writers add their files to ``outputs`` and their remarks to ``notes``."""

    conn: sqlite3.Connection
    path: Path
    options: ExportOptions
    outputs: Outputs
    cancel: CancelToken | None = None
    notes: list[str] = field(default_factory=list)
    rows: int = 0  # items written outside CSV files (the sources of a .qdpx)
    _pseudonyms: Pseudonyms | None = None

    @property
    def pseudonyms(self) -> Pseudonyms | None:
        """The pseudonymiser (knowing the project's accounts) when the options ask for pseudonyms, else None."""
        if not self.options.pseudonymise:
            return None
        if self._pseudonyms is None:
            self._pseudonyms = project_pseudonyms(self.conn)
        return self._pseudonyms


Writer = Callable[[ExportContext], Iterator[JobProgress]]
"""A shape: writes its files through ``ctx.outputs``, yielding progress now and then."""


@dataclass(frozen=True)
class ExportResult:
    """The files an export wrote (none when cancelled), the data rows (posts for a .qdpx) and any remarks."""

    shape: str
    files: tuple[Path, ...] = ()
    rows: int = 0
    notes: tuple[str, ...] = ()
    cancelled: bool = False
