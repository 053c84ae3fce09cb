"""Input files as byte streams: plain, .gz, .zst (large windows) and members of .zip archives."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO, cast

import zstandard

from archive.errors import SourceReadError
from archive.importing.streams import DAMAGED_STREAM_ERRORS, CountingReader, ReadMeter, decompressed, open_member

ZIP_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"
HEAD_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Source:
    """One readable input: a file on disk, or a member of a zip file on disk."""

    path: Path
    member: str | None = None
    meter: ReadMeter | None = field(default=None, compare=False, hash=False, repr=False)

    def metered(self) -> Source:
        """The same input with a fresh meter that counts what its readers consume."""
        return Source(self.path, self.member, ReadMeter())

    @property
    def size(self) -> int:
        """Stored size in bytes (uncompressed size for zip members), the total for progress."""
        try:
            if self.member is None:
                return self.path.stat().st_size
            with zipfile.ZipFile(self.path) as archive:
                return archive.getinfo(self.member).file_size
        except (OSError, KeyError, zipfile.BadZipFile) as exc:
            raise SourceReadError(f"{self.name}: cannot be read ({exc})") from exc

    @property
    def name(self) -> str:
        """How messages name this input: ``file.zip!data/tweets.js`` for zip members."""
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    @property
    def basename(self) -> str:
        return PurePosixPath(self.member).name if self.member else self.path.name

    def open(self) -> BinaryIO:
        """The decompressed bytes of this input."""
        try:
            raw = self._open_container()
            return decompressed(raw, self.name)
        except (OSError, zipfile.BadZipFile, zstandard.ZstdError) as exc:
            raise SourceReadError(f"{self.name}: cannot be read ({exc})") from exc

    def stored_magic(self) -> bytes:
        """The first four bytes as stored (before decompression); b"" when they cannot be read."""
        try:
            with self._open_container() as stream:
                return stream.read(4)
        except (OSError, zipfile.BadZipFile):
            return b""

    def stored_size(self) -> int:
        """Bytes as stored (compressed size for zip members); 0 when unknown."""
        try:
            if self.member is None:
                return self.path.stat().st_size
            with zipfile.ZipFile(self.path) as archive:
                return archive.getinfo(self.member).compress_size
        except (OSError, KeyError, zipfile.BadZipFile):
            return 0

    def head(self, size: int = HEAD_BYTES) -> bytes:
        """The first bytes after decompression, without a UTF-8 BOM."""
        data = bytearray()
        with self.open() as stream:
            try:
                while len(data) < size and (chunk := stream.read(min(8192, size - len(data)))):
                    data += chunk
            except DAMAGED_STREAM_ERRORS:
                pass  # sniff what could be read; reading the file reports the damage with its line
        return bytes(data).removeprefix(UTF8_BOM)

    def sibling(self, name: str) -> Source | None:
        """A file next to this one (same folder, or same folder inside the zip), if it exists."""
        if self.member is None:
            candidate = self.path.with_name(name)
            return Source(candidate) if candidate.is_file() else None
        folder = PurePosixPath(self.member).parent
        wanted = str(folder / name) if str(folder) != "." else name
        with zipfile.ZipFile(self.path) as archive:
            return Source(self.path, wanted) if wanted in archive.namelist() else None

    def _open_container(self) -> BinaryIO:
        if self.member is None:
            stream: BinaryIO = open(self.path, "rb")  # noqa: SIM115 - the caller closes the stream
        else:
            stream = open_member(self.path, self.member)
        if self.meter is not None:
            self.meter.done = 0
            return cast(BinaryIO, io.BufferedReader(CountingReader(stream, self.meter), 1 << 16))
        return stream


def damaged_after(source: Source, line: int, error: BaseException) -> str:
    """Why a file was read only up to ``line``: its compressed data is damaged or cut off there."""
    return f"{source.name}: the file is damaged or cut off after line {line} ({error}); everything before it was read"


def sha256(source: Source) -> str:
    """Digest of the stored bytes (compressed as on disk), which identifies a re-import."""
    digest = hashlib.sha256()
    if source.member is None:
        try:
            with open(source.path, "rb") as stream:
                for chunk in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(chunk)
        except OSError as exc:
            raise SourceReadError(f"{source.name}: cannot be read ({exc})") from exc
    else:
        # The member's own bytes, never decompressed further: a .gz inside a zip is hashed as it is stored.
        with Source(source.path, source.member)._open_container() as stream:
            try:
                for chunk in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(chunk)
            except DAMAGED_STREAM_ERRORS as exc:
                # A damaged member is still the same bytes next time: what was read, and where it broke.
                digest.update(f"damaged: {exc}".encode())
    return digest.hexdigest()
