"""A killed import (SIGKILL, mid-file) leaves a consistent project, and running it again completes it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.store.project import Project
from archive.store.stats import project_info

PAGES = 300
PER_PAGE = 100


def write_archive(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for p in range(PAGES):
            tweets = []
            for i in range(PER_PAGE):
                n = p * PER_PAGE + i
                root = n - n % 5  # threads of five: each post replies to the one before
                refs = [{"type": "replied_to", "id": str(n - 1)}] if n != root else []
                tweets.append(
                    {
                        "id": str(n),
                        "text": f"post {n} #MeToo #tag{n % 7}",
                        "author_id": str(n % 50),
                        "created_at": "2017-10-16T10:00:00.000Z",
                        "conversation_id": str(root),
                        "referenced_tweets": refs,
                        "entities": {"hashtags": [{"tag": "MeToo"}]},
                    }
                )
            users = [{"id": str(u), "username": f"user{u}"} for u in range(50)]
            out.write(json.dumps({"data": tweets, "includes": {"users": users}, "meta": {}}) + "\n")
    return path


def start_import(project: Path, archive: Path) -> subprocess.Popen[bytes]:
    code = "import sys; from desktop.main import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.Popen(
        [sys.executable, "-c", code, "import", str(project), str(archive)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def items_done(project: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{project / 'project.db'}?mode=ro", uri=True, timeout=1)
        try:
            row = conn.execute("SELECT max(items_done) FROM imports").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return 0
    return int(row[0] or 0) if row else 0


def snapshot(project: Path) -> tuple[object, ...]:
    with Project(project, writable=False) as opened:
        posts = opened.db.execute("SELECT id, text, root_id, reply_to_id, kind FROM posts ORDER BY id").fetchall()
        tags = opened.db.execute("SELECT post_id, tag FROM post_hashtags ORDER BY 1, 2").fetchall()
        queue = opened.db.execute("SELECT count(*) FROM index_queue").fetchone()[0]
    return posts, tags, queue


@pytest.mark.slow
def test_a_killed_import_is_consistent_and_completes_when_run_again(tmp_path):
    archive = write_archive(tmp_path / "big.jsonl")
    killed = tmp_path / "killed.threadcoder"
    process = start_import(killed, archive)
    deadline = time.monotonic() + 60
    while items_done(killed) < 2 * 2000 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the import finished before it could be killed; make the file bigger"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    with Project(killed) as opened:  # opening runs quick_check and takes the lock the dead process held
        assert opened.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        info = project_info(opened.db)
        assert 0 < info["posts"] < PAGES * PER_PAGE
        assert info["imports"][0]["status"] == "running"
        posts_with_tags = opened.db.execute("SELECT count(DISTINCT post_id) FROM post_hashtags").fetchone()[0]
        assert posts_with_tags == info["posts"]  # every committed post came with its hashtags

    rerun = start_import(killed, archive)
    assert rerun.wait(timeout=120) == 0
    clean = tmp_path / "clean.threadcoder"
    assert start_import(clean, archive).wait(timeout=120) == 0
    assert snapshot(killed) == snapshot(clean)
    with Project(killed, writable=False) as opened:
        info = project_info(opened.db)
    assert info["posts"] == PAGES * PER_PAGE
    assert info["threads"] == PAGES * PER_PAGE // 5
    assert info["imports"][0]["status"] == "complete"
    assert info["imports"][0]["new"] == PAGES * PER_PAGE
