"""Database errors turned into the project's own error, so the window never handles the database module's types."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from archive.errors import StoreError


@contextmanager
def store_errors(action: str) -> Iterator[None]:
    """Raise a ``sqlite3.Error`` met while doing ``action`` as a StoreError that says what failed."""
    try:
        yield
    except sqlite3.Error as error:
        raise StoreError(f"{action}: the project database answered “{error}”") from error
