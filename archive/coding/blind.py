"""Blind mode: while it is on, a coder sees only their own codings, status and post memos."""

from __future__ import annotations

import json
import sqlite3

from sqlite_utils import Database

from archive.coding.coders import get_coder
from archive.store.clock import now
from archive.store.settings import get_setting, set_setting

BLIND_MODE_KEY = "coding.blind_mode"
_CHANGED_KEY = "coding.blind_mode_changed"


def blind_mode(conn: sqlite3.Connection) -> bool:
    """True while coders may see only their own codings and status (the default until lifted)."""
    return get_setting(conn, BLIND_MODE_KEY) != "off"


def set_blind_mode(db: Database, on: bool, coder_id: int) -> None:
    """Turn blind mode on or lift it for the whole project; who did it and when is kept."""
    with db.atomic():
        coder = get_coder(db.conn, coder_id)
        set_setting(db.conn, BLIND_MODE_KEY, "on" if on else "off")
        set_setting(db.conn, _CHANGED_KEY, json.dumps({"on": on, "by": coder.name, "at": now()}))


def blind_mode_changed(conn: sqlite3.Connection) -> dict[str, object] | None:
    """Who last turned blind mode on or off, and when (None if nobody ever did)."""
    text = get_setting(conn, _CHANGED_KEY)
    return None if text is None else dict(json.loads(text))


def visible_coders(conn: sqlite3.Connection, viewer_id: int | None) -> set[int] | None:
    """The coders whose work ``viewer_id`` may see; None means everyone's.

    ``viewer_id=None`` is the project's own view (exports, reliability, adjudication), never a coder's.
    """
    if viewer_id is None or not blind_mode(conn):
        return None
    return {viewer_id}


def visibility_clause(conn: sqlite3.Connection, viewer_id: int | None, column: str) -> tuple[str, list[int]]:
    """An SQL condition (and its parameters) that keeps only rows the viewer may see."""
    coders = visible_coders(conn, viewer_id)
    if coders is None:
        return "1", []
    return f"{column} IN ({', '.join('?' * len(coders))})", sorted(coders)
