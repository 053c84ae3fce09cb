"""Projects whose posts name people in every way, every export shape written, and a search of each byte written."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from archive.adjudication import adjudicate, clear_gold
from archive.coding.codebook_edit import CodeDraft, add_code
from archive.coding.coders import add_coder
from archive.coding.codings import apply_code
from archive.coding.memos import MemoTarget, add_memo
from archive.coding.status import complete_post
from archive.export import SHAPES, ExportOptions, ensure_pseudonym_salt, export
from archive.importing.records import AuthorRecord, PostRecord
from archive.store.project import Project
from tests.archive.agreement.projects import write_posts

PER_VARIABLE = {"units_x_coders", "coders_x_units", "recal3", "recal_oir"}


@dataclass(frozen=True)
class Person:
    """An account: its platform, its id there and its handle (None: only the id is known)."""

    platform: str
    native_id: str
    handle: str | None


@dataclass(frozen=True)
class Post:
    author: int  # index into the people
    text: str
    url: str | None = None
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()


def build(folder: Path, people: Sequence[Person], posts: Sequence[Post], notes: str) -> Project:
    """A project with these posts, coded by ana and bo so that they disagree on every post, with a span, a gold
    decision and a withdrawn one whose reasons are ``notes``, a code whose definition is ``notes`` too, and
    ``notes`` as a memo on a post, a thread, that code and the project."""
    project = Project.create_or_open(folder)
    records = []
    for n, post in enumerate(posts, start=1):
        person = people[post.author]
        author = AuthorRecord(platform=person.platform, native_id=person.native_id, handle=person.handle)
        records.append(
            PostRecord(
                platform=person.platform,
                native_id=str(n),
                text=post.text,
                url=post.url,
                author=author,
                hashtags=list(post.hashtags),
                mentions=list(post.mentions),
                created_at="2017-10-15T08:00:00Z",
                raw={"id": n},
            )
        )
    write_posts(project, records)
    db = project.db
    ana, bo = add_coder(db, "ana").id, add_coder(db, "bo").id
    irony_code = add_code(db, ana, CodeDraft("Irony", description=notes))
    irony = irony_code.id
    quote = add_code(db, ana, CodeDraft("Quote")).id
    ids = [f"{people[p.author].platform}:{n}" for n, p in enumerate(posts, start=1)]
    for n, (post_id, post) in enumerate(zip(ids, posts, strict=True)):
        apply_code(db, post_id, irony, ana if n % 2 else bo)
        if post.text:
            apply_code(db, post_id, quote, ana, span=(len(post.text) // 3, len(post.text)))
        complete_post(db, post_id, ana)
        complete_post(db, post_id, bo)
    for coder, target, target_id in [
        (ana, MemoTarget.POST, ids[0]),
        (bo, MemoTarget.THREAD, ids[-1]),
        (ana, MemoTarget.CODE, irony_code.guid),
        (bo, MemoTarget.PROJECT, ""),
    ]:
        add_memo(db, coder, target, target_id, notes)  # coders write about people too
    adjudicate(db, ids[0], "Irony", "1", ana, notes)
    adjudicate(db, ids[-1], "Quote", "0", bo, notes)
    clear_gold(db, ids[-1], "Quote", bo, notes)
    ensure_pseudonym_salt(db)
    return project


def export_every_shape(project: Project, folder: Path, options: ExportOptions) -> list[Path]:
    """Every shape (and the gold dataset) into ``folder``; the files written."""
    folder.mkdir(exist_ok=True)
    files: list[Path] = []
    for shape in SHAPES:
        target = folder / (shape if shape in PER_VARIABLE else f"{shape}.{'qdpx' if shape == 'qdpx' else 'csv'}")
        files += export(project.db.conn, shape, target, options).files
    files += export(project.db.conn, "dataset", folder / "gold_dataset.csv", replace(options, gold=True)).files
    return files


def written(path: Path) -> Iterator[tuple[str, bytes]]:
    """The file's bytes, and each zip member's bytes decompressed."""
    data = path.read_bytes()
    yield path.name, data
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                yield f"{path.name}!{member}", archive.read(member)


def leaks(files: Sequence[Path], secrets: Sequence[str]) -> list[str]:
    """Every (file, secret) where the secret occurs in the raw bytes, case-insensitively, with some context.

    It reads the files themselves (zip members decompressed), never through the export code.
    """
    found = []
    for path in files:
        for name, data in written(path):
            lowered = data.lower()
            for secret in secrets:
                at = lowered.find(secret.lower().encode())
                if at >= 0:
                    context = data[max(0, at - 40) : at + len(secret) + 20].decode("utf-8", "replace")
                    found.append(f"{secret!r} in {name}: ...{context}...")
    return found
