"""Every command whose output is cut off by its reader (``| head -1``) ends quietly: no traceback, no error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GROUPS = {
    "adjudicate": ["decide", "gold", "list", "log", "settle", "withdraw"],
    "codebook": ["export", "history", "import", "show"],
    "coders": ["add", "assign", "blind", "list", "progress", "retire"],
    "codings": ["apply", "done", "import", "redo", "remove", "show", "undo"],
    "sample": ["draw", "list", "show"],
    "package": ["export", "import", "open", "return"],
}
COMMANDS = ["agreement", "demo", "export", "import", "index", "info", "open", "search"]


def _with_closed_output(args: list[str]) -> subprocess.CompletedProcess[str]:
    """Run threadcoder with its standard output a pipe whose reading end is already closed."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [sys.executable, "-m", "desktop.main", *args],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=120,
            check=False,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
    finally:
        os.close(write)


def _quiet(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode in (0, 141), result.stderr
    assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr, result.stderr


@pytest.mark.slow
def test_every_commands_help_ends_quietly_when_its_reader_has_gone(tmp_path):
    # Each run starts Python afresh (about a second): every command, and one sub-command of each group.
    every = [["--help"], *([name, "--help"] for name in COMMANDS), *([group, "--help"] for group in GROUPS)]
    every += [
        [group, *([] if group == "package" else [str(tmp_path)]), names[0], "--help"] for group, names in GROUPS.items()
    ]
    for args in every:
        _quiet(_with_closed_output(args))


@pytest.mark.slow
def test_commands_that_print_a_project_end_quietly_when_their_reader_has_gone(demo_folder):
    folder = str(demo_folder)
    for args in (
        ["info", folder],
        ["info", folder, "--errors", "--json"],
        ["search", folder, "", "--limit", "300"],
        ["search", folder, "#metoo", "--json", "--facets"],
        ["index", folder, "--check"],
        ["codebook", folder, "show"],
        ["coders", folder, "list"],
        ["sample", folder, "list"],
        ["adjudicate", folder, "list"],
        ["agreement", folder],
    ):
        _quiet(_with_closed_output(args))


def test_every_command_writing_a_file_into_a_missing_folder_says_so(demo_folder, tmp_path):
    from click.testing import CliRunner

    from desktop.commands import cli

    missing = tmp_path / "missing"
    folder = str(demo_folder)
    for args in (
        ["export", folder, "dataset", str(missing / "x.csv")],
        ["search", folder, "#metoo", "--csv", str(missing / "h.csv")],
        ["codebook", folder, "export", str(missing / "c.json")],
        ["codebook", folder, "export", str(missing / "c.csv")],
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, (args, result.output)
        assert f"{missing} does not exist; create the folder first" in result.output, args
