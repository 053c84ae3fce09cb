"""What an import will read, decided before it starts: each input with its detected format (Qt-free).

The import dialog shows this plan: the files behind the chosen files, folders and zips, the format
each was recognised as (or why it is passed over), and, for generic CSV, the column mapping chosen.
What is passed over on the way (a link leading out of a folder, a zip member named outside its zip) is
in the plan too, with the reason, so the import's report can say so. Detection reads only the start of
each file, but a folder may hold many, so it runs as a job.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from app.jobs import Job
from archive.errors import ThreadcoderError, UnknownFormatError
from archive.formats import FORMATS, ReadOptions
from archive.formats.fit import check_format
from archive.formats.sniff import DamagedInputError
from archive.importing.inputs import Expansion, PassedOver, expand
from archive.importing.pipeline import detect
from archive.importing.sources import Source
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
    damaged: bool = False  # looks like an archive but cannot be read as one: an error wherever it was found
    named: bool = False  # the user named this very file (not a folder or zip it sits in)

    @property
    def is_failure(self) -> bool:
        """Not imported, and an error rather than a note: damaged, unreadable, or named and unrecognised.

        A photo or a README found in a folder beside the archives is only passed over.
        """
        return bool(self.problem) and (self.damaged or self.named or not self.unrecognised)

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
        found, planned = _expanded(paths)
        for number, source in enumerate(found.sources, start=1):
            yield DetectionProgress(number - 1, len(found.sources), source.basename)
            if cancel.cancelled:
                break
            item = plan_one(source)
            item.named = _named(paths, source)
            planned.append(item)
        return planned

    return job


def _expanded(paths: Sequence[Path]) -> tuple[Expansion, list[PlannedInput]]:
    """The sources behind ``paths``, and a plan entry for each path that cannot be read or thing passed over."""
    found = Expansion()
    planned: list[PlannedInput] = []
    for path in paths:
        try:
            found.add(expand(path))
        except ThreadcoderError as error:
            planned.append(PlannedInput(Source(path), None, str(error), include=False, problem=str(error), named=True))
    planned += [passed_over_input(entry) for entry in found.passed_over]
    return found, planned


def passed_over_input(entry: PassedOver) -> PlannedInput:
    """A plan entry for something not read: a note, or an error when it is damaged."""
    source = Source(entry.path, entry.member)
    problem = f"{entry.name}: {entry.reason}" if entry.damaged else ""
    return PlannedInput(source, None, entry.reason, include=False, problem=problem, damaged=entry.damaged)


def _named(paths: Sequence[Path], source: Source) -> bool:
    return source.member is None and any(path == source.path and path.is_file() for path in paths)


def plan_one(source: Source) -> PlannedInput:
    """Detect one input's format; one that is not an archive is listed, unticked, with the reason."""
    try:
        size = source.size
        chosen, note = detect(source)
    except UnknownFormatError as error:
        note = str(error).removeprefix(f"{source.name}: ").removeprefix(f"{source.name}, ")
        damaged = isinstance(error, DamagedInputError)
        return PlannedInput(
            source,
            None,
            note,
            include=False,
            size=_size(source),
            problem=str(error),
            unrecognised=not damaged,
            damaged=damaged,
        )
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
        return PlannedInput(
            source, None, note, include=False, size=_size(source), problem=reason, unrecognised=True, options=options
        )
    return PlannedInput(source, format_name, size=_size(source), options=options)


def plan_named_paths(
    paths: Sequence[Path], *, format_name: str | None = None, options: ReadOptions | None = None
) -> list[PlannedInput]:
    """The plan for paths named on a command line, in the order found, what was passed over included.

    A forced format skips detection, but an input whose first records do not fit it is not imported.
    What the user named and cannot be read, and what is damaged wherever it was found, are errors for the
    caller to report (``is_failure``); what was only found inside a folder or zip (a photo, a README) is
    passed over.
    """
    read_options = options or ReadOptions()
    found, planned = _expanded(paths)
    for source in found.sources:
        if format_name is not None:
            item = plan_forced(source, format_name, read_options)
        else:
            item = plan_one(source)
            item.options = read_options
        item.named = _named(paths, source)
        planned.append(item)
    return planned


def _size(source: Source) -> int:
    try:
        return source.size
    except (OSError, KeyError, ThreadcoderError):
        return 0


def included(plan: Sequence[PlannedInput]) -> list[PlannedInput]:
    """The inputs that will be read: ticked and with a format."""
    return [item for item in plan if item.include and item.format is not None]
