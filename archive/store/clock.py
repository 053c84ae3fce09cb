"""The one clock of the store: every time it records is UTC ISO-8601 with milliseconds, in one format."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> str:
    """The current UTC time as ``YYYY-MM-DDTHH:MM:SS.mmmZ``, so actions in one second keep their order."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
