"""Coder packages: one file with a coder's assigned posts, their threads and the codebook, for teams without a server.

A package is a zip holding ``package.json`` (what it is) and ``project.db``: a small Threadcoder project
of its own, so a colleague opens it (``open_package``), codes in their own Threadcoder without the full
archive, and sends it back (``pack_package``). ``archive.coding.package_merge`` merges the returned
codings into the main project. The package remembers the coder's codings at export time (the baseline),
so the merge can tell the colleague's changes from changes made in the main project since.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archive.coding.assignments import assigned_posts
from archive.coding.coders import get_coder
from archive.coding.errors import CodingError
from archive.store.clock import now
from archive.store.project import DB_NAME, Project
from archive.store.sql import chunks

FORMAT = "threadcoder-coder-package"
FORMAT_VERSION = 1
SUFFIX = ".tcpkg"
MANIFEST = "package.json"
PACKAGE_KEY = "coding.package"  # meta key of a package project: the manifest plus the baseline


@dataclass(frozen=True)
class PackageSummary:
    """What a package holds."""

    path: Path
    coder: str
    assigned: int
    posts: int  # assigned posts and their context (threads, quoted and reposted posts)
    codebook_version: int


def export_package(
    project: Project, coder_id: int, target: Path, post_ids: Sequence[str] | None = None
) -> PackageSummary:
    """Write a package for one coder: their assigned posts (or ``post_ids``), thread context and the codebook."""
    coder = get_coder(project.db.conn, coder_id)
    posts = list(dict.fromkeys(post_ids if post_ids is not None else assigned_posts(project.db.conn, coder_id)))
    if not posts:
        raise CodingError(f"nothing to package: no posts are assigned to {coder.name}")
    with tempfile.TemporaryDirectory(prefix="threadcoder-package-") as scratch:
        folder = Path(scratch) / "package"
        Project.create_or_open(folder).close()  # an empty project with the current schema
        manifest = _fill(project.db, folder / DB_NAME, coder_id, posts)
        _to_single_file(folder / DB_NAME)
        _write_zip(target, manifest, folder / DB_NAME)
    return PackageSummary(target, coder.name, len(posts), manifest["posts"], manifest["codebook_version"])


def open_package(path: Path, folder: Path) -> Path:
    """Unpack a package into ``folder`` (new or empty): a project the colleague opens and codes in."""
    read_manifest(path)
    if folder.exists() and any(folder.iterdir()):
        raise CodingError(f"{folder}: choose a new or empty folder to open the package in")
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path) as archive, archive.open(DB_NAME) as source, (folder / DB_NAME).open("wb") as out:
        while block := source.read(1 << 20):
            out.write(block)
    Project(folder).close()  # checks the database and brings its schema up to date
    return folder


def pack_package(folder: Path, target: Path) -> Path:
    """Zip a coded package project into one file to send back (the project must not be open elsewhere)."""
    with Project(folder) as opened, tempfile.TemporaryDirectory(prefix="threadcoder-package-") as scratch:
        manifest = package_manifest(opened.db.conn)
        if manifest is None:
            raise CodingError(f"{folder}: not a coder package (it was not made by package export)")
        copy = Path(scratch) / DB_NAME
        destination = sqlite3.connect(copy)
        try:
            opened.db.conn.backup(destination)
        finally:
            destination.close()
        _to_single_file(copy)
        summary = {k: v for k, v in manifest.items() if k != "baseline"}
        _write_zip(target, {**summary, "returned_at": now()}, copy)
    return target


def read_manifest(path: Path) -> dict[str, Any]:
    """The ``package.json`` of a package file, or a CodingError saying why it is not one."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if not {MANIFEST, DB_NAME} <= names:
                raise CodingError(f"{path.name}: not a coder package (expected {MANIFEST} and {DB_NAME} inside)")
            manifest: dict[str, Any] = json.loads(archive.read(MANIFEST))
    except (zipfile.BadZipFile, OSError, json.JSONDecodeError) as error:
        raise CodingError(f"{path.name}: not a readable coder package ({error})") from error
    if manifest.get("format") != FORMAT:
        raise CodingError(f"{path.name}: not a coder package")
    if int(manifest.get("format_version", 0)) > FORMAT_VERSION:
        raise CodingError(f"{path.name}: made by a newer Threadcoder; update Threadcoder to open it")
    return manifest


def package_manifest(conn: sqlite3.Connection, schema: str = "main") -> dict[str, Any] | None:
    """The manifest (with the baseline) stored in a package project, or None for an ordinary project."""
    row = conn.execute(f"SELECT value FROM {schema}.meta WHERE key = ?", (PACKAGE_KEY,)).fetchone()
    return None if row is None else dict(json.loads(row[0]))


def _fill(db: Database, target: Path, coder_id: int, posts: list[str]) -> dict[str, Any]:
    conn = db.conn
    conn.execute("ATTACH DATABASE ? AS pkg", (str(target),))  # outside any transaction, as SQLite requires
    try:
        with db.atomic():
            conn.execute("CREATE TEMP TABLE package_assigned (post_id TEXT PRIMARY KEY)")
            conn.execute("CREATE TEMP TABLE package_posts (id TEXT PRIMARY KEY)")
            for chunk in chunks(posts):
                conn.executemany("INSERT OR IGNORE INTO temp.package_assigned VALUES (?)", [(p,) for p in chunk])
            _select_context(conn)
            _copy_rows(conn, coder_id)
            manifest = _manifest(conn, coder_id, len(posts))
            baseline = _baseline(conn, coder_id)
            conn.execute(
                "INSERT OR REPLACE INTO pkg.meta (key, value) VALUES (?, ?)",
                (PACKAGE_KEY, json.dumps({**manifest, "baseline": baseline})),
            )
            conn.execute("DROP TABLE temp.package_assigned")
            conn.execute("DROP TABLE temp.package_posts")
    finally:
        conn.execute("DETACH DATABASE pkg")
    return manifest


