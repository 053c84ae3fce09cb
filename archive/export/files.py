"""Writing export files safely: CSV rows with the missing token and neutralisation, all or nothing, private.

Every file of an export is written as ``NAME.part`` and renamed only when the whole export has succeeded,
so a cancelled or failed export never leaves a half-written file that looks complete. A killed export cannot
clean up: the next export to the same name or folder removes what it left. Files are created 0600 and
folders 0700 on POSIX (archive.store.permissions): exports hold post texts.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import IO

from archive.export.errors import ExportError
from archive.export.safety import TRIGGERS, neutralise
from archive.store.permissions import POSIX, PRIVATE_FILE, private_folder

Cell = Hashable
"""A CSV cell: text, a number or a label; None is written as the missing-value token."""

_UNSAFE_NAME = re.compile(r"[^\w.\-]+")
LINE_END = "\r\n"  # RFC 4180, and the csv module's own default
PART = ".part"
COMPLETION_COMPANION, CODEMAP_COMPANION = "_coder_units", "_codemap"  # FILE_coder_units.csv, FILE_codemap.csv
UNITS_X_CODERS, CODERS_X_UNITS, RECAL3, RECAL_OIR = (
    "__units_x_coders.csv",
    "__coders_x_units.csv",
    "__recal3.csv",
    "__recal_oir.csv",
)
FOLDER_CODEMAP = "recal_codemap.csv"
_COMPANIONS = (COMPLETION_COMPANION, CODEMAP_COMPANION)
_IN_FOLDER = (UNITS_X_CODERS, CODERS_X_UNITS, RECAL3, RECAL_OIR)  # what per-variable exports write into a folder


class CsvFile:
    """One CSV being written: None becomes the missing token, text cells are neutralised when asked."""

    def __init__(self, handle: IO[str], missing: str, neutralise_cells: bool) -> None:
        self._handle = handle
        self._writer = csv.writer(handle, lineterminator=LINE_END)
        self._scratch = io.StringIO()
        self._fragments = csv.writer(self._scratch, lineterminator="")
        self._missing = missing
        self._neutralise = neutralise_cells
        self.rows = 0

    def header(self, names: Sequence[str]) -> None:
        """The header row (not counted in ``rows``); names are neutralised like any cell."""
        self._writer.writerow(self._cells(names))

    def row(self, cells: Sequence[Cell]) -> None:
        """One row; each cell becomes the missing token or is neutralised as needed."""
        self._writer.writerow(self._cells(cells))
        self.rows += 1

    def _cells(self, cells: Sequence[Cell]) -> list[Cell]:
        # ``cell`` for every cell, inlined: this runs once per row of every export.
        missing = self._missing
        out = [missing if c is None else c for c in cells]
        if self._neutralise:
            out = [neutralise(c) if type(c) is str and c[:1] in TRIGGERS else c for c in out]
        return out

    def cell(self, value: Cell) -> Cell:
        """A cell as it is written: None as the missing token, text neutralised when asked."""
        if value is None:
            return self._missing
        if self._neutralise and type(value) is str and value[:1] in TRIGGERS:
            return neutralise(value)
        return value

    def prepared(self, rows: Sequence[Sequence[Cell]]) -> None:
        """Rows whose every cell already went through ``cell``, written as they are.

        For large shapes whose cells repeat (code names, labels, the post id over a post's rows): each
        distinct value is prepared once instead of once per row.
        """
        self._writer.writerows(rows)
        self.rows += len(rows)

    def fragment(self, cells: Sequence[Cell]) -> str:
        """Two or more prepared cells as CSV text, quoted exactly as the csv module quotes them.

        Lines built from fragments (``fragment + "," + fragment + LINE_END``) are what ``row`` would write;
        the long shape, ten rows per coded post, assembles its lines so instead of quoting every cell.
        """
        if len(cells) < 2:
            raise ValueError("a fragment needs two or more cells (csv quotes a lone empty cell)")
        self._scratch.seek(0)
        self._scratch.truncate()
        self._fragments.writerow(cells)
        return self._scratch.getvalue()

    def lines(self, text: str, count: int) -> None:
        """Write ``count`` rows already assembled from fragments."""
        self._handle.write(text)
        self.rows += count


class Outputs:
    """The files of one export; ``commit`` renames them into place, ``abort`` removes them."""

    def __init__(self, *, bom: bool, missing: str, neutralise_cells: bool) -> None:
        self._bom, self._missing, self._neutralise = bom, missing, neutralise_cells
        self._parts: list[tuple[Path, Path, tuple[int, int]]] = []  # final name, part, the part's identity
        self._open: list[IO[str] | IO[bytes]] = []
        self._csvs: list[CsvFile] = []

    def csv(self, path: Path, *, missing: str | None = None, bom: bool | None = None) -> CsvFile:
        """Open a CSV for writing (UTF-8, optional BOM); ``missing``/``bom`` override the export's choice."""
        encoding = "utf-8-sig" if (self._bom if bom is None else bom) else "utf-8"
        handle = os.fdopen(self._create(path), "w", encoding=encoding, newline="")
        self._open.append(handle)
        written = CsvFile(handle, self._missing if missing is None else missing, self._neutralise)
        self._csvs.append(written)
        return written

    def binary(self, path: Path) -> IO[bytes]:
        """Open a binary file (a zip) for writing; it is closed on commit or abort."""
        handle = os.fdopen(self._create(path), "wb")
        self._open.append(handle)
        return handle

    @property
    def rows(self) -> int:
        """Data rows written so far, over every CSV of the export."""
        return sum(written.rows for written in self._csvs)

    def _create(self, path: Path) -> int:
        """A new, private ``NAME.part`` for ``path``, open for writing; it is renamed to ``path`` on commit."""
        if path.is_dir():
            raise ExportError(f"{path} is a folder; give a file name")
        if not path.parent.is_dir():
            raise ExportError(f"{path.parent} does not exist; create the folder first")
        if any(final == path for final, _, _ in self._parts):
            raise ExportError(f"{path} would be written twice by one export")
        part = path.with_name(path.name + PART)
        with contextlib.suppress(FileNotFoundError):
            part.unlink()  # left by an export that was killed (remove_stale_parts takes the rest)
        try:
            # O_EXCL: a new file of our own, never one another export is writing at this moment.
            descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), PRIVATE_FILE)
        except FileExistsError:
            raise ExportError(f"another export is writing {path} at this moment; try again when it is done") from None
        if POSIX:
            os.fchmod(descriptor, PRIVATE_FILE)  # os.open applied the umask; this does not
        info = os.fstat(descriptor)
        self._parts.append((path, part, (info.st_dev, info.st_ino)))
        return descriptor

    def commit(self) -> list[Path]:
        self._close()
        for final, part, _ in self._parts:
            if not self._ours(part):
                raise ExportError(
                    f"another export to {final} started while this one ran and took its place; this one wrote nothing"
                )
        for final, part, _ in self._parts:
            try:
                os.replace(part, final)
            except PermissionError as error:  # Windows: the file is open in Excel or another program
                raise ExportError(
                    f"{final} cannot be replaced: it is open in another program (a spreadsheet?) or not yours "
                    "to write; close it and export again"
                ) from error
        return [final for final, _, _ in self._parts]

    def abort(self) -> None:
        self._close()
        for _, part, _ in self._parts:
            if self._ours(part):  # never the file of a later export to the same name
                with contextlib.suppress(FileNotFoundError):
                    part.unlink()

    def _ours(self, part: Path) -> bool:
        try:
            info = part.stat()
        except FileNotFoundError:
            return False
        return any(p == part and identity == (info.st_dev, info.st_ino) for _, p, identity in self._parts)

    def _close(self) -> None:
        for handle in self._open:
            handle.close()
        self._open.clear()


def remove_stale_parts(path: Path) -> list[Path]:
    """Remove the ``.part`` files a killed export to ``path`` left (its name, its companions, or the files of
    a per-variable export in the folder ``path``); returns them. An export that is killed cannot clean up,
    and its parts hold post texts."""
    if path.is_dir():
        candidates = [p for p in path.iterdir() if p.name.endswith(PART) and _in_folder(p.name[: -len(PART)])]
    else:
        candidates = [p.with_name(p.name + PART) for p in (path, *(sibling(path, s) for s in _COMPANIONS))]
    removed = []
    for part in candidates:
        with contextlib.suppress(FileNotFoundError):
            if part.is_file():
                part.unlink()
                removed.append(part)
    return removed


def _in_folder(name: str) -> bool:
    return name == FOLDER_CODEMAP or any(name.endswith(ending) and len(name) > len(ending) for ending in _IN_FOLDER)


def sibling(path: Path, suffix: str) -> Path:
    """A companion file next to ``path``: ``long.csv`` + ``_coder_units`` -> ``long_coder_units.csv``."""
    return path.with_name(f"{path.stem}{suffix}{path.suffix or '.csv'}")


def file_names(names: Sequence[str], ending: str) -> dict[str, str]:
    """A safe, distinct file name per code or variable name, e.g. "Male survivor" -> "Male_survivor__recal3.csv"."""
    taken: set[str] = set()
    result: dict[str, str] = {}
    for name in names:
        stem = _UNSAFE_NAME.sub("_", name).strip("._") or "variable"
        candidate, n = stem, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{stem}-{n}"
        taken.add(candidate.lower())
        result[name] = f"{candidate}{ending}"
    return result


def folder(path: Path) -> Path:
    """The folder a per-variable export writes into, created (private) when missing."""
    if path.exists() and not path.is_dir():
        raise ExportError(f"{path} is a file; give a folder for one file per variable, or choose one variable")
    return private_folder(path)
