"""A small project written through the real store writer, indexed on disk, ready to search."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.importing.batch_writer import Batch, BatchWriter
from archive.importing.records import AuthorRecord, MediaRecord, PostKind, PostRecord
from archive.jobs import drain
from archive.store.project import Project
from index.indexer import catch_up
from index.search import ProjectSearch

ANA = AuthorRecord("twitter", "1", "ana_r", "Ana Reyes")
BEN = AuthorRecord("twitter", "2", "BenWren", "Ben Wren")
CLEO = AuthorRecord("twitter", "3", "cleo", "Cléo Varga")


def post(native_id: str, text: str, author: AuthorRecord = ANA, **fields: object) -> PostRecord:
    """A collected tweet; ``created_at`` defaults to 2017-10-16."""
    fields.setdefault("created_at", "2017-10-16T10:00:00Z")
    fields.setdefault("lang", "en")
    return PostRecord(platform="twitter", native_id=native_id, text=text, author=author, **fields)  # type: ignore[arg-type]


def write(project: Project, *records: PostRecord, import_id: int = 1) -> None:
    """Store records as an import would: one transaction, index queue included."""
    with project.db.atomic():
        project.db.conn.execute(
            "INSERT OR IGNORE INTO imports (id, file, sha256, format, status, started_at) "
            "VALUES (?, 'test', 'x', 'test', 'running', '2026')",
            (import_id,),
        )
        BatchWriter(project.db.conn, import_id, "test.jsonl").write(Batch(records=list(records)))


# A little #MeToo archive: every query form of docs/search.md has something to find here.
CORPUS = [
    post("10", "Me too. It took me years to say it. #MeToo", hashtags=["MeToo"]),
    post("11", "Running towards the light; I was running from it for years.", BEN, created_at="2017-10-15T08:00:00Z"),
    post(
        "12",
        "I run every morning and believe survivors. #metoo #BelieveSurvivors",
        CLEO,
        hashtags=["metoo", "BelieveSurvivors"],
        created_at="2017-10-24T23:59:59Z",
    ),
    post(
        "13",
        "@ana_r thank you for telling your story",
        BEN,
        reply_to="10",
        root="10",
        mentions=["ana_r"],
        created_at="2017-10-17T09:00:00Z",
    ),
    post(
        "14",
        "Le café de la Résistance: moi aussi. #MoiAussi",
        CLEO,
        lang="fr",
        hashtags=["MoiAussi"],
        created_at="2017-11-02T12:00:00Z",
    ),
    post(
        "15",
        "RT @ana_r: Me too. It took me years to say it. #MeToo",
        BEN,
        repost_of="10",
        is_repost=True,
        hashtags=["MeToo"],
        mentions=["ana_r"],
        created_at="2017-10-18T10:00:00Z",
    ),
    post(
        "16",
        "Quoting this: believe survivors https://t.co/x",
        ANA,
        quote_of="12",
        urls=["https://example.org/a"],
        created_at="2017-12-01T10:00:00Z",
    ),
    post(
        "17",
        "A photo from the march",
        BEN,
        media=[MediaRecord("photo", "https://pbs.twimg.com/a.jpg")],
        created_at="2018-01-05T10:00:00Z",
        lang="und",
    ),
    post("18", "私も女性です。#MeToo運動", CLEO, lang="ja", hashtags=["MeToo運動"], created_at="2018-03-08T10:00:00Z"),
    post("19", "من هم می‌خواهم بگویم. كتاب", ANA, lang="fa", created_at="2018-03-08T11:00:00Z"),
    post("20", "நானும் கூட தமிழ் பெண்", BEN, lang="ta", created_at="2018-03-09T11:00:00Z"),
    post("21", "성폭력을 반대합니다 #미투", CLEO, lang="ko", hashtags=["미투"], created_at="2018-03-10T11:00:00Z"),
    post(
        "22", "Harassment at work is harassment anywhere; harassed people know.", ANA, created_at="2019-02-01T10:00:00Z"
    ),
    post(
        "90",
        "The original post that was only seen as context",
        BEN,
        kind=PostKind.CONTEXT,
        created_at="2017-10-01T10:00:00Z",
    ),
]


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    with Project.create_or_open(tmp_path / "study.threadcoder") as opened:
        yield opened


@pytest.fixture
def corpus(project: Project) -> Project:
    """The project with CORPUS written and indexed."""
    write(project, *CORPUS)
    drain(catch_up(project))
    return project


@pytest.fixture
def search(corpus: Project) -> Iterator[ProjectSearch]:
    with ProjectSearch(corpus) as searcher:
        yield searcher


def ids(searcher: ProjectSearch, query: str, **options: object) -> set[str]:
    """Native ids of every post the query finds."""
    return {hit.id.partition(":")[2] for hit in searcher.all_hits(query, **options)}  # type: ignore[arg-type]
