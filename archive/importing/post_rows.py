"""Turning PostRecords into store rows, and the rules for merging a post seen more than once."""

from __future__ import annotations

from typing import Any

import orjson
import zstandard

from archive.formats.common import snowflake_time
from archive.importing.records import AuthorRecord, PostKind, PostRecord, post_key

Row = dict[str, Any]

# Columns whose change makes a re-seen post count as "updated"; provenance columns do not.
DATA_COLUMNS = (
    "kind",
    "author_id",
    "created_at",
    "created_raw",
    "text",
    "text_format",
    "truncated",
    "lang",
    "reply_to_id",
    "reply_to_user_id",
    "root_id",
    "quote_of_id",
    "repost_of_id",
    "is_repost",
    "url",
    "visibility",
    "deleted",
    "withheld",
    "edit_group_id",
    "metrics",
    "retrieved_at",
)
POST_COLUMNS = ("id", "platform", "native_id", *DATA_COLUMNS, "raw", "import_id", "source_line", "source_locator")
_KIND_RANK = {kind.value: kind.rank for kind in PostKind}


class RawCodec:
    """Compresses original objects for the ``raw`` columns (zstd over compact JSON)."""

    def __init__(self) -> None:
        self._compressor = zstandard.ZstdCompressor(level=1)  # level 3 costs 6% of import time for 4% less space

    def encode(self, raw: object) -> bytes | None:
        if raw is None:
            return None
        return self._compressor.compress(orjson.dumps(raw, option=orjson.OPT_NON_STR_KEYS))


def decode_raw(blob: bytes | None) -> object:
    """The original object stored in a ``raw`` column."""
    if blob is None:
        return None
    return orjson.loads(zstandard.ZstdDecompressor().decompress(blob))


def _ref(platform: str, native_id: str | None) -> str | None:
    return post_key(platform, native_id) if native_id else None


def post_row(record: PostRecord, codec: RawCodec, import_id: int) -> Row:
    """The ``posts`` row for a record; ``root_id`` is the stated root and may still need deriving."""
    platform = record.platform
    return {
        "id": record.key,
        "platform": platform,
        "native_id": record.native_id,
        "kind": record.kind.value,
        "author_id": record.author.key if record.author else None,
        "created_at": record.created_at,
        "created_raw": record.created_raw,
        "text": record.text,
        "text_format": record.text_format,
        "truncated": int(record.truncated),
        "lang": record.lang,
        "reply_to_id": _ref(platform, record.reply_to),
        "reply_to_user_id": _ref(platform, record.reply_to_user),
        "root_id": _ref(platform, record.root),
        "quote_of_id": _ref(platform, record.quote_of),
        "repost_of_id": _ref(platform, record.repost_of),
        "is_repost": int(record.is_repost or record.repost_of is not None),
        "url": record.url,
        "visibility": record.visibility,
        "deleted": int(record.deleted),
        "withheld": record.withheld,
        "edit_group_id": _ref(platform, record.edit_group),
        "metrics": orjson.dumps(record.metrics, option=orjson.OPT_SORT_KEYS).decode() if record.metrics else None,
        "retrieved_at": record.retrieved_at,
        "raw": codec.encode(record.raw),
        "import_id": import_id,
        "source_line": record.line or None,
        "source_locator": record.locator or None,
    }


def placeholder_row(key: str, platform: str, native_id: str, root_id: str | None) -> Row:
    """A post that is referenced but not collected, so that its thread stays connected."""
    created = snowflake_time(native_id) if platform == "twitter" else None
    row: Row = dict.fromkeys(POST_COLUMNS)
    row.update(
        id=key,
        platform=platform,
        native_id=native_id,
        kind=PostKind.PLACEHOLDER.value,
        created_at=created,
        text="",
        text_format="plain",
        truncated=0,
        is_repost=0,
        deleted=0,
        root_id=root_id or key,
    )
    return row


def author_row(author: AuthorRecord, codec: RawCodec) -> Row:
    return {
        "id": author.key,
        "platform": author.platform,
        "native_id": author.native_id,
        "handle": author.handle,
        "name": author.name,
        "description": author.description,
        "raw": codec.encode(author.raw),
    }


def _text_rank(row: Row) -> tuple[int, int, int]:
    return (_KIND_RANK[row["kind"]] > 0, not row["truncated"], len(row["text"] or ""))


def merge(old: Row | None, new: Row) -> Row:
    """The row to keep when ``new`` arrives for a post the store already has as ``old``.

    The strongest kind wins (collected > context > placeholder), the most complete text wins, the
    latest metrics win, the first raw copy of the strongest kind is kept, and gaps are filled.
    """
    if old is None:
        return new
    new_is_stronger = _KIND_RANK[new["kind"]] > _KIND_RANK[old["kind"]]
    primary, secondary = (new, old) if new_is_stronger else (old, new)
    merged = {col: primary[col] if primary[col] is not None else secondary[col] for col in POST_COLUMNS}
    better_text = new if _text_rank(new) > _text_rank(old) else old
    merged["text"], merged["truncated"] = better_text["text"], better_text["truncated"]
    if (new["retrieved_at"] or "") > (old["retrieved_at"] or "") or old["metrics"] is None:
        merged["metrics"] = new["metrics"] or old["metrics"]
        merged["retrieved_at"] = new["retrieved_at"] or old["retrieved_at"]
    merged["deleted"] = max(old["deleted"], new["deleted"])
    merged["is_repost"] = max(old["is_repost"], new["is_repost"])
    if old["kind"] != PostKind.PLACEHOLDER.value and not new_is_stronger:
        merged["import_id"], merged["source_line"] = old["import_id"], old["source_line"]
        merged["source_locator"] = old["source_locator"]
    return merged


def changed(old: Row, merged: Row) -> bool:
    """Whether merging changed anything a researcher would see."""
    return any(old[col] != merged[col] for col in DATA_COLUMNS)
