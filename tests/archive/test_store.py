"""The project store: opening, locking, migrations, and how imported posts are merged and linked."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

from archive.errors import ProjectCorruptError, ProjectLockedError, ThreadcoderError
from archive.importing.batch_writer import BatchWriter
from archive.importing.batches import Batch
from archive.importing.post_rows import decode_raw
from archive.importing.records import AuthorRecord, ImportIssue, PostKind, PostRecord, Tombstone
from archive.store.project import APPLICATION_ID, Project
from archive.store.schema import SCHEMA_VERSION
from archive.store.stats import project_info

ROOT = Path(__file__).resolve().parents[2]


def tweet(native_id: str, text: str = "hello", **fields: object) -> PostRecord:
    return PostRecord(platform="twitter", native_id=native_id, text=text, raw={"id": native_id}, **fields)  # type: ignore[arg-type]


def write(project: Project, *items: PostRecord | ImportIssue | Tombstone, import_id: int = 1):
    batch = Batch()
    for item in items:
        if isinstance(item, PostRecord):
            batch.records.append(item)
        elif isinstance(item, ImportIssue):
            batch.issues.append(item)
        else:
            batch.tombstones.append(item)
    with project.db.atomic():
        project.db.conn.execute(
            "INSERT OR IGNORE INTO imports (id, file, sha256, format, status, started_at) "
            "VALUES (?, 'test', 'x', 'test', 'running', '2026')",
            (import_id,),
        )
        return BatchWriter(project.db.conn, import_id, "test.jsonl").write(batch)


@pytest.fixture
def project(tmp_path: Path):
    with Project.create_or_open(tmp_path / "p") as opened:
        yield opened


def post(project: Project, key: str) -> dict:
    return project.db["posts"].get(key)  # type: ignore[return-value]


def test_a_new_project_is_a_wal_database_marked_as_ours(project):
    conn = project.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_second_writer_is_refused_with_a_clear_message(project):
    with pytest.raises(ProjectLockedError, match="open in another Threadcoder process"):
        Project(project.folder)


def test_readers_do_not_need_the_lock(project):
    with Project(project.folder, writable=False) as reader:
        assert project_info(reader.db)["posts"] == 0


def test_opening_a_folder_without_a_project_says_so(tmp_path):
    with pytest.raises(ThreadcoderError, match="not a Threadcoder project"):
        Project(tmp_path)


def test_someone_elses_sqlite_file_is_never_touched(tmp_path):
    folder = tmp_path / "other"
    folder.mkdir()
    conn = sqlite3.connect(folder / "project.db")
    conn.execute("CREATE TABLE notes (x)")
    conn.close()
    with pytest.raises(ProjectCorruptError, match="not a Threadcoder project"):
        Project(folder)


def test_a_file_that_is_not_sqlite_is_reported(tmp_path):
    folder = tmp_path / "junk"
    folder.mkdir()
    (folder / "project.db").write_bytes(b"this is not a database" * 100)
    with pytest.raises(ProjectCorruptError, match="not a readable SQLite database"):
        Project(folder)


def test_an_older_project_is_backed_up_before_migrating(tmp_path, monkeypatch):
    import archive.store.project as project_module
    from archive.store import schema

    folder = tmp_path / "old"
    with Project.create_or_open(folder) as opened:
        write(opened, tweet("1"))
    extra = [*schema.MIGRATIONS, ["CREATE TABLE later_feature (x)"]]
    monkeypatch.setattr(project_module, "MIGRATIONS", extra)
    monkeypatch.setattr(project_module, "SCHEMA_VERSION", len(extra))
    with Project(folder) as upgraded:
        assert "later_feature" in upgraded.db.table_names()
        assert upgraded.db.execute("PRAGMA user_version").fetchone()[0] == len(extra)
    backups = list((folder / "backups").glob(f"*before-migration-{len(extra)}.db"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT count(*) FROM posts").fetchone()[0] == 1


def test_the_index_queue_migration_keeps_queued_posts_in_the_order_they_were_queued(tmp_path, monkeypatch):
    import archive.store.project as project_module
    from archive.store import schema

    before = schema.MIGRATIONS[:4]  # the queue keyed by post id, stamped by two clocks
    monkeypatch.setattr(project_module, "MIGRATIONS", before)
    monkeypatch.setattr(project_module, "SCHEMA_VERSION", len(before))
    folder = tmp_path / "old"
    with Project.create_or_open(folder) as opened, opened.db.atomic():
        opened.db.conn.executemany(
            "INSERT INTO index_queue VALUES (?, ?)",
            [("twitter:b", "2026-01-01T10:00:00.500Z"), ("twitter:a", "2026-01-01T10:00:01Z")],
        )
    monkeypatch.undo()
    with Project(folder) as upgraded:
        rows = upgraded.db.execute("SELECT post_id FROM index_queue ORDER BY seq").fetchall()
        assert [r[0] for r in rows] == ["twitter:b", "twitter:a"]
        with upgraded.db.atomic():
            upgraded.db.execute("INSERT OR REPLACE INTO index_queue (post_id, queued_at) VALUES ('twitter:b', 'x')")
        rows = upgraded.db.execute("SELECT post_id FROM index_queue ORDER BY seq").fetchall()
        assert [r[0] for r in rows] == ["twitter:a", "twitter:b"]  # queued again: behind every earlier row


def test_a_project_from_a_newer_version_is_refused(tmp_path):
    folder = tmp_path / "new"
    Project.create_or_open(folder).close()
    conn = sqlite3.connect(folder / "project.db")
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(ThreadcoderError, match="newer Threadcoder"):
        Project(folder)


def test_posts_are_stored_with_text_ids_and_compressed_raw(project):
    counts = write(project, tweet("1234567890123456789", "Ça va &amp; toi?", lang="fr"))
    row = post(project, "twitter:1234567890123456789")
    assert counts.new == 1
    assert row["native_id"] == "1234567890123456789"
    assert row["text"] == "Ça va &amp; toi?"  # readers unescape; the store keeps what it is given
    assert decode_raw(row["raw"]) == {"id": "1234567890123456789"}


def test_a_reply_to_a_missing_post_gets_a_placeholder_parent(project):
    counts = write(project, tweet("2", reply_to="1", root="1"))
    parent = post(project, "twitter:1")
    assert parent["kind"] == "placeholder"
    assert parent["root_id"] == "twitter:1"
    assert counts.placeholders == 1
    info = project_info(project.db)
    assert (info["posts"], info["placeholders"], info["replies"], info["replies_with_parent"]) == (1, 1, 1, 0)


def test_a_parent_arriving_later_replaces_its_placeholder_and_links_the_thread(project):
    write(project, tweet("3", reply_to="2"))
    write(project, tweet("2", reply_to="1"))
    assert post(project, "twitter:3")["root_id"] == "twitter:1"
    write(project, tweet("1"))
    info = project_info(project.db)
    assert info["placeholders"] == 0
    assert info["replies_with_parent"] == 2
    assert info["threads"] == 1
    assert {post(project, f"twitter:{i}")["root_id"] for i in "123"} == {"twitter:1"}


def test_roots_are_derived_within_a_batch_whatever_the_order(project):
    write(project, tweet("c", reply_to="b"), tweet("b", reply_to="a"), tweet("a"))
    assert {post(project, f"twitter:{i}")["root_id"] for i in "abc"} == {"twitter:a"}


def test_a_reply_whose_parent_was_imported_earlier_gets_its_root(project):
    write(project, tweet("10", root="5"))
    write(project, tweet("11", reply_to="10"))
    assert post(project, "twitter:11")["root_id"] == "twitter:5"


def test_reimporting_the_same_post_is_a_duplicate(project):
    write(project, tweet("1"))
    counts = write(project, tweet("1"))
    assert (counts.new, counts.updated, counts.duplicates) == (0, 0, 1)


def test_newer_metrics_update_a_post_and_keep_the_first_raw(project):
    write(project, tweet("1", metrics={"like_count": 1}, retrieved_at="2021-01-01T00:00:00Z"))
    second = tweet("1", metrics={"like_count": 9}, retrieved_at="2021-06-01T00:00:00Z")
    second.raw = {"id": "1", "second": True}
    counts = write(project, second)
    row = post(project, "twitter:1")
    assert counts.updated == 1
    assert row["metrics"] == '{"like_count":9}'
    assert decode_raw(row["raw"]) == {"id": "1"}


def test_older_metrics_do_not_overwrite_newer_ones(project):
    write(project, tweet("1", metrics={"like_count": 9}, retrieved_at="2021-06-01T00:00:00Z"))
    counts = write(project, tweet("1", metrics={"like_count": 1}, retrieved_at="2021-01-01T00:00:00Z"))
    assert counts.duplicates == 1
    assert post(project, "twitter:1")["metrics"] == '{"like_count":9}'


def test_the_most_complete_text_wins(project):
    write(project, tweet("1", "RT @a: the start of a long…", truncated=True))
    counts = write(project, tweet("1", "RT @a: the start of a long text, now whole"))
    row = post(project, "twitter:1")
    assert counts.updated == 1
    assert (row["text"], row["truncated"]) == ("RT @a: the start of a long text, now whole", 0)
    write(project, tweet("1", "RT @a: the start…", truncated=True))
    assert post(project, "twitter:1")["truncated"] == 0


def test_a_context_post_becomes_collected_when_a_collection_holds_it(project):
    counts = write(project, tweet("1", kind=PostKind.CONTEXT))
    assert (counts.new, counts.context) == (0, 1)
    assert project_info(project.db)["posts"] == 0
    counts = write(project, tweet("1"))
    assert counts.new == 1
    assert post(project, "twitter:1")["kind"] == "collected"


def test_a_collected_post_is_never_demoted_by_context(project):
    write(project, tweet("1"))
    write(project, tweet("1", kind=PostKind.CONTEXT))
    assert post(project, "twitter:1")["kind"] == "collected"


def test_hashtags_mentions_urls_and_authors_are_stored(project):
    author = AuthorRecord("twitter", "42", handle="Ana", name="Ana B.")
    write(project, tweet("1", author=author, hashtags=["MeToo", "metoo"], mentions=["Bo"], urls=["https://x.org"]))
    tags = project.db.execute("SELECT tag, display FROM post_hashtags ORDER BY display").fetchall()
    assert tags == [("metoo", "MeToo")]  # one tag, case-folded; first spelling kept
    assert project.db.execute("SELECT handle FROM post_mentions").fetchall() == [("bo",)]
    assert project.db["authors"].get("twitter:42")["handle"] == "Ana"
    assert post(project, "twitter:1")["author_id"] == "twitter:42"


def test_issues_are_recorded_with_file_and_line(project):
    counts = write(project, ImportIssue(7, "not valid JSON", excerpt='{"id": "1'))
    assert counts.skipped == 1
    row = project.db.execute("SELECT file, line, reason, excerpt FROM import_errors").fetchone()
    assert row == ("test.jsonl", 7, "not valid JSON", '{"id": "1')


def test_delete_notices_mark_posts_deleted_or_leave_a_deleted_placeholder(project):
    write(project, tweet("1"))
    write(project, Tombstone("twitter", "1"), Tombstone("twitter", "2"))
    assert post(project, "twitter:1")["deleted"] == 1
    assert post(project, "twitter:2")["kind"] == "placeholder"
    assert post(project, "twitter:2")["deleted"] == 1


def test_every_written_post_is_queued_for_the_search_index(project):
    write(project, tweet("1"), tweet("2", reply_to="9"))
    queued = {r[0] for r in project.db.execute("SELECT post_id FROM index_queue")}
    assert queued == {"twitter:1", "twitter:2"}  # placeholders have no text to index


def test_a_failed_batch_leaves_nothing_behind(project):
    batch = Batch(records=[tweet("1")])
    writer = BatchWriter(project.db.conn, 999, "x")
    project.db.conn.execute(
        "INSERT INTO imports (id, file, sha256, format, status, started_at) VALUES (999,'x','x','x','running','t')"
    )
    with pytest.raises(ZeroDivisionError), project.db.atomic():
        writer.write(batch)
        raise ZeroDivisionError
    assert project.db["posts"].count == 0
    assert project.db["index_queue"].count == 0


def test_a_more_complete_version_replaces_the_entities_too(project):
    write(project, tweet("1", "RT @a: #MeToo and…", truncated=True, hashtags=["MeToo"], mentions=["a"]))
    write(project, tweet("1", "RT @a: #MeToo and #MenToo too", hashtags=["MeToo", "MenToo"], mentions=["a"]))
    tags = project.db.execute("SELECT tag FROM post_hashtags WHERE post_id = 'twitter:1' ORDER BY tag").fetchall()
    assert tags == [("menToo".casefold(),), ("metoo",)]
    assert project.db.execute("SELECT count(*) FROM post_mentions").fetchone()[0] == 1


def corrupt_pages(folder: Path) -> None:
    """Overwrite pages in the middle of a closed project's database, as a failing disk would."""
    path = folder / "project.db"
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page * 3, len(data) - page, page * 2):
        data[start + 100 : start + 400] = b"\xff" * 300
    path.write_bytes(bytes(data))


