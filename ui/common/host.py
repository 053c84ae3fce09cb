"""What every controller may ask of the window it lives in: the open project, and ways to tell the user.

Each controller declares, beside itself, a Protocol that adds just what else it needs (``ListHost``,
``SearchHost``, ...). mypy checks that the main window fits each one, and a controller cannot reach for
anything its Protocol does not name; that keeps the window a place controllers plug into, not a hub
they all reach through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pathlib import Path

    from archive.store.project import Project


class WindowHost(Protocol):
    """The open project (None when none is) and the window's ways of telling the user something."""

    project: Project | None

    def warn(self, text: str) -> None: ...

    def confirm(self, text: str, yes: str = "OK") -> bool: ...

    def notify(self, text: str, timeout_ms: int = 10_000, *, path: Path | None = None) -> None:
        """Say what happened in the status bar; ``path``: a file written, with a button to its folder."""
