"""Every hit of a search written as one CSV with its metadata, atomically and safe to open in a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from archive.export.files import Outputs
from archive.store.project import Project
from archive.store.sql import chunks, marks
from index.search import Hit

COLUMNS = (
    "id",
    "url",
    "created_at",
    "author",
    "author_name",
    "lang",
    "kind",
    "is_reply",
    "is_quote",
    "is_repost",
    "deleted",
    "reply_to_id",
    "root_id",
    "hashtags",
    "mentions",
    "score",
    "text",
)


def write_hits_csv(project: Project, hits: Sequence[Hit], path: Path, *, neutralise: bool = True) -> int:
    """Write ``hits`` in order to ``path``; returns the rows written.

    The file appears under its name only when complete (written as ``NAME.part``, then renamed), so a
    killed search leaves no truncated CSV. Text cells that a spreadsheet would run as a formula get an
    apostrophe unless ``neutralise`` is off (for R or pandas, which never run cells).
    """
    outputs = Outputs(bom=False, missing="", neutralise_cells=neutralise)
    try:
        written = outputs.csv(path)
        written.header(COLUMNS)
        for chunk in chunks(hits):
            rows = _metadata(project, [hit.id for hit in chunk])
            for hit in chunk:
                row = rows.get(hit.id)
                if row is not None:
                    written.row([*row[:-1], "" if hit.score is None else f"{hit.score:.4f}", row[-1]])
        rows_written = written.rows
    except BaseException:
        outputs.abort()
        raise
    outputs.commit()
    return rows_written


def _metadata(project: Project, keys: list[str]) -> dict[str, list[Any]]:
    ids = marks(len(keys))
    conn = project.db.conn
    tags = _grouped(
        conn.execute(f"SELECT post_id, display FROM post_hashtags WHERE post_id IN ({ids}) ORDER BY tag", keys)
    )
    mentions = _grouped(
        conn.execute(f"SELECT post_id, handle FROM post_mentions WHERE post_id IN ({ids}) ORDER BY handle", keys)
    )
    sql = (
        "SELECT p.id, p.url, p.created_at, a.handle, a.name, p.lang, p.kind, p.reply_to_id IS NOT NULL, "
        "p.quote_of_id IS NOT NULL, p.is_repost, p.deleted, p.reply_to_id, p.root_id, p.text "
        f"FROM posts AS p LEFT JOIN authors AS a ON a.id = p.author_id WHERE p.id IN ({ids})"
    )
    rows: dict[str, list[Any]] = {}
    for row in conn.execute(sql, keys):
        key = row[0]
        rows[key] = [*row[:13], " ".join(tags.get(key, [])), " ".join(mentions.get(key, [])), row[13]]
    return rows


def _grouped(pairs: Iterator[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped
