"""What an import will read, decided before it starts: each input with its detected format (Qt-free).

The import dialog shows this plan: the files behind the chosen files, folders and zips, the format
each was recognised as (or why it is passed over), and, for generic CSV, the column mapping chosen.
Detection reads only the start of each file, but a folder may hold many, so it runs as a job.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from app.jobs import Job
from archive.errors import ThreadcoderError, UnknownFormatError
from archive.formats import FORMATS, ReadOptions
from archive.formats.fit import check_format
from archive.importing.pipeline import detect
from archive.importing.sources import Source, expand
from archive.jobs import CancelToken


@dataclass(slots=True)
class PlannedInput:
    """One input of the import: the source, its format (None: passed over, ``note`` says why)."""

    source: Source
    format: str | None
    note: str = ""
    size: int = 0
    include: bool = True
    options: ReadOptions = field(default_factory=ReadOptions)
    problem: str = ""  # the whole message when the input could not be read or recognised
    unrecognised: bool = False  # readable, but in no format we know (or not in the format chosen)
    detected: str | None = None  # the format detection chose; a different ``format`` is the user's choice

    @property
    def forced(self) -> bool:
        """Whether the format was chosen by the user rather than detected (the import checks it first)."""
        return self.format is not None and self.format != self.detected

    @property
    def display_name(self) -> str:
        """``tweets.jsonl`` or ``archive.zip › data/tweets.js``: short enough for a table cell."""
        if self.source.member is None:
            return self.source.path.name
        return f"{self.source.path.name} › {PurePosixPath(self.source.member)}"

    @property
    def format_label(self) -> str:
        return FORMATS[self.format].label if self.format in FORMATS else "not imported"

    @property
    def needs_mapping(self) -> bool:
        """A generic CSV is read through a column mapping; without one, common column names are guessed."""
        return self.format == "csv"


@dataclass(frozen=True, slots=True)
class DetectionProgress:
    done: int
    total: int
    name: str

    @property
    def text(self) -> str:
        return f"Recognising formats ({self.done + 1} of {self.total}): {self.name}"

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0


def plan_inputs(paths: Sequence[Path]) -> Job:
    """A job that expands ``paths`` and detects each input's format; returns the list of PlannedInput."""

    def job(cancel: CancelToken) -> Generator[DetectionProgress, None, list[PlannedInput]]:
        sources: list[Source] = []
        planned: list[PlannedInput] = []
        for path in paths:
            try:
                sources.extend(expand(path))
            except ThreadcoderError as error:
                planned.append(PlannedInput(Source(path), None, str(error), include=False))
        for number, source in enumerate(sources, start=1):
            yield DetectionProgress(number - 1, len(sources), source.basename)
            if cancel.cancelled:
                break
            planned.append(plan_one(source))
        return planned

    return job


def plan_one(source: Source) -> PlannedInput:
    """Detect one input's format; one that is not an archive is listed, unticked, with the reason."""
    try:
        size = source.size
        chosen, note = detect(source)
    except UnknownFormatError as error:
        note = str(error).removeprefix(f"{source.name}: ").removeprefix(f"{source.name}, ")
        return PlannedInput(source, None, note, include=False, size=_size(source), problem=str(error),
                            unrecognised=True)  # fmt: skip
    except ThreadcoderError as error:
        return PlannedInput(source, None, str(error), include=False, problem=str(error))
    if chosen is None:
        return PlannedInput(source, None, note or "not an archive", include=False, size=size)
    return PlannedInput(source, chosen, note, size=size, detected=chosen)


def check_forced_format(source: Source, format_name: str, options: ReadOptions | None = None) -> str | None:
    """None when ``source``'s first records fit the format the user chose; else the reason, naming the file.

    The import dialog calls this when the user picks a format for an input; the import refuses such an input
    anyway (nothing of it is written), but the plan can say so before the import starts.
    """
    return check_format(source, format_name, options)


def plan_forced(source: Source, format_name: str, options: ReadOptions) -> PlannedInput:
    """An input read with the format the user chose, or listed unticked with why it does not fit."""
    reason = check_forced_format(source, format_name, options)
    if reason is not None:
        note = reason.removeprefix(f"{source.name}: ")
        return PlannedInput(source, None, note, include=False, size=_size(source), problem=reason,
                            unrecognised=True, options=options)  # fmt: skip
    return PlannedInput(source, format_name, size=_size(source), options=options)


def plan_named_paths(
    paths: Sequence[Path], *, format_name: str | None = None, options: ReadOptions | None = None
) -> list[tuple[PlannedInput, bool]]:
    """The plan for paths named on a command line, each input with whether the user named it as a file.

    A forced format skips detection, but an input whose first records do not fit it is not imported.
    What the user named and cannot be read is an error for the caller to report; what was only found
    inside a folder or zip (a photo, a README) is passed over.
    """
    read_options = options or ReadOptions()
    planned: list[tuple[PlannedInput, bool]] = []
    for path in paths:
        for source in expand(path):
            named = path.is_file() and source.member is None
            if format_name is not None:
                item = plan_forced(source, format_name, read_options)
            else:
                item = plan_one(source)
                item.options = read_options
            planned.append((item, named))
    return planned


def _size(source: Source) -> int:
    try:
        return source.size
    except (OSError, KeyError):
        return 0


def included(plan: Sequence[PlannedInput]) -> list[PlannedInput]:
    """The inputs that will be read: ticked and with a format."""
    return [item for item in plan if item.include and item.format is not None]
