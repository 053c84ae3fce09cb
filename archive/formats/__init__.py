"""The archive formats Threadcoder reads: a registry of readers, each in its own module.

A reader is a function ``read(source, options) -> Iterator[ImportItem]`` that streams normalised
records (and the issues it met) from one input; it never touches the store.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from archive.importing.records import ImportItem
from archive.importing.sources import Source


@dataclass(slots=True)
class ReadOptions:
    """Choices the user can make about how an input is read."""

    # Generic CSV: maps our field names (id, text, created_at, author_handle, ...) to column names.
    csv_mapping: dict[str, str] = field(default_factory=dict)
    csv_delimiter: str | None = None  # None = sniff
    csv_encoding: str | None = None  # None = sniff (utf-8-sig, then cp1252)
    platform: str = "twitter"  # platform of generic CSV rows


Reader = Callable[[Source, ReadOptions], Iterator[ImportItem]]


@dataclass(frozen=True, slots=True)
class FormatInfo:
    """A format's name (as ``--format`` takes it), a human label and where its reader lives."""

    name: str
    label: str
    module: str
    function: str = "read"

    def reader(self) -> Reader:
        module = importlib.import_module(self.module)
        reader: Reader = getattr(module, self.function)
        return reader


FORMATS: dict[str, FormatInfo] = {
    info.name: info
    for info in [
        FormatInfo("twarc2", "twarc2 API response pages (X API v2)", "archive.formats.twitter_v2", "read_pages"),
        FormatInfo("twarc2-flat", "twarc2 flattened tweets (X API v2)", "archive.formats.twitter_v2", "read_flat"),
        FormatInfo("v2-tweets", "bare X API v2 tweet objects", "archive.formats.twitter_v2", "read_bare"),
        FormatInfo("v1.1", "X API v1.1 tweets (twarc 1, Hydrator, tweepy)", "archive.formats.twitter_v1"),
        FormatInfo("x-archive", "X personal archive (tweets.js)", "archive.formats.x_archive"),
        FormatInfo("twarc-csv", "twarc-csv output", "archive.formats.csv_twarc"),
        FormatInfo("csv", "CSV with a column mapping", "archive.formats.csv_generic"),
    ]
}


def format_names() -> list[str]:
    return list(FORMATS)
