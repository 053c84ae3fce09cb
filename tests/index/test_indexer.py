"""Keeping the index in step with the store: the queue, crashes, cancelling, rebuilding, the check on open."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from archive.jobs import CancelToken, drain
from archive.store.index_queue import queue_posts
from archive.store.project import Project
from index import indexer, merging
from index.indexer import catch_up, check, queued_count, rebuild
from index.schema import ID_FIELD
from index.search import ProjectSearch
from index.storage import VERSION_FILE, rebuild_folder
from tests.index.conftest import BEN, CORPUS, post, write

ROOT = Path(__file__).resolve().parents[2]


def many(count: int, start: int = 1000, word: str = "bulk") -> list:
    return [post(str(start + n), f"{word} post number {n}", BEN) for n in range(count)]


def total(project: Project, query: str = "") -> int:
    with ProjectSearch(project) as searcher:
        return searcher.search(query).total


def test_catch_up_indexes_the_queue_and_empties_it(project):
    write(project, *CORPUS)
    assert queued_count(project.db.conn) == len(CORPUS)
    progress = []
    summary = drain(catch_up(project), progress.append)
    assert (summary.status, summary.indexed, summary.removed) == ("complete", len(CORPUS), 0)
    assert queued_count(project.db.conn) == 0
    assert progress[-1].done == len(CORPUS)
    assert total(project) == len(CORPUS) - 1  # the context post is indexed, not listed by default
    assert drain(catch_up(project)).status == "up-to-date"


def test_an_imported_change_replaces_the_old_version_in_the_index(corpus):
    # The store keeps the most complete text of a post seen twice: the new one is longer.
    changed = post("22", "Now this post talks about gardening instead, at much greater length than it did before.")
    write(corpus, changed, import_id=2)
    drain(catch_up(corpus))
    assert total(corpus, "gardening") == 1
    assert total(corpus, "harassment") == 0
    assert total(corpus) == len(CORPUS) - 1


def test_posts_gone_from_the_store_leave_the_index(corpus):
    with corpus.db.atomic():
        corpus.db.conn.execute("DELETE FROM posts WHERE id = 'twitter:22'")
        queue_posts(corpus.db.conn, ["twitter:22"])
    summary = drain(catch_up(corpus))
    assert (summary.indexed, summary.removed) == (0, 1)
    assert total(corpus, "harassment") == 0


def test_an_abandoned_catch_up_commits_nothing_and_leaves_the_queue(project):
    write(project, *CORPUS)
    drain(catch_up(project))
    write(project, *many(30), import_id=2)
    job = catch_up(project, batch_size=10)
    next(job)  # ten posts added to the writer, nothing committed
    job.close()  # the process "dies" here
    assert queued_count(project.db.conn) == 30
    assert total(project, "bulk") == 0
    drain(catch_up(project))
    assert total(project, "bulk") == 30 and queued_count(project.db.conn) == 0


def test_cancelling_keeps_what_was_committed_and_the_rest_stays_queued(project, monkeypatch):
    monkeypatch.setattr(indexer, "SINGLE_COMMIT", 10)
    write(project, *many(40))
    drain(catch_up(project))  # creates the index
    write(project, *many(40, start=5000, word="later"), import_id=2)
    cancel = CancelToken()
    job = catch_up(project, cancel=cancel, batch_size=10)
    next(job)
    cancel.cancel()
    summary = drain(job)
    assert summary.status == "cancelled"
    assert total(project, "later") == 10 and queued_count(project.db.conn) == 30
    drain(catch_up(project))
    assert total(project, "later") == 40 and queued_count(project.db.conn) == 0


KILLED_JOB = """
import sys
from archive.store.project import Project
from index import indexer, merging
indexer.SINGLE_COMMIT = 50
with Project(sys.argv[1]) as project:
    for progress in indexer.catch_up(project, batch_size=25):
        print(progress.phase, progress.done, flush=True)
