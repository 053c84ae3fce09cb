"""Expected failures of coding actions, each with a message meant for the researcher."""

from __future__ import annotations

from archive.errors import ThreadcoderError


class CodingError(ThreadcoderError):
    """A coding or codebook action that cannot be done as asked (unknown code, retired code, bad span)."""


class UndoConflictError(CodingError):
    """An undo or redo that would overwrite a change made since; nothing is touched."""