def _select_context(conn: sqlite3.Connection) -> None:
    """The package's posts: the assigned ones, their whole threads, and the posts they quote, repost or answer."""
    missing = conn.execute(
        "SELECT count(*) FROM temp.package_assigned WHERE post_id NOT IN (SELECT id FROM posts)"
    ).fetchone()[0]
    if missing:
        raise CodingError(f"{missing} of the posts to package are not in the project")
    conn.execute("INSERT INTO temp.package_posts SELECT post_id FROM temp.package_assigned")
    conn.execute(
        "INSERT OR IGNORE INTO temp.package_posts SELECT id FROM posts WHERE root_id IN "
        "(SELECT root_id FROM posts WHERE id IN (SELECT post_id FROM temp.package_assigned))"
    )
    for column in ("reply_to_id", "quote_of_id", "repost_of_id"):
        conn.execute(
            f"INSERT OR IGNORE INTO temp.package_posts SELECT p.{column} FROM posts p "
            f"WHERE p.id IN (SELECT id FROM temp.package_posts) AND p.{column} IN (SELECT id FROM posts)"
        )


def _copy_rows(conn: sqlite3.Connection, coder_id: int) -> None:
    in_package = "IN (SELECT id FROM temp.package_posts)"
    statements = [
        f"INSERT INTO pkg.posts SELECT * FROM main.posts WHERE id {in_package}",
        "INSERT INTO pkg.authors SELECT * FROM main.authors WHERE id IN (SELECT author_id FROM pkg.posts)",
        *[
            f"INSERT INTO pkg.{table} SELECT * FROM main.{table} WHERE post_id {in_package}"
            for table in ("post_hashtags", "post_mentions", "post_urls", "media")
        ],
        "DELETE FROM pkg.codebook",
        "INSERT INTO pkg.codebook SELECT * FROM main.codebook",
        "INSERT INTO pkg.coders SELECT * FROM main.coders WHERE id = :coder",
        "INSERT INTO pkg.codes SELECT * FROM main.codes",
        # Other coders stay out of the package (blind coding); their names leave the change log too.
        "INSERT INTO pkg.codebook_changes SELECT version, at, CASE coder_id WHEN :coder THEN coder_id END, "
        "action, summary, detail FROM main.codebook_changes",
        f"INSERT INTO pkg.codings SELECT * FROM main.codings WHERE coder_id = :coder AND post_id {in_package}",
        "INSERT INTO pkg.coder_status SELECT * FROM main.coder_status "
        f"WHERE coder_id = :coder AND post_id {in_package}",
        "INSERT INTO pkg.memos SELECT * FROM main.memos WHERE coder_id = :coder AND "
        f"(target_kind IN ('code', 'project') OR target_id {in_package})",
        "INSERT INTO pkg.samples SELECT id, name, method, rule, seed, population, created_at, NULL FROM main.samples "
        "WHERE id IN (SELECT sample_id FROM main.assignments WHERE coder_id = :coder "
        "AND post_id IN (SELECT post_id FROM temp.package_assigned))",
        f"INSERT INTO pkg.sample_posts SELECT * FROM main.sample_posts WHERE sample_id IN (SELECT id FROM pkg.samples) "
        f"AND post_id {in_package}",
        "INSERT INTO pkg.assignments SELECT a.coder_id, a.post_id, a.sample_id, a.assigned_at FROM main.assignments a "
        "WHERE a.coder_id = :coder AND a.post_id IN (SELECT post_id FROM temp.package_assigned)",
        "INSERT OR IGNORE INTO pkg.assignments SELECT :coder, post_id, NULL, :now FROM temp.package_assigned",
    ]
    for statement in statements:
        conn.execute(statement, {"coder": coder_id, "now": now()})


def _manifest(conn: sqlite3.Connection, coder_id: int, assigned: int) -> dict[str, Any]:
    coder = conn.execute("SELECT name FROM main.coders WHERE id = ?", (coder_id,)).fetchone()[0]
    guid, name, version = conn.execute("SELECT guid, name, version FROM main.codebook").fetchone()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "coder": coder,
        "created_at": now(),
        "assigned": assigned,
        "posts": conn.execute("SELECT count(*) FROM pkg.posts").fetchone()[0],
        "codebook": name,
        "codebook_guid": guid,
        "codebook_version": version,
    }


def _baseline(conn: sqlite3.Connection, coder_id: int) -> dict[str, Any]:
    """The coder's codings and completion on every package post at export time, by code guid."""
    state: dict[str, Any] = {}
    sql = (
        "SELECT c.post_id, k.guid, c.span_start, c.span_end FROM pkg.codings c "
        "JOIN pkg.codes k ON k.id = c.code_id WHERE c.coder_id = ?"
    )
    for post_id, guid, start, end in conn.execute(sql, (coder_id,)):
        state.setdefault(post_id, {"codes": [], "completed": False})["codes"].append([guid, start, end])
    for (post_id,) in conn.execute("SELECT post_id FROM pkg.coder_status WHERE coder_id = ?", (coder_id,)):
        state.setdefault(post_id, {"codes": [], "completed": False})["completed"] = True
    return state


def _to_single_file(path: Path) -> None:
    """Fold the write-ahead log into the database file, so one file carries everything."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def _write_zip(target: Path, manifest: dict[str, Any], database: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
        archive.write(database, DB_NAME)
    os.replace(partial, target)  # a half-written package never takes the name
