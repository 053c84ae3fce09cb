"""Every real Twitter/X sample in ../shared/realdata imported into a project: counts, threads, texts, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.importing.pipeline import import_source
from archive.importing.sources import Source
from archive.importing.unavailable import unavailable_entries
from archive.jobs import drain
from archive.store.project import Project
from archive.store.stats import import_errors, project_info

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


def test_withheld_pages_record_what_was_unavailable_and_keep_threads_connected(realdata, tmp_path):
    with import_into(tmp_path / "p", realdata / "twitter_v2_twarc2/withheld.jsonl") as project:
        info = project_info(project.db)
        assert info["posts"] == 215
        assert info["replies"] == 62
        assert info["import_errors"] == 0  # deleted posts and suspended accounts are not damage
        gaps = unavailable_entries(project.db)
        assert [g["resource_type"] for g in gaps].count("tweet") == 2
        assert sum("suspended" in g["reason"] for g in gaps) == 3
        assert info["imports"][0]["skipped"] == 0
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


TWITTER_FOLDERS = (
    "twitter_v2_twarc2",
    "twitter_v2_flattened",
    "twitter_v1_1",
    "twitter_archive",
    "csv_generic_and_twarc_csv",
)


def test_every_twitter_file_in_realdata_imports_or_is_passed_over_with_a_reason(realdata, tmp_path):
    files = sorted(p for folder in TWITTER_FOLDERS for p in (realdata / folder).glob("*") if p.is_file())
    assert len(files) >= 15
    with Project.create_or_open(tmp_path / "all") as project:
        summaries = [drain(import_source(project, Source(path))) for path in files]
        by_name = {Path(s.source).name: s for s in summaries}
        passed_over = sorted(name for name, s in by_name.items() if s.status == "passed-over")
        assert all(s.status in ("complete", "passed-over") for s in summaries)
        assert all("X archive" in by_name[name].note for name in passed_over)  # account, manifest, notes
        assert by_name["docnow_2015_tweet.js"].counts.new == 109
        assert by_name["search_extended_waynegraham.jsonl"].format == "v1.1"
        assert by_name["twarc-csv_v0_small_sample.csv"].format == "twarc-csv"
        assert by_name["generic_semicolon_crlf_de.csv"].format == "csv"
        info = project_info(project.db)
        dangling = project.db.execute(
            "SELECT count(*) FROM posts AS c LEFT JOIN posts AS p ON p.id = c.reply_to_id "
            "WHERE c.reply_to_id IS NOT NULL AND p.id IS NULL"
        ).fetchone()[0]
        assert dangling == 0
        assert info["posts"] == sum(r["new"] for r in info["imports"])


def test_v1_retweets_carry_the_original_full_text(realdata, tmp_path):
    with import_into(tmp_path / "p", realdata / "twitter_v1_1/search_extended_waynegraham.jsonl") as project:
        rows = project.db.execute("SELECT text, truncated FROM posts WHERE is_repost = 1 AND kind = 'collected'")
        rts = rows.fetchall()
        assert len(rts) == 2
        assert all(not truncated and not text.endswith("…") for text, truncated in rts)


def test_a_v1_stream_with_a_broken_line_reports_line_seven(realdata, tmp_path):
    path = realdata / "twitter_v1_1/stream_anonymized_tweetsets.jsonl"
    with import_into(tmp_path / "p", path) as project:
        assert [e["line"] for e in import_errors(project.db)] == [7]
        assert project_info(project.db)["posts"] == 6


def test_an_old_layout_x_archive_derives_self_threads(realdata, tmp_path):
    with import_into(tmp_path / "p", realdata / "twitter_archive/docnow_2015_tweet.js") as project:
        info = project_info(project.db)
        assert (info["posts"], info["replies"], info["reposts"]) == (109, 50, 30)
        assert info["replies_with_parent"] == 1
        assert info["import_errors"] == 0


def test_a_generic_csv_and_its_json_twin_give_the_same_thread_links(realdata, tmp_path):
    csv_path = realdata / "csv_generic_and_twarc_csv/generic_semicolon_crlf_de.csv"
    json_path = realdata / "twitter_v2_twarc2/marcus_v2_data_only_de.jsonl"
    with import_into(tmp_path / "csv", csv_path) as from_csv, import_into(tmp_path / "json", json_path) as from_json:
        query = "SELECT id, reply_to_id, quote_of_id, root_id FROM posts WHERE kind = 'collected' ORDER BY id"
        assert from_csv.db.execute(query).fetchall() == from_json.db.execute(query).fetchall()
        assert project_info(from_csv.db)["posts"] == 10
