"""Real projects for the agreement, adjudication and export tests, built through archive.coding's public API.

``Study`` holds posts twitter:1 .. twitter:N, the coders ana, bo and cy, and a codebook with two independent
codes (Male survivor, Irony), a variable (Stance: Supportive, Critical) and a category (Themes) whose one
sub-code (Disclosure) is an independent code too. ``code`` records one coder's finished work on a post.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from archive.coding.codebook import Code
from archive.coding.codebook_edit import CodeDraft, add_code
from archive.coding.coders import Coder, add_coder
from archive.coding.codings import apply_code
from archive.coding.status import complete_post, mark_no_code_applies
from archive.importing.batch_writer import BatchWriter
from archive.importing.batches import Batch
from archive.importing.records import AuthorRecord, PostRecord
from archive.store.project import Project


def tweet(native_id: str, text: str = "a post", **fields: object) -> PostRecord:
    return PostRecord(platform="twitter", native_id=native_id, text=text, raw={"id": native_id}, **fields)  # type: ignore[arg-type]


def write_posts(project: Project, records: Iterable[PostRecord]) -> None:
    """Store posts the way an import does (one batch), then empty the index queue as the indexer would."""
    with project.db.atomic():
        project.db.conn.execute(
            "INSERT OR IGNORE INTO imports (id, file, sha256, format, status, started_at) "
            "VALUES (1, 'test', 'x', 'test', 'complete', '2026')"
        )
        BatchWriter(project.db.conn, 1, "test.jsonl").write(Batch(records=list(records)))
    project.db.conn.execute("DELETE FROM index_queue")


def post_id(n: int | str) -> str:
    return f"twitter:{n}"


@dataclass
class Study:
    project: Project
    coders: dict[str, Coder]
    codes: dict[str, Code]

    @property
    def db(self) -> Database:
        return self.project.db

    def code(self, coder: str, post: int | str, *codes: str) -> None:
        """``coder`` applies ``codes`` to the post and marks it done (no codes: "no code applies")."""
        who = self.coders[coder].id
        if not codes:
            mark_no_code_applies(self.db, post_id(post), who)
            return
        for name in codes:
            apply_code(self.db, post_id(post), self.codes[name].id, who)
        complete_post(self.db, post_id(post), who)

    def start(self, coder: str, post: int | str, *codes: str) -> None:
        """Apply codes without marking the post done: work in progress."""
        for name in codes:
            apply_code(self.db, post_id(post), self.codes[name].id, self.coders[coder].id)

    def code_all(self, work: Mapping[str, Mapping[int, Iterable[str]]]) -> None:
        """``{coder: {post: codes}}``; an empty list of codes is "no code applies"."""
        for coder, posts in work.items():
            for post, codes in posts.items():
                self.code(coder, post, *codes)


def texts(n: int) -> list[PostRecord]:
    """N posts with authors, hashtags, mentions and a reply chain, some texts that look like formulas."""
    records = []
    for i in range(1, n + 1):
        text = {1: "@bo_real me too, #MeToo", 2: '=HYPERLINK("http://evil")', 3: "+1 to this"}.get(i, f"post {i}")
        records.append(
            tweet(
                str(i),
                text,
                created_at=f"2017-10-{10 + i % 18:02d}T08:00:00Z",
                hashtags=["MeToo"] if i % 2 else [],
                mentions=["bo_real"] if i == 1 else [],
                reply_to="1" if i in (2, 3) else None,
                root="1" if i in (1, 2, 3) else None,
                url=f"https://twitter.com/author{i % 3}/status/{i}",
                author=AuthorRecord(platform="twitter", native_id=f"u{i % 3}", handle=f"author{i % 3}"),
            )
        )
    return records


def make_study(folder: Path, posts: int = 12) -> Study:
    project = Project.create_or_open(folder)
    write_posts(project, texts(posts))
    db = project.db
    coders = {name: add_coder(db, name) for name in ("ana", "bo", "cy")}
    lead = coders["ana"].id
    codes: dict[str, Code] = {}
    codes["Male survivor"] = add_code(db, lead, CodeDraft("Male survivor"))
    codes["Irony"] = add_code(db, lead, CodeDraft("Irony"))
    codes["Stance"] = add_code(db, lead, CodeDraft("Stance", exclusive=True))
    for value in ("Supportive", "Critical"):
        codes[value] = add_code(db, lead, CodeDraft(value, parent_id=codes["Stance"].id))
    codes["Themes"] = add_code(db, lead, CodeDraft("Themes", codable=False))
    codes["Disclosure"] = add_code(db, lead, CodeDraft("Disclosure", parent_id=codes["Themes"].id))
    return Study(project, coders, codes)


def matrix_study(folder: Path, matrix: Mapping[str, Sequence[object]], values: Sequence[str] = ()) -> Study:
    """A project whose coders (the matrix's keys) coded posts 1..n as the matrix says, None = not coded.

    Without ``values`` the target is one present/absent code "C" (cells 1/0); with them, a variable "V" whose
    values are named ``values`` (cells are those names, or numbers written as names).
    """
    count = len(next(iter(matrix.values())))
    project = Project.create_or_open(folder)
    write_posts(project, [tweet(str(i)) for i in range(1, count + 1)])
    coders = {name: add_coder(project.db, name) for name in matrix}
    lead = next(iter(coders.values())).id
    codes: dict[str, Code] = {}
    if values:
        codes["V"] = add_code(project.db, lead, CodeDraft("V", exclusive=True))
        for value in values:
            codes[value] = add_code(project.db, lead, CodeDraft(value, parent_id=codes["V"].id))
    else:
        codes["C"] = add_code(project.db, lead, CodeDraft("C"))
    study = Study(project, coders, codes)
    for coder, cells in matrix.items():
        for post, cell in enumerate(cells, start=1):
            if cell is None:
                continue
            if values:
                study.code(coder, post, str(cell))
            else:
                study.code(coder, post, *(["C"] if cell == 1 else []))
    return study
