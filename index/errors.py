"""Errors of the search package that carry a message for the researcher."""

from __future__ import annotations

from archive.errors import ThreadcoderError


class QuerySyntaxError(ThreadcoderError):
    """A query that cannot be read, with the 0-based character position of the problem."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position

    def pointer(self, query: str) -> str:
        """The query with a caret under the problem, for a terminal or a tooltip."""
        return f"{query}\n{' ' * self.position}^"
