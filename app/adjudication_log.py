"""A post's audit trail (``gold_log``) in words, one line per decision, replacement or withdrawal (Qt-free)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from archive.adjudication import GoldLogEntry

# How the core names its methods, as a sentence reads them.
_METHODS = {
    "adjudicated": "by hand",
    "consensus_meeting": "in a consensus meeting",
    "unanimous": "unanimous rule",
    "majority": "majority rule",
}


def log_text(entries: Iterable[GoldLogEntry], value_name: Callable[[int], str], target: str) -> str:
    """The trail of ``target`` (the code or variable being decided) first, then the post's other entries.

    A rule writes an entry for every code it settles, so the one being decided would drown among them
    in plain time order. ``value_name`` names a variable's value by its code id.
    """
    entries = list(entries)
    mine = [_line(entry, value_name) for entry in entries if entry.target == target]
    others = [_line(entry, value_name, named=True) for entry in entries if entry.target != target]
    text = target + "\n" + ("\n".join(mine) if mine else "No decision yet.")
    if others:
        text += "\n\nOther codes and variables on this post\n" + "\n".join(others)
    return text


def _line(entry: GoldLogEntry, value_name: Callable[[int], str], *, named: bool = False) -> str:
    when = entry.at.replace("T", " ")[:16]
    after = _value(entry.after, value_name)
    before = _value(entry.before, value_name)
    method = _method(entry.after)
    if entry.action == "clear":
        what = f"withdrawn (was {before})"
    elif entry.action == "replace":
        what = f"changed from {before} to {after} ({method})"
    else:
        what = f"set to {after} ({method})"
    why = "" if entry.reason == method else f" — {entry.reason}"  # a rule's reason only repeats its name
    name = f"{entry.target}: " if named else ""
    return f"{when} · {entry.by} · {name}{what}{why}"


def _value(row: dict[str, Any] | None, value_name: Callable[[int], str]) -> str:
    if row is None:
        return "nothing"
    if row.get("value_code_id") is not None:
        return value_name(int(row["value_code_id"]))
    present = row.get("present")
    if present is None:
        return "(none)"  # a variable decided as "no value applies"
    return "present" if present else "absent"


def _method(row: dict[str, Any] | None) -> str:
    method = str((row or {}).get("method", ""))
    return _METHODS.get(method, method)
