"""User-facing error types: expected failures that carry a clear message, never a traceback."""


class ThreadcoderError(Exception):
    """An expected failure (bad file, locked project, bad query) with a message meant for the user."""


class ProjectLockedError(ThreadcoderError):
    """Another process is writing this project."""


class ProjectCorruptError(ThreadcoderError):
    """The project database failed its integrity check or is not a Threadcoder project."""


class UnknownFormatError(ThreadcoderError):
    """An input file matched none of the formats we read."""


class SourceReadError(ThreadcoderError):
    """An input file could not be opened or decompressed."""


class StoreError(ThreadcoderError):
    """The project database could not be read or written (a damaged file, a full disk, a file held elsewhere)."""
