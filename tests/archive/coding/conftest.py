"""Fixtures for the coding tests: a project with a few posts (one thread), two coders and a small codebook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from archive.coding.codebook import Code
from archive.coding.codebook_edit import CodeDraft, add_code
from archive.coding.coders import Coder, add_coder
from archive.importing.batch_writer import Batch, BatchWriter
from archive.importing.records import PostRecord
from archive.store.project import Project


def write_posts(project: Project, *records: PostRecord) -> None:
    """Store posts the way an import does (one batch, with its index-queue rows)."""
    with project.db.atomic():
        project.db.conn.execute(
            "INSERT OR IGNORE INTO imports (id, file, sha256, format, status, started_at) "
            "VALUES (1, 'test', 'x', 'test', 'complete', '2026')"
        )
        BatchWriter(project.db.conn, 1, "test.jsonl").write(Batch(records=list(records)))


def tweet(native_id: str, text: str = "a post", **fields: object) -> PostRecord:
    return PostRecord(platform="twitter", native_id=native_id, text=text, raw={"id": native_id}, **fields)  # type: ignore[arg-type]


@dataclass
class Team:
    """Two coders and a codebook with one independent code and one variable (stance) of two values."""

    ana: Coder
    bo: Coder
    survivor: Code  # independent present/absent code
    stance: Code  # a variable: its sub-codes are mutually exclusive
    supportive: Code
    critical: Code


def make_team(project: Project) -> Team:
    db = project.db
    ana, bo = add_coder(db, "ana", "Ana Lima"), add_coder(db, "bo")
    survivor = add_code(db, ana.id, CodeDraft("Male survivor", description="A man discloses his own victimisation."))
    stance = add_code(db, ana.id, CodeDraft("Stance", exclusive=True))
    supportive = add_code(db, ana.id, CodeDraft("Supportive", parent_id=stance.id, shortcut="s"))
    critical = add_code(db, ana.id, CodeDraft("Critical", parent_id=stance.id, shortcut="c"))
    return Team(ana, bo, survivor, stance, supportive, critical)


@pytest.fixture
def project(tmp_path: Path):
    """A project holding posts twitter:1 to twitter:4; 2 and 3 reply to 1, so 1 to 3 are one thread."""
    with Project.create_or_open(tmp_path / "project") as opened:
        write_posts(
            opened,
            tweet("1", "#MeToo happened to me too, as a boy.", created_at="2017-10-16T08:00:00Z", hashtags=["MeToo"]),
            tweet("2", "Thank you for speaking up.", reply_to="1", created_at="2017-10-16T09:00:00Z"),
            tweet("3", "A status is not enough.", reply_to="1", created_at="2017-11-02T10:00:00Z"),
            tweet(
                "4", "#HowIWillChange I will listen.", created_at="2017-11-20T12:00:00Z", hashtags=["HowIWillChange"]
            ),
        )
        opened.db.conn.execute("DELETE FROM index_queue")  # start each test with the import indexed
        yield opened


@pytest.fixture
def add_posts(project: Project):
    """Call it with PostRecords to store more posts in the project."""
    return lambda *records: write_posts(project, *records)


@pytest.fixture
def team(project: Project) -> Team:
    return make_team(project)


@pytest.fixture
def queued(project: Project):
    """Call it to get the posts waiting for the search index; calling it empties the queue, as the indexer does."""

    def drain() -> set[str]:
        posts = {row[0] for row in project.db.execute("SELECT post_id FROM index_queue")}
        project.db.conn.execute("DELETE FROM index_queue")
        return posts

    return drain
