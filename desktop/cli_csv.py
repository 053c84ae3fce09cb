"""Command-line options that say how CSV files are read: column mapping, delimiter, encoding."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from archive.formats import ReadOptions
from archive.formats.csv_presets import list_presets, load_preset
from archive.formats.csv_presets import save_preset as save_preset_file
from desktop.paths import csv_presets_file


def _parse_mapping(entries: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for entry in entries:
        field, sep, column = entry.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise click.BadParameter(f"'{entry}': expected FIELD=COLUMN, e.g. text=tweet_text", param_hint="--map")
        mapping[field.strip()] = column.strip()
    return mapping


def _preset_mapping(name: str | None) -> dict[str, str]:
    if name is None:
        return {}
    found = load_preset(csv_presets_file(), name)
    if found is None:
        known = ", ".join(list_presets(csv_presets_file())) or "none saved yet"
        raise click.BadParameter(f"no saved mapping named '{name}' (saved: {known})", param_hint="--preset")
    return found


def csv_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Adds the CSV options to a command and passes them on as one ``options: ReadOptions``."""

    @click.option(
        "--map",
        "mapping",
        multiple=True,
        metavar="FIELD=COLUMN",
        help="CSV column for one of our fields (id, text, created_at, author_handle, reply_to, ...).",
    )
    @click.option("--preset", help="Use a saved column mapping (see --save-preset); --map entries add to it.")
    @click.option("--save-preset", metavar="NAME", help="Save this run's --map entries as a named mapping.")
    @click.option("--delimiter", help="CSV delimiter (default: sniffed among , ; and tab).")
    @click.option("--encoding", help="CSV encoding (default: UTF-8, falling back to cp1252).")
    @click.option("--platform", default="twitter", show_default=True, help="Platform of generic CSV rows.")
    @functools.wraps(command)
    def wrapper(
        *args: Any,
        mapping: tuple[str, ...],
        preset: str | None,
        save_preset: str | None,
        delimiter: str | None,
        encoding: str | None,
        platform: str,
        **kwargs: Any,
    ) -> Any:
        columns = _preset_mapping(preset) | _parse_mapping(mapping)
        if save_preset:
            try:
                save_preset_file(csv_presets_file(), save_preset, columns)
            except ValueError as error:
                raise click.BadParameter(str(error), param_hint="--save-preset") from error
            click.echo(f"Saved the column mapping as '{save_preset}'.", err=True)
        options = ReadOptions(csv_mapping=columns, csv_delimiter=delimiter, csv_encoding=encoding, platform=platform)
        return command(*args, options=options, **kwargs)

    return wrapper
