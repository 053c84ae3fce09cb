"""Adjudication's slow parts as jobs (Qt-free): reading the disagreement list and settling by a rule."""

from __future__ import annotations

from collections.abc import Generator, Hashable
from dataclasses import dataclass
from pathlib import Path

from app.jobs import Job
from archive.adjudication import Disagreement, SettleReport, disagreements, settle
from archive.agreement.targets import NONE, Target
from archive.jobs import CancelToken
from archive.store.project import Project

READ_TITLE = "Read the disagreements"
SETTLE_TITLE = "Settle disagreements"
TITLES = (READ_TITLE, SETTLE_TITLE)
_REPORT_EVERY = 500  # rows between progress reports (and chances to cancel)


@dataclass(frozen=True, slots=True)
class Reading:
    """Progress of the read, for the status-bar strip."""

    text: str
    fraction: float | None = None


@dataclass(frozen=True, slots=True)
class DisagreementList:
    """Every disagreement (open and resolved), and the coders who gave any of their values, by name."""

    rows: list[Disagreement]
    coders: list[str]


def value_text(label: Hashable, kind: str) -> str:
    """A value as the adjudicator reads it: present/absent for a code, a value's name or "(none)"."""
    if kind == "code":
        return "present" if label == 1 else "absent"
    return "(none)" if label == NONE else str(label)


def choices(target: Target) -> list[tuple[str, str]]:
    """The final values one may record for a target: (shown text, value as ``adjudicate`` takes it)."""
    if not target.code.exclusive:
        return [("present", "1"), ("absent", "0")]
    named = [(value.name, value.name) for value in target.values if not value.retired]
    return [*named, ("(none)", "none")]


def read_job(folder: Path) -> Job:
    """A job that reads every disagreement on its own read-only connection; returns a DisagreementList."""

    def job(cancel: CancelToken) -> Generator[Reading, None, DisagreementList | None]:
        yield Reading("Reading the disagreements")
        rows: list[Disagreement] = []
        with Project.attach(folder, writable=False) as project:
            for found in disagreements(project.db.conn):
                rows.append(found)
                if len(rows) % _REPORT_EVERY == 0:
                    yield Reading(f"Reading the disagreements: {len(rows):,} so far")
                    if cancel.cancelled:
                        return None
        coders = sorted({coder for row in rows for coder in row.unit.values}, key=str.casefold)
        return DisagreementList(rows, coders)

    return job


def settle_job(folder: Path, rule: str, adjudicator_id: int) -> Job:
    """A job that settles by ``rule`` (one transaction, on a connection of its own); returns the SettleReport."""

    def job(_cancel: CancelToken) -> Generator[Reading, None, SettleReport]:
        yield Reading(f"Settling by the {rule} rule")
        with Project.attach(folder) as project:
            return settle(project.db, rule, adjudicator_id)

    return job


def settle_question(rule: str) -> str:
    """What a rule will do, asked before it runs."""
    agreed = (
        "record the agreed value as gold on every code and variable where all the coders who completed a "
        "post gave the same value (those are not in the disagreement list)"
    )
    if rule == "majority":
        agreed += ", and, where they differ, the value more than half of them gave. Disagreements without a "
        agreed += "majority (two coders who differ have none) stay open for you"
    return (
        f"Settle by the {rule} rule? It will {agreed}.\n\nDecisions already recorded are kept, and running it "
        "again adds nothing. The coders' own codings are not changed."
    )


def settle_text(report: SettleReport) -> str:
    """A SettleReport's counts in one sentence."""
    recorded = f"{report.unanimous:,} unanimous"
    if report.rule == "majority":
        recorded += f" and {report.majority:,} majority"
    return (
        f"The {report.rule} rule recorded {recorded} values on {report.posts:,} posts; "
        f"{report.already_decided:,} were decided already, {report.left_open:,} are left for you."
    )
