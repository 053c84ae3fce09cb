"""Bounds that keep a small broken or hostile input from taking the machine (read at call time: tests shrink them)."""

from __future__ import annotations

# A line longer than this is an import error; reading goes on after it without holding it in memory.
# twarc2 pages reach a few MB; nothing real comes near 64 MiB.
MAX_LINE_BYTES = 64 * 1024 * 1024
# Nesting deeper than this is refused. Tweets nest about a dozen levels; parsers' memory grows with depth
# (ijson keeps a path per level: 100,000 levels took 11.6 GB), and orjson, which stores each record's raw
# copy, writes at most 254 levels.
MAX_JSON_DEPTH = 200
# A compressed input (.gz, .zst, a zip member) may expand at most this many times its compressed size once
# it is past EXPANSION_FLOOR: JSON compresses 10 to 30 times, a decompression bomb thousands of times.
MAX_EXPANSION_RATIO = 200
EXPANSION_FLOOR = 1024 * 1024 * 1024


def size_text(size: int) -> str:
    """A byte count as a person reads it: 64 MiB, 1 GiB, 512 KiB."""
    for unit, step in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= step:
            value = size / step
            return f"{value:.0f} {unit}" if value == int(value) or value >= 10 else f"{value:.1f} {unit}"
    return f"{size} bytes"
