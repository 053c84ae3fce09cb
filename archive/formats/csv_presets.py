"""Named CSV column mappings saved in a JSON file that the caller chooses (the user's config folder)."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from archive.errors import ThreadcoderError
from archive.formats.csv_generic import FIELDS

FILE_VERSION = 1


class PresetFileError(ThreadcoderError):
    """The presets file exists but cannot be read or is not a presets file; it is never overwritten."""


def list_presets(path: Path) -> list[str]:
    """The names of the saved mappings, sorted case-insensitively."""
    return sorted(_load(path), key=str.casefold)


def load_preset(path: Path, name: str) -> dict[str, str] | None:
    """The mapping saved as ``name`` (field -> column), or None when there is none."""
    preset = _load(path).get(name)
    return dict(preset) if preset is not None else None


def save_preset(path: Path, name: str, mapping: dict[str, str]) -> None:
    """Save (or replace) the mapping ``name``; the file is replaced atomically."""
    name = name.strip()
    if not name:
        raise ValueError("a preset needs a name")
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown fields {unknown} in the mapping; fields are {', '.join(FIELDS)}")
    presets = _load(path)
    presets[name] = {field: column for field, column in mapping.items() if column}
    _write(path, presets)


def delete_preset(path: Path, name: str) -> bool:
    """Remove the mapping ``name``; False when there was no such preset."""
    presets = _load(path)
    if presets.pop(name, None) is None:
        return False
    _write(path, presets)
    return True


def _load(path: Path) -> dict[str, dict[str, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise PresetFileError(f"{path}: the CSV mapping presets cannot be read ({exc})") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PresetFileError(f"{path}: the CSV mapping presets are not valid JSON ({exc})") from exc
    presets = document.get("presets") if isinstance(document, dict) else None
    if not isinstance(presets, dict) or not all(_is_mapping(value) for value in presets.values()):
        raise PresetFileError(f"{path}: not a CSV mapping presets file (expected {{'presets': {{name: mapping}}}})")
    return {str(name): dict(value) for name, value in presets.items()}


def _is_mapping(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(key, str) and isinstance(column, str) for key, column in value.items()
    )


def _write(path: Path, presets: dict[str, dict[str, str]]) -> None:
    """Write a temporary file next to ``path`` and rename it over, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"version": FILE_VERSION, "presets": presets}
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(document, stream, ensure_ascii=False, indent=2, sort_keys=True)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
