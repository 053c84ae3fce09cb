"""All command-line commands, gathered on the one ``threadcoder`` group."""

from __future__ import annotations

from desktop.cli import cli
from desktop.cli_agreement import agreement_command
from desktop.cli_coding import COMMANDS as CODING_COMMANDS
from desktop.cli_doctor import COMMANDS as DOCTOR_COMMANDS
from desktop.cli_export import COMMANDS as EXPORT_COMMANDS
from desktop.cli_memos import COMMANDS as MEMO_COMMANDS
from desktop.cli_search import COMMANDS as SEARCH_COMMANDS

cli.add_command(agreement_command)
for _command in (*CODING_COMMANDS, *DOCTOR_COMMANDS, *MEMO_COMMANDS, *EXPORT_COMMANDS, *SEARCH_COMMANDS):
    cli.add_command(_command)

__all__ = ["cli"]
