"""Byte streams under a Source: counting for progress, zip members, and .gz/.zst decompression."""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from typing import BinaryIO, cast

import zstandard

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
    """A member of a zip file on disk; closing it closes the zip."""
    archive = zipfile.ZipFile(cast(str, path))
    try:
        return cast(BinaryIO, io.BufferedReader(_CheckedMember(archive, member), 1 << 16))
    except BaseException:
        archive.close()
        raise


class _GzipOwningFile(gzip.GzipFile):
    """A gzip reader that also closes the stream it reads from (GzipFile leaves it open)."""

    def __init__(self, inner: io.BufferedReader) -> None:
        self._inner = inner
        super().__init__(fileobj=inner, mode="rb")

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._inner.close()


def decompressed(raw: BinaryIO) -> BinaryIO:
    """The bytes of ``raw``, decompressed when they start like .gz or .zst."""
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(cast(io.RawIOBase, raw))
    magic = buffered.peek(4)[:4]
    if magic.startswith(GZIP_MAGIC):
        return cast(BinaryIO, _GzipOwningFile(buffered))
    if magic == ZSTD_MAGIC:
        reader = zstandard.ZstdDecompressor(max_window_size=ZSTD_MAX_WINDOW).stream_reader(buffered, closefd=True)
        return cast(BinaryIO, io.BufferedReader(cast(io.RawIOBase, reader)))
    return cast(BinaryIO, buffered)
