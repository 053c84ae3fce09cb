"""Memos from the command line: written on a post, a thread, a code or the project, listed, shown with a post's
codings, and exported, as a team coding blind would use them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from desktop.commands import cli
from tests.archive.agreement.projects import make_study
from tests.archive.export.conftest import read_rows


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A study (posts twitter:1..12, 2 and 3 replying to 1; coders ana, bo, cy; codes), closed like after a run."""
    study = make_study(tmp_path / "study.threadcoder")
    study.project.close()
    return study.project.folder


def run(*args: object, ok: bool = True, stdin: str | None = None) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args], input=stdin, catch_exceptions=False)
    assert (result.exit_code == 0) == ok, result.output
    return result


def add(folder: Path, coder: str, *args: str, ok: bool = True, stdin: str | None = None) -> str:
    """``threadcoder memos FOLDER add ARGS --coder CODER``; what it printed."""
    return run("memos", folder, "add", *args, "--coder", coder, ok=ok, stdin=stdin).output


def test_a_memo_goes_on_a_post_a_thread_a_code_or_the_project(folder: Path) -> None:
    assert add(folder, "ana", "--post", "twitter:1", "Reads as a disclosure.") == "Memo 1 by ana on post twitter:1.\n"
    # Written on a reply, a thread memo is kept on the thread's root.
    assert "on thread twitter:1" in add(folder, "bo", "--thread", "twitter:3", "Mixed")
    assert "on code Irony" in add(folder, "ana", "--code", "irony", "Sarcasm too?")
    assert "on the project" in add(folder, "cy", "--project", "Pilot ends Friday.")
    add(folder, "bo", "--post", "twitter:2", "-", stdin="Line one.\nLine two.\n")  # '-': from standard input
    listed = json.loads(run("memos", folder, "list", "--coder", "bo", "--json").stdout)
    assert [(m["target_kind"], m["target"], m["text"]) for m in listed] == [
        ("thread", "twitter:1", "Mixed"),
        ("post", "twitter:2", "Line one.\nLine two."),
    ]


def test_a_memo_needs_exactly_one_target_and_a_real_one(folder: Path) -> None:
    assert "one of --post ID" in add(folder, "ana", "Floating", ok=False)
    assert "one of --post ID" in add(folder, "ana", "--post", "twitter:1", "--project", "Two", ok=False)
    assert "no code named 'Nope'" in add(folder, "ana", "--code", "Nope", "x", ok=False)
    assert "no post 'twitter:404'" in add(folder, "ana", "--post", "twitter:404", "x", ok=False)


def test_in_blind_mode_the_list_shows_post_and_thread_memos_only_to_their_coder(folder: Path) -> None:
    add(folder, "ana", "--post", "twitter:1", "ana's reading")
    add(folder, "bo", "--thread", "twitter:1", "bo's thread note")
    add(folder, "bo", "--code", "Irony", "Shared rule")
    everyone = run("memos", folder, "list")
    assert "Shared rule" in everyone.stdout
    assert "reading" not in everyone.stdout and "thread note" not in everyone.stdout
    assert "2 post and thread memo(s) not listed" in everyone.stderr
    ana = run("memos", folder, "list", "--coder", "ana").stdout
    assert "[1] post twitter:1: ana, " in ana and "  ana's reading" in ana and "1 memo(s)." in ana
    codes = json.loads(run("memos", folder, "list", "--kind", "code", "--json").stdout)
    assert [m["target"] for m in codes] == ["Irony"]
    run("coders", folder, "blind", "off", "--coder", "ana")
    assert "3 memo(s)." in run("memos", folder, "list").stdout


def test_codings_show_lists_the_memos_on_the_post_and_its_thread(folder: Path) -> None:
    add(folder, "ana", "--post", "twitter:2", "Grateful.\nAnd brief.")
    add(folder, "ana", "--thread", "twitter:1", "Hostile later.")
    add(folder, "bo", "--post", "twitter:2", "bo's own")
    shown = run("codings", folder, "show", "twitter:2", "--coder", "ana").stdout
    assert "ana: post memo: Grateful.\n  And brief.\n" in shown
    assert "ana: thread memo: Hostile later.\n" in shown
    assert "bo's own" not in shown  # blind mode


def test_the_memos_export_is_neutralised_for_spreadsheets_unless_asked(folder: Path, tmp_path: Path) -> None:
    add(folder, "ana", "--post", "twitter:1", "=1+1 @author1 said")
    assert "Wrote 1 rows (memos)" in run("export", folder, "memos", tmp_path / "memos.csv").stdout
    assert read_rows(tmp_path / "memos.csv")[0]["text"] == "'=1+1 @author1 said"
    run("export", folder, "memos", tmp_path / "raw.csv", "--no-neutralise")
    assert read_rows(tmp_path / "raw.csv")[0]["text"] == "=1+1 @author1 said"
    run("export", folder, "memos", tmp_path / "pseudo.csv", "--pseudonymise")
    assert "author1" not in (tmp_path / "pseudo.csv").read_text(encoding="utf-8")


def test_the_cli_neutralises_by_default_only_the_shapes_read_in_spreadsheets(tmp_path):
    from desktop.cli_export import _options

    chosen = {
        "sample": None,
        "codebook_version": None,
        "min_coders": None,
        "bom": False,
        "missing": "blank",
        "neutralise": None,
        "pseudonymise": False,
        "drop_text": False,
        "columns": None,
        "variable": None,
        "coders": None,
        "bootstrap": None,
        "seed": None,
        "gold": False,
        "all_posts": False,
    }
    assert _options("report", dict(chosen)).neutralise
    assert not _options("dataset", dict(chosen)).neutralise  # for R, SPSS, Stata, pandas: texts as written
    assert _options("dataset", {**chosen, "neutralise": True}).neutralise
    assert not _options("memos", {**chosen, "neutralise": False}).neutralise
