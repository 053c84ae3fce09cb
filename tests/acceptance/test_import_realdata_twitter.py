"""Every real Twitter/X sample in ../shared/realdata imported into a project: counts, threads, texts, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.importing import import_source
from archive.jobs import drain
from archive.project import Project
from archive.sources import Source
from archive.stats import import_errors, project_info

pytestmark = pytest.mark.acceptance


def import_into(folder: Path, *paths: Path) -> Project:
    project = Project.create_or_open(folder)
    for path in paths:
        drain(import_source(project, Source(path)))
    return project


def texts(project: Project, sql: str) -> list[str]:
    return [row[0] for row in project.db.execute(sql)]


def test_flat_and_noflat_give_the_same_posts(realdata, tmp_path):
    columns = "id, kind, text, truncated, author_id, created_at, reply_to_id, root_id, quote_of_id, repost_of_id, lang"
    with (
        import_into(tmp_path / "flat", realdata / "twitter_v2_flattened/flat.jsonl") as flat,
        import_into(tmp_path / "pages", realdata / "twitter_v2_twarc2/noflat.jsonl") as pages,
    ):
        query = f"SELECT {columns} FROM posts WHERE kind = 'collected' ORDER BY id"
        assert flat.db.execute(query).fetchall() == pages.db.execute(query).fetchall()
        tags = "SELECT post_id, tag FROM post_hashtags ORDER BY 1, 2"
        assert flat.db.execute(tags).fetchall() == pages.db.execute(tags).fetchall()
        assert project_info(flat.db)["posts"] == 100


def test_brexit_page_counts_and_full_retweet_texts(realdata, tmp_path):
    with import_into(tmp_path / "p", realdata / "twitter_v2_twarc2/brexit.jsonl") as project:
        info = project_info(project.db)
        assert info["posts"] == 100
        assert info["reposts"] == 67
        assert info["quotes"] == 11
        assert info["replies"] == 10
        assert info["import_errors"] == 0
        rt_texts = texts(project, "SELECT text FROM posts WHERE kind = 'collected' AND is_repost = 1")
        assert not any(t.startswith("RT @") or t.endswith("…") for t in rt_texts)
        assert not any("&amp;" in t for t in texts(project, "SELECT text FROM posts"))


def test_withheld_pages_record_their_errors_and_keep_threads_connected(realdata, tmp_path):
    with import_into(tmp_path / "p", realdata / "twitter_v2_twarc2/withheld.jsonl") as project:
        info = project_info(project.db)
        assert info["posts"] == 215
        assert info["replies"] == 62
        assert info["import_errors"] == 5
        reasons = [e["reason"] for e in import_errors(project.db)]
        assert all(r.startswith("the X API could not return") for r in reasons)
        assert sum("suspended" in r for r in reasons) == 3
        dangling = project.db.execute(
            "SELECT count(*) FROM posts AS c LEFT JOIN posts AS p ON p.id = c.reply_to_id "
            "WHERE c.reply_to_id IS NOT NULL AND p.id IS NULL"
        ).fetchone()[0]
        assert dangling == 0  # every parent is a post or a placeholder
        assert project.db.execute("SELECT count(*) FROM posts WHERE withheld IS NOT NULL").fetchone()[0] > 0


def test_an_interrupted_stream_imports_seven_posts_and_reports_line_eight(realdata, tmp_path):
    path = realdata / "twitter_v2_twarc2/streaming_output_with_error.jsonl"
    with import_into(tmp_path / "p", path) as project:
        assert project_info(project.db)["posts"] == 7
        errors = import_errors(project.db)
        assert [(e["line"], e["file"]) for e in errors] == [(8, str(path))]


def test_korean_and_tamil_texts_survive_intact(realdata, tmp_path):
    paths = [realdata / "twitter_v2_twarc2/kpop.jsonl", realdata / "twitter_v2_twarc2/withheld.jsonl"]
    with import_into(tmp_path / "p", *paths) as project:
        korean = texts(project, "SELECT text FROM posts WHERE lang = 'ko' AND kind = 'collected'")
        tamil = texts(project, "SELECT text FROM posts WHERE lang = 'ta'")
        assert len(korean) == 26
        assert all(any("\uac00" <= ch <= "\ud7a3" for ch in t) for t in korean)
        assert tamil and all(any("\u0b80" <= ch <= "\u0bff" for ch in t) for t in tamil)


def test_all_v2_files_together_merge_without_loss(realdata, tmp_path):
    folder = realdata / "twitter_v2_twarc2"
    files = sorted(folder.glob("*.jsonl"))
    with import_into(tmp_path / "p", *files) as project:
        info = project_info(project.db)
        per_file = sum(row["new"] for row in info["imports"])
        assert info["posts"] == per_file  # each collected post counted new exactly once
        assert info["imports"] and all(row["status"] == "complete" for row in info["imports"])
        again = drain(import_source(project, Source(files[0])))
        assert again.status == "already-imported"