def test_a_damaged_database_fails_the_check_on_open_or_when_asked(tmp_path):
    folder = tmp_path / "p"
    with Project.create_or_open(folder) as opened:
        write(opened, *(tweet(str(i), "words " * 50, hashtags=["MeToo"]) for i in range(400)))
        opened.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    corrupt_pages(folder)
    with pytest.raises(ProjectCorruptError, match="failed its integrity check"):
        Project(folder)
    # The app opens at once and checks in the background.
    with Project(folder, check=False) as unchecked, pytest.raises(ProjectCorruptError, match="restore a copy"):
        unchecked.check_integrity()


def test_a_worker_connection_attaches_without_the_lock(project):
    write(project, tweet("1"))
    with Project.attach(project.folder, writable=False) as worker:
        assert worker.db.execute("SELECT count(*) FROM posts").fetchone()[0] == 1


def test_threads_linked_later_and_deletions_are_queued_for_the_search_index(project):
    write(project, tweet("3", reply_to="2"), tweet("4", reply_to="2"))
    project.db.execute("DELETE FROM index_queue")
    write(project, tweet("2", root="1"))  # the placeholder parent arrives: 3 and 4 move to thread 1
    queued = {r[0] for r in project.db.execute("SELECT post_id FROM index_queue")}
    assert queued == {"twitter:2", "twitter:3", "twitter:4"}
    project.db.execute("DELETE FROM index_queue")
    write(project, Tombstone("twitter", "3"))
    assert [r[0] for r in project.db.execute("SELECT post_id FROM index_queue")] == ["twitter:3"]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="fork and SIGKILL are POSIX")
