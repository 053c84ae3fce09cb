"""Command-line options that say how CSV files are read: column mapping, delimiter, encoding."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from archive.formats import ReadOptions


def _parse_mapping(entries: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for entry in entries:
        field, sep, column = entry.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise click.BadParameter(f"'{entry}': expected FIELD=COLUMN, e.g. text=tweet_text", param_hint="--map")
        mapping[field.strip()] = column.strip()
    return mapping


def csv_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Adds the CSV options to a command and passes them on as one ``options: ReadOptions``."""

    @click.option(
        "--map",
        "mapping",
        multiple=True,
        metavar="FIELD=COLUMN",
        help="CSV column for one of our fields (id, text, created_at, author_handle, reply_to, ...).",
    )
    @click.option("--delimiter", help="CSV delimiter (default: sniffed among , ; and tab).")
    @click.option("--encoding", help="CSV encoding (default: UTF-8, falling back to cp1252).")
    @click.option("--platform", default="twitter", show_default=True, help="Platform of generic CSV rows.")
    @functools.wraps(command)
    def wrapper(*args: Any, mapping: tuple[str, ...], delimiter: str | None, encoding: str | None,
                platform: str, **kwargs: Any) -> Any:  # fmt: skip
        options = ReadOptions(
            csv_mapping=_parse_mapping(mapping), csv_delimiter=delimiter, csv_encoding=encoding, platform=platform
        )
        return command(*args, options=options, **kwargs)

    return wrapper
