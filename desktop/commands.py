"""All command-line commands, gathered on the one ``threadcoder`` group."""

from __future__ import annotations

from desktop.cli import cli

__all__ = ["cli"]
