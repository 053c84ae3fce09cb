"""All command-line commands, gathered on the one ``threadcoder`` group."""

from __future__ import annotations

from desktop.cli import cli
from desktop.cli_agreement import agreement_command

cli.add_command(agreement_command)

__all__ = ["cli"]
