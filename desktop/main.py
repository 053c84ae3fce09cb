"""The ``threadcoder`` entry point: no arguments opens the app, a subcommand runs headless."""

from __future__ import annotations

import sys

from archive.lean_imports import leave_out_pandas
from desktop.pipes import click_saw_a_closed_pipe, reader_went_away


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    leave_out_pandas()
    if not args:
        from desktop.gui import run_gui

        return run_gui(None)
    from desktop.commands import cli

    try:
        cli.main(args=args, prog_name="threadcoder")
    except SystemExit as leaving:
        if click_saw_a_closed_pipe(leaving.code):
            return reader_went_away()
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