"""


@pytest.mark.slow
def test_a_killed_indexer_loses_nothing_the_next_catch_up_indexes_the_rest(tmp_path):
    folder = tmp_path / "killed.threadcoder"
    with Project.create_or_open(folder) as project:
        write(project, *many(10, start=1))
        drain(catch_up(project))
        write(project, *many(400), import_id=2)
    script = tmp_path / "job.py"
    script.write_text(textwrap.dedent(KILLED_JOB))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, str(script), str(folder)], stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    commits = 0
    for line in child.stdout:
        commits += line.startswith("committing")
        if commits == 3:  # killed in the middle of its work, after a few commits
            child.send_signal(signal.SIGKILL)
            break
    child.stdout.close()
    child.wait()
    with Project(folder) as project:
        left = queued_count(project.db.conn)
        assert 0 < left < 400
        assert total(project, "bulk") == 410 - left  # exactly what was committed was dequeued
        drain(catch_up(project))
        assert queued_count(project.db.conn) == 0
        assert total(project, "bulk") == 410
        assert check(project).state == "ok"


def test_rebuild_swaps_in_a_fresh_index_and_clears_the_queue(corpus):
    write(corpus, post("500", "queued but not indexed yet"), import_id=2)
    summary = drain(rebuild(corpus))
    assert summary.status == "complete" and summary.indexed == len(CORPUS) + 1
    assert not rebuild_folder(corpus.index_path).exists()
    assert queued_count(corpus.db.conn) == 0
    assert total(corpus, "queued") == 1 and total(corpus, "#metoo") == 3


def _queued(project: Project) -> set[str]:
    return {row[0] for row in project.db.conn.execute("SELECT post_id FROM index_queue")}


def test_a_change_queued_while_a_rebuild_runs_stays_queued(corpus):
    # The rebuild may already have read the post before the change: only the queue can still tell.
    write(corpus, post("500", "queued by an import before the rebuild"), import_id=2)
    job = rebuild(corpus, batch_size=5)
    next(job)  # the rebuild has started and knows what was queued before it
    with corpus.db.atomic():
        queue_posts(corpus.db.conn, ["twitter:10"])  # a coder codes a post meanwhile
    drain(job)
    assert _queued(corpus) == {"twitter:10"}


def test_a_rebuild_forgets_the_queue_by_order_not_by_clock(corpus):
    # The import writer stamped seconds and the coding store milliseconds, compared as text; a clock
    # set back (or two stamps in one second) made a later change look older than the rebuild's start.
    write(corpus, post("500", "queued by an import before the rebuild"), import_id=2)
    with corpus.db.atomic():
        corpus.db.conn.execute("UPDATE index_queue SET queued_at = '2999-01-01T00:00:00Z'")
    job = rebuild(corpus, batch_size=5)
    next(job)
    with corpus.db.atomic():
        queue_posts(corpus.db.conn, ["twitter:10"])
    drain(job)
    assert _queued(corpus) == {"twitter:10"}
    drain(catch_up(corpus))
    assert _queued(corpus) == set()


def test_a_cancelled_rebuild_keeps_the_old_index(corpus, monkeypatch):
    monkeypatch.setattr(indexer, "SINGLE_COMMIT", 5)
    cancel = CancelToken()
    job = rebuild(corpus, cancel=cancel, batch_size=5)
    next(job)
    cancel.cancel()
    assert drain(job).status == "cancelled"
    assert not rebuild_folder(corpus.index_path).exists()
    assert total(corpus, "#metoo") == 3


def test_the_multiprocess_writer_indexes_the_same_as_the_single_one(project, monkeypatch):
    monkeypatch.setattr(indexer, "PARALLEL_MIN", 50)
    monkeypatch.setattr(indexer, "PARALLEL_COMMIT", 120)
    write(project, *many(300))
    assert drain(catch_up(project)).indexed == 300  # a rebuild: the index did not exist
    write(project, *many(150, word="changed"), *many(50, start=9000), import_id=2)
    summary = drain(catch_up(project))
    assert (summary.status, summary.indexed) == ("complete", 200)
    assert total(project, "bulk") == 150 + 50 and total(project, "changed") == 150
    assert total(project) == 350


def test_the_check_on_open_says_what_to_do(project):
    assert check(project).state == "rebuild"
    write(project, *CORPUS)
    drain(catch_up(project))
    assert check(project).state == "ok"
    write(project, post("600", "new"), import_id=2)
    health = check(project)
    assert (health.state, health.queued) == ("catch-up", 1)
    drain(catch_up(project))
    index = whoosh_index.open_dir(str(project.index_path))
    with index.writer() as writer:
        writer.delete_by_term(ID_FIELD, "twitter:600")
    health = check(project)
    assert health.state == "rebuild" and "the index holds 14 posts but the project has 15" in health.reason


def test_an_index_of_another_version_is_rebuilt(corpus):
    (corpus.index_path / VERSION_FILE).write_text(json.dumps({"version": 0}))
    assert check(corpus).state == "rebuild"
    assert drain(catch_up(corpus)).indexed == len(CORPUS)
    assert check(corpus).state == "ok"


def test_many_small_catch_ups_do_not_pile_up_segments(corpus):
    for n in range(25):  # a day of coding: one small commit after another
        write(corpus, post(str(800 + n), f"small change {n}"), import_id=2)
        drain(catch_up(corpus))
    segments = whoosh_index.open_dir(str(corpus.index_path)).reader().leaf_readers()
    assert 1 < len(segments) <= merging.PILE
    assert total(corpus, "small change") == 25 and check(corpus).state == "ok"


def test_merging_leaves_segments_of_the_upper_tier_alone():
    class Fake:
        def __init__(self, size: int) -> None:
            self.size = size

        def doc_count_all(self) -> int:
            return self.size

    big = [Fake(32_000) for _ in range(30)]
    assert merging.merge_tiers(None, big) == big
