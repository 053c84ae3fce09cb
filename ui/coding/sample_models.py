"""Samples and coders' progress on them as tables, and drawing a sample as a job (the draw reads every post)."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from enum import IntEnum
from pathlib import Path
from typing import Any, ClassVar

from app.jobs import Job
from app.posts_query import ids_of
from archive.coding.assignments import Progress
from archive.coding.samples import Sample, SampleRule, draw_sample
from archive.jobs import CancelToken
from archive.store.project import Project
from ui.common.record_table_model import RecordTableModel


class SampleColumn(IntEnum):
    NAME = 0
    METHOD = 1
    POSTS = 2
    POPULATION = 3
    SEED = 4
    CREATED = 5


class ProgressColumn(IntEnum):
    CODER = 0
    ASSIGNED = 1
    COMPLETED = 2
    IN_PROGRESS = 3
    REMAINING = 4


def describe_rule(sample: Sample) -> str:
    rule = sample.rule
    if sample.method == "stratified":
        by = f"by {rule.get('by')}" + (f" ({', '.join(rule.get('hashtags', []))})" if rule.get("hashtags") else "")
        return f"stratified {by}, {rule.get('allocation')}"
    if sample.method == "threads":
        return f"threads of {rule.get('min_thread_posts')}+ posts"
    return "random"


class SamplesModel(RecordTableModel):
    """The project's samples, oldest first."""

    headers: ClassVar[dict[Any, str]] = {
        SampleColumn.NAME: "Sample",
        SampleColumn.METHOD: "Drawn",
        SampleColumn.POSTS: "Posts",
        SampleColumn.POPULATION: "From",
        SampleColumn.SEED: "Seed",
        SampleColumn.CREATED: "Created (UTC)",
    }

    def cell(self, row: Sample, column: int) -> Any:
        return {
            SampleColumn.NAME: row.name,
            SampleColumn.METHOD: describe_rule(row),
            SampleColumn.POSTS: row.size,
            SampleColumn.POPULATION: row.population,
            SampleColumn.SEED: str(row.seed),
            SampleColumn.CREATED: row.created_at.replace("T", " ")[:16],
        }[SampleColumn(column)]


class ProgressModel(RecordTableModel):
    """Each coder's assigned posts: completed, in progress, remaining."""

    headers: ClassVar[dict[Any, str]] = {
        ProgressColumn.CODER: "Coder",
        ProgressColumn.ASSIGNED: "Assigned",
        ProgressColumn.COMPLETED: "Coded",
        ProgressColumn.IN_PROGRESS: "Started",
        ProgressColumn.REMAINING: "Remaining",
    }

    def cell(self, row: Progress, column: int) -> Any:
        return (row.coder, row.assigned, row.completed, row.in_progress, row.remaining)[column]


def draw_job(
    folder: Path, name: str, rule: SampleRule, seed: int, coder_id: int | None, population: Sequence[int] | None
) -> Job:
    """A job that draws and stores a sample (one transaction in the core); returns the Sample.

    ``population`` is the rowids of the posts to draw from (a search's), or None for every collected post.
    """

    def job(_cancel: CancelToken) -> Generator[None, None, Sample]:
        yield None
        with Project.attach(folder) as project:
            ids = ids_of(project.db.conn, population) if population is not None else None
            return draw_sample(project.db, name, rule, seed, coder_id=coder_id, population=ids)

    return job
