"""``threadcoder search`` and ``threadcoder index`` as a researcher runs them."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from archive.store.project import Project
from desktop.commands import cli
from index.indexer import queued_count
from tests.index.conftest import CORPUS, post, write


@pytest.fixture
def folder(tmp_path):
    """A project with CORPUS written but not yet indexed: the commands must catch up themselves."""
    path = tmp_path / "study.threadcoder"
    with Project.create_or_open(path) as project:
        write(project, *CORPUS)
    return path


def run(*args: str):
    result = CliRunner().invoke(cli, [str(arg) for arg in args])
    return result


def test_search_catches_up_and_prints_the_hits(folder):
    result = run("search", folder, "#metoo", "--sort", "-date")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("3 posts match (") and lines[0].endswith("newest first; showing 1-3")
    hits = [line.split()[0] for line in lines if line.startswith("twitter:")]
    assert hits == ["twitter:12", "twitter:15", "twitter:10"]
    with Project(folder) as project:
        assert queued_count(project.db.conn) == 0


def test_json_output_has_total_time_and_hits_with_scores_and_marked_snippets(folder):
    result = run("search", folder, "believe survivors", "--json", "--limit", "1")
    body = json.loads(result.output)
    assert body["total"] == 2 and isinstance(body["elapsed_ms"], float)
    (hit,) = body["hits"]
    assert set(hit) == {"id", "score", "snippet"} and hit["score"] > 0
    assert "<mark>believe</mark> <mark>survivors</mark>" in hit["snippet"]


def test_limit_page_and_facets(folder):
    first = json.loads(run("search", folder, "", "--json", "--limit", "5", "--sort", "date").output)
    second = json.loads(run("search", folder, "", "--json", "--limit", "5", "--page", "2", "--sort", "date").output)
    assert first["total"] == 13 and len(first["hits"]) == 5 and len(second["hits"]) == 5
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    facets = json.loads(run("search", folder, "#metoo", "--json", "--facets").output)["facets"]
    assert facets["hashtags"][0] == ["metoo", 3] and facets["languages"] == [["en", 3]]
    text = run("search", folder, "#metoo", "--facets").output
    assert "hashtags: metoo (3), believesurvivors (1)" in text


def test_csv_writes_every_hit_with_its_metadata(folder, tmp_path):
    target = tmp_path / "hits.csv"
    result = run("search", folder, "#metoo OR is:reply", "--csv", target, "--limit", "1", "--sort", "date")
    assert result.exit_code == 0 and "4 posts written to" in result.output
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows] == ["twitter:10", "twitter:13", "twitter:15", "twitter:12"]
    reply = rows[1]
    assert (reply["author"], reply["is_reply"], reply["reply_to_id"], reply["mentions"]) == (
        "BenWren",
        "1",
        "twitter:10",
        "ana_r",
    )
    assert rows[3]["hashtags"] == "BelieveSurvivors metoo" and rows[3]["text"].startswith("I run every morning")


def test_a_bad_query_points_at_the_problem_and_fails(folder):
    result = run("search", folder, "women AND (men")
    assert result.exit_code == 1
    assert "this '(' is never closed; add a ')' (at character 11)" in result.output
    assert "  women AND (men\n            ^" in result.output


def test_saving_listing_and_running_saved_searches(folder):
    assert run("search", folder, "#metoo", "--save", "peak", "--sort", "date").exit_code == 0
    listed = run("search", folder, "--list-saved").output
    assert listed.strip() == "peak: #metoo  [date]"
    rerun = json.loads(run("search", folder, "--saved", "peak", "--json").output)
    assert [hit["id"] for hit in rerun["hits"]] == ["twitter:10", "twitter:15", "twitter:12"]
    assert rerun["sort"] == "date"
    missing = run("search", folder, "--saved", "nope")
    assert missing.exit_code == 1 and "no saved search called 'nope'" in missing.output
    both = run("search", folder, "x", "--saved", "peak")
    assert both.exit_code == 2 and "either a QUERY or --saved NAME" in both.output


def test_coder_option_for_blind_mode(folder):
    blocked = run("search", folder, "uncoded")
    assert blocked.exit_code == 1 and "which coder you are (--coder NAME)" in blocked.output
    allowed = json.loads(run("search", folder, "uncoded", "--coder", "ana", "--json").output)
    assert allowed["total"] == 13


def test_index_command_catches_up_checks_and_rebuilds(folder):
    assert run("index", folder, "--check").exit_code == 1
    first = run("index", folder)
    assert first.exit_code == 0 and first.output.startswith(f"Indexed {len(CORPUS)} posts in ")
    assert run("index", folder).output.strip() == "The index is up to date."
    check = run("index", folder, "--check")
    assert check.exit_code == 0 and check.output.strip() == "ok: the index is up to date"
    with Project(folder) as project:
        write(project, post("700", "late arrival"), import_id=2)
    assert run("index", folder, "--check").output.startswith("catch-up: 1 changed posts")
    rebuilt = run("index", folder, "--rebuild")
    assert rebuilt.exit_code == 0 and rebuilt.output.startswith(f"Indexed {len(CORPUS) + 1} posts")


def test_search_works_read_only_while_the_project_is_open_elsewhere(folder):
    assert run("index", folder).exit_code == 0
    with Project(folder):  # the app holds the project lock
        result = run("search", folder, "#metoo", "--json")
    assert json.loads(result.stdout)["total"] == 3
    assert "open elsewhere; searching the index as it is" in result.stderr


@pytest.fixture
def hostile(tmp_path):
    """Posts written to run as formulas when a spreadsheet opens the CSV, by an author named like one."""
    from archive.importing.records import AuthorRecord

    attacker = AuthorRecord("twitter", "66", "=cmd|' /C calc'!A0", "+SUM(1)")
    path = tmp_path / "hostile.threadcoder"
    with Project.create_or_open(path) as project:
        write(
            project,
            post("1", '=HYPERLINK("http://example.org","x") metoo', attacker),
            post("2", "\tmetoo with a tab first", attacker),
            post("3", "-2+3 metoo", attacker),
        )
    return path


def _cells(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def test_csv_neutralises_formula_cells_unless_asked_not_to(hostile, tmp_path):
    target = tmp_path / "hits.csv"
    assert run("search", hostile, "metoo", "--csv", target).exit_code == 0
    rows = _cells(target)
    assert rows["twitter:1"]["text"].startswith("'=HYPERLINK(")
    assert rows["twitter:2"]["text"].startswith("'\t")
    assert rows["twitter:3"]["text"] == "'-2+3 metoo"
    assert rows["twitter:1"]["author"] == "'=cmd|' /C calc'!A0" and rows["twitter:1"]["author_name"] == "'+SUM(1)"
    assert run("search", hostile, "metoo", "--csv", target, "--no-neutralise").exit_code == 0
    assert _cells(target)["twitter:1"]["text"].startswith("=HYPERLINK(")


def test_csv_is_written_whole_or_not_at_all(folder, tmp_path, monkeypatch):
    from app import search_export

    def fail(*_args):
        raise OSError(28, "No space left on device")

    target = tmp_path / "hits.csv"
    monkeypatch.setattr(search_export, "_metadata", fail)
    result = run("search", folder, "#metoo", "--csv", target)
    assert result.exit_code != 0
    assert not target.exists() and not list(tmp_path.glob("*.part"))


def test_csv_into_a_missing_folder_is_a_clear_error(folder, tmp_path):
    result = run("search", folder, "#metoo", "--csv", tmp_path / "missing" / "hits.csv")
    assert result.exit_code == 1
    assert "missing does not exist; create the folder first" in result.output


def test_hits_say_who_wrote_them_and_when_and_one_post_matches(folder):
    result = run("search", folder, "gardening OR harassment")
    lines = result.output.splitlines()
    assert lines[0].startswith("1 post matches (")
    assert "twitter:22  @ana_r · 2019-02-01 10:00 UTC  score" in result.output
