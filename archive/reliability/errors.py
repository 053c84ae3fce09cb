"""Errors of the reliability package: bad input that the user can fix, and a cancelled bootstrap."""

from archive.errors import ThreadcoderError


class ReliabilityInputError(ThreadcoderError):
    """The reliability data cannot be used as given; the message says where and what was expected."""


class BootstrapCancelled(ThreadcoderError):
    """The progress callback asked the bootstrap to stop before all resamples were drawn."""