def test_a_child_left_running_after_its_writer_was_killed_does_not_hold_the_project(tmp_path):
    # The indexer's multiprocess writer forks; when the parent was killed -9, its children lived on for
    # minutes and, sharing the parent's flock, kept every other writer out.
    import signal
    import subprocess
    import textwrap

    folder = tmp_path / "p.threadcoder"
    Project.create_or_open(folder).close()
    script = textwrap.dedent(f"""
        import os, sys, time
        from archive.store.project import Project
        project = Project({str(folder)!r})
        child = os.fork()
        if child == 0:
            time.sleep(30)
            os._exit(0)
        print(child, flush=True)
        time.sleep(30)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    child = int(parent.stdout.readline())
    try:
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        with Project(folder) as again:
            assert again.writable
    finally:
        os.kill(child, signal.SIGKILL)
        parent.stdout.close()


def test_the_same_process_cannot_take_a_project_twice_and_keeps_its_lock(project):
    import subprocess

    with pytest.raises(ProjectLockedError, match=f"pid {os.getpid()}"):
        Project(project.folder)
    other = subprocess.run(  # the refusal let go of nothing: another process is still kept out
        [sys.executable, "-c", f"from archive.store.project import Project; Project({str(project.folder)!r})"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert other.returncode != 0 and "open in another Threadcoder process" in other.stderr


@pytest.mark.parametrize("create", [False, True])
def test_an_emptied_database_beside_a_projects_index_is_refused_not_started_over(tmp_path, create):
    folder = tmp_path / "p.threadcoder"
    with Project.create_or_open(folder) as opened:
        write(opened, tweet("1"))
    (folder / "index").mkdir()
    (folder / "index" / "_MAIN_1.toc").write_bytes(b"segments")
    (folder / "project.db").write_bytes(b"")  # a failed copy, a disk error
    for leftover in folder.glob("project.db-*"):
        leftover.unlink()
    with pytest.raises(ProjectCorruptError, match="the project database is empty, but this folder holds"):
        Project(folder, create=create)
    assert (folder / "project.db").stat().st_size == 0  # nothing was written into it
    Project.create_or_open(tmp_path / "other").close()  # and the lock was let go


def test_an_empty_database_is_not_opened_as_a_project_by_a_command_that_does_not_create_one(tmp_path):
    folder = tmp_path / "p.threadcoder"
    folder.mkdir()
    (folder / "project.db").write_bytes(b"")
    with pytest.raises(ProjectCorruptError, match="the project database is empty; this folder holds no project"):
        Project(folder)
    with Project.create_or_open(folder) as created:  # creating one there is what import does
        assert created.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
