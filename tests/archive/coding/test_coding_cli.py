"""The coding commands end to end: codebook, coders, sample, codings and package, as a team would run them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from desktop.cli import ThreadcoderGroup
from desktop.cli_coding import COMMANDS

# The same groups `threadcoder` carries once desktop/commands.py registers them, under the same error handling.
cli = ThreadcoderGroup("threadcoder", commands={command.name: command for command in COMMANDS})


@pytest.fixture
def folder(project):
    """The fixture project's folder, closed so that each command opens it like a separate process."""
    project.close()
    return project.folder


def run(*args: object, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) == ok, result.output
    return result.output


@pytest.mark.parametrize("group", ["codebook", "coders", "codings", "sample", "package"])
def test_every_group_has_help(group):
    assert "Usage:" in run(group, "--help")


def test_a_team_sets_up_codes_and_merges_a_package(folder, tmp_path):
    assert "codes added" in run("codebook", folder, "import", "--starter", "metoo-men", "--coder", "ana")
    run("coders", folder, "add", "bo", "--full-name", "Bo Berg")
    assert "Stance toward the man's post [variable]" in run("codebook", folder, "show")

    assert "3 posts drawn from 4" in run("sample", folder, "draw", "pilot", "--size", "3", "--seed", "7")
    run("coders", folder, "assign", "ana", "--sample", "pilot")
    run("coders", folder, "assign", "bo", "--sample", "pilot")
    pilot = json.loads(run("sample", folder, "show", "pilot", "--json"))["posts"]

    first = pilot[0]
    run("codings", folder, "apply", first, "Support", "--coder", "ana")
    run("codings", folder, "done", first, "--coder", "ana")
    run("codings", folder, "done", pilot[1], "--none-applies", "--coder", "ana")
    assert run("codings", folder, "show", first, "--coder", "bo") == ""  # blind mode: bo sees nothing of ana's
    assert "ana: Support" in run("codings", folder, "show", first, "--coder", "ana")
    progress = json.loads(run("coders", folder, "progress", "--json"))
    assert [(p["coder"], p["completed"], p["remaining"]) for p in progress] == [("ana", 2, 1), ("bo", 0, 3)]

    package = tmp_path / "bo.tcpkg"
    run("package", "export", folder, "bo", package)
    opened = tmp_path / "bo-package"
    run("package", "open", package, opened)
    run("codings", opened, "apply", first, "Critical", "--coder", "bo")  # a value of the stance variable
    run("codings", opened, "done", first, "--coder", "bo")
    returned = tmp_path / "bo-back.tcpkg"
    run("package", "return", opened, returned)
    report = json.loads(run("package", "import", folder, returned, "--json"))
    assert (report["added"], report["conflicts"]) == ([first], [])

    run("coders", folder, "blind", "off", "--coder", "ana")
    assert "bo: Critical" in run("codings", folder, "show", first, "--coder", "ana")


def test_undo_from_the_command_line_survives_between_runs(folder):
    run("coders", folder, "add", "ana")
    run("codebook", folder, "import", "--starter", "blank-template", "--coder", "ana")
    run("codings", folder, "apply", "twitter:1", "Independent code", "--coder", "ana")
    assert run("codings", folder, "undo", "--coder", "ana") == "Undone.\n"
    assert run("codings", folder, "show", "twitter:1", "--coder", "ana") == ""
    assert run("codings", folder, "redo", "--coder", "ana") == "Redone.\n"


def test_codings_import_reports_rows_it_could_not_import(folder, tmp_path):
    run("codebook", folder, "import", "--starter", "blank-template", "--coder", "ana")
    path = tmp_path / "long.csv"
    path.write_text("unit_id,coder_id,variable,value\ntwitter:1,cy,Variable,First value\nnope,cy,Variable,x\n")
    output = run("codings", folder, "import", path)
    assert "1 codings added" in output and "new coders: cy" in output
    assert "line 3: no post 'nope' in this project" in output


def test_codebook_export_writes_each_format_and_history_lists_versions(folder, tmp_path):
    run("codebook", folder, "import", "--starter", "metoo-men", "--coder", "ana")
    for name in ("book.json", "book.csv", "book.qdc"):
        assert "version 1" in run("codebook", folder, "export", tmp_path / name)
    assert run("codebook", folder, "history").startswith("v1 ")


def test_expected_failures_print_a_reason_not_a_traceback(folder):
    result = CliRunner().invoke(cli, ["codings", str(folder), "apply", "twitter:1", "Nope", "--coder", "ana"])
    assert result.exit_code == 1
    assert "threadcoder: no code named 'Nope'" in result.output
    assert "Usage" in run("codebook", folder, "import", "--coder", "ana", ok=False)
