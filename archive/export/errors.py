"""Expected failures of exports, each with a message meant for the researcher."""

from __future__ import annotations

from archive.errors import ThreadcoderError


class ExportError(ThreadcoderError):
    """An export that cannot be written as asked (a bad option, a shape the data do not fit, no file)."""
