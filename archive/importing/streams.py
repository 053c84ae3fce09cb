"""Byte streams under a Source: counting for progress, zip members, and .gz/.zst decompression."""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from typing import BinaryIO, cast

import zstandard

from archive.errors import SourceReadError
from archive.importing import limits
from archive.importing.limits import size_text

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
GZIP_MAGIC = b"\x1f\x8b"
# Pushshift / Arctic Shift dumps are written with a 2 GiB window; the default limit refuses them.
ZSTD_MAX_WINDOW = 2**31
# What a cut-off or corrupted .gz/.zst/.zip stream raises part-way through.
DAMAGED_STREAM_ERRORS = (EOFError, OSError, zlib.error, zipfile.BadZipFile, zstandard.ZstdError)


class ReadMeter:
    """Counts the stored bytes read from an input, for progress bars (compressed bytes for .gz/.zst)."""

    def __init__(self) -> None:
        self.done = 0


class CountingReader(io.RawIOBase):
    """Passes reads through and adds their size to a meter."""

    def __init__(self, inner: BinaryIO, meter: ReadMeter) -> None:
        self._inner = inner
        self._meter = meter

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        # One read of the inner stream per call, so that an error it raises on its next read does not
        # take the bytes of this one with it (see _CheckedMember).
        read = getattr(self._inner, "read1", self._inner.read)
        data = read(len(buffer))
        buffer[: len(data)] = data
        self._meter.done += len(data)
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()


class _CheckedMember(io.RawIOBase):
    """A zip member's bytes, its checksum compared only after the bytes have been handed on.

    zipfile compares the CRC inside the read that reaches the end and then raises, so the last chunk,
    which for a small member is all of it, never reaches the reader. Here the last chunk is returned,
    and the mismatch is raised by the next read: the reader has every line and learns of the damage.
    """

    def __init__(self, archive: zipfile.ZipFile, member: str) -> None:
        info = archive.getinfo(member)
        self._archive = archive
        self._inner = archive.open(info)
        self._name = member
        self._size = info.file_size
        self._expected: int | None = info.CRC
        self._crc = 0
        self._read = 0
        self._mismatch = False
        if hasattr(self._inner, "_expected_crc"):
            self._inner._expected_crc = None  # checked here, once the bytes are out
        else:  # a zipfile without that attribute: keep its own check
            self._expected = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._mismatch:
            self._mismatch, self._expected = False, None  # said once
            raise zipfile.BadZipFile(f"Bad CRC-32 for {self._name!r}: its bytes do not match the zip's checksum")
        data = self._inner.read(len(buffer))
        self._crc = zlib.crc32(data, self._crc)
        self._read += len(data)
        if self._expected is not None and (self._read >= self._size or not data):
            self._mismatch = self._crc != self._expected
            if not data and self._mismatch:
                return self.readinto(buffer)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._inner.close()
            super().close()
        finally:
            self._archive.close()


def open_member(path: object, member: str) -> BinaryIO:
    """A member of a zip file on disk; closing it closes the zip. A member that would expand too far is refused."""
    archive = zipfile.ZipFile(cast(str, path))
    try:
        refusal = expansion_refusal(archive.getinfo(member))
        if refusal:
            raise ExpansionLimitError(f"{path}!{member}: {refusal}")
        return cast(BinaryIO, io.BufferedReader(_CheckedMember(archive, member), 1 << 16))
    except BaseException:
        archive.close()
        raise


def expansion_refusal(info: zipfile.ZipInfo) -> str:
    """Why a zip member is not read (it declares an expansion only a bomb has), or ''.

    zipfile never gives more than the declared size, and a member that declares less than it holds fails
    its checksum: so the declared sizes are what to check.
    """
    ratio, floor = limits.MAX_EXPANSION_RATIO, limits.EXPANSION_FLOOR
    if info.file_size > floor and info.file_size > ratio * max(info.compress_size, 1):
        return (
            f"not read: {size_text(info.compress_size)} of compressed data declare {size_text(info.file_size)}, "
            f"more than {ratio} times as much and beyond {size_text(floor)}, which only a decompression bomb does"
        )
    return ""


class _GzipOwningFile(gzip.GzipFile):
    """A gzip reader that also closes the stream it reads from (GzipFile leaves it open)."""

    def __init__(self, inner: BinaryIO) -> None:
        self._inner = inner
        super().__init__(fileobj=inner, mode="rb")

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._inner.close()


class ExpansionLimitError(SourceReadError):
    """Compressed data that expands far beyond what real archives do: a damaged file or a decompression bomb."""


class _ExpansionGuard(io.RawIOBase):
    """Stops decompression once the output is past EXPANSION_FLOOR and MAX_EXPANSION_RATIO times the input."""

    def __init__(self, inner: BinaryIO, consumed: ReadMeter, name: str) -> None:
        self._inner = inner
        self._consumed = consumed
        self._name = name
        self._out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        # One decompression step per call: an error that the next step raises (a cut-off stream) must not
        # take this step's bytes with it.
        read = getattr(self._inner, "read1", self._inner.read)
        data = read(len(buffer))
        self._out += len(data)
        ratio, floor = limits.MAX_EXPANSION_RATIO, limits.EXPANSION_FLOOR
        if self._out > floor and self._out > ratio * max(self._consumed.done, 1):
            raise ExpansionLimitError(
                f"{self._name}: reading stopped after {size_text(self._out)}: {size_text(self._consumed.done)} of "
                f"compressed data expand more than {ratio} times (and beyond {size_text(floor)}), which only a "
                "damaged file or a decompression bomb does; everything before it was read"
            )
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()


def decompressed(raw: BinaryIO, name: str) -> BinaryIO:
    """The bytes of ``raw``, decompressed when they start like .gz or .zst, within the expansion limits."""
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(cast(io.RawIOBase, raw))
    magic = buffered.peek(4)[:4]
    if not magic.startswith(GZIP_MAGIC) and magic != ZSTD_MAGIC:
        return cast(BinaryIO, buffered)
    consumed = ReadMeter()
    counted = io.BufferedReader(CountingReader(cast(BinaryIO, buffered), consumed), 1 << 16)
    inner: BinaryIO
    if magic.startswith(GZIP_MAGIC):
        inner = cast(BinaryIO, _GzipOwningFile(cast(BinaryIO, counted)))
    else:
        reader = zstandard.ZstdDecompressor(max_window_size=ZSTD_MAX_WINDOW).stream_reader(counted, closefd=True)
        inner = cast(BinaryIO, reader)
    return cast(BinaryIO, io.BufferedReader(_ExpansionGuard(inner, consumed, name), 1 << 20))
