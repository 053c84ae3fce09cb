"""The shape of one X JSON Lines record (twarc2 page, v2 tweet, v1.1 tweet or notice), for sniffing and readers."""

from __future__ import annotations

from enum import StrEnum


class Shape(StrEnum):
    """What one line of an X JSON Lines file holds; a file may mix them (``cat`` of several collections)."""

    V2_PAGE = "an X API v2 response page (twarc2)"
    V2_TWEET = "an X API v2 tweet (twarc2 flatten, or a bare tweet)"
    V1_TWEET = "an X API v1.1 tweet"
    V1_NOTICE = "an X API v1.1 stream notice"


# Keys a twarc2 page may hold besides ``data``; a page never has an ``id`` of its own.
PAGE_KEYS = frozenset({"includes", "meta", "errors", "matching_rules"})
# v1.1 stream notices: one key (two with a timestamp), never part of a tweet.
V1_NOTICES = frozenset({"delete", "limit", "scrub_geo", "status_withheld", "user_withheld", "disconnect", "warning"})
# The line shapes each JSON Lines format reads: the three X API v2 formats read each other's lines.
V2_SHAPES = frozenset({Shape.V2_PAGE, Shape.V2_TWEET})
FORMAT_SHAPES: dict[str, frozenset[Shape]] = {
    "twarc2": V2_SHAPES,
    "twarc2-flat": V2_SHAPES,
    "v2-tweets": V2_SHAPES,
    "v1.1": frozenset({Shape.V1_TWEET, Shape.V1_NOTICE}),
}
KEYS_SHOWN = 8


def shape_of(obj: object) -> Shape | None:
    """The shape of one parsed line, or None when it is none of the X shapes we read."""
    if not isinstance(obj, dict):
        return None
    if "id_str" in obj:  # v2 has no ``id_str``
        return Shape.V1_TWEET
    if len(obj) <= 2 and V1_NOTICES & obj.keys():
        return Shape.V1_NOTICE
    if "id" not in obj:
        return Shape.V2_PAGE if _is_page(obj) else None
    # A v2 tweet always has its default fields ``id`` and ``text``; an envelope with ``data`` is another tool's.
    if "data" not in obj and isinstance(obj.get("text"), str) and "user" not in obj:
        return Shape.V2_TWEET
    return None


def _is_page(obj: dict[str, object]) -> bool:
    """``data`` is a list of tweets (a page), one tweet (a stream line), or absent (a page of errors only)."""
    data = obj.get("data")
    if "data" not in obj:
        return bool(PAGE_KEYS & obj.keys())
    if not isinstance(data, list | dict):
        return False
    if PAGE_KEYS & obj.keys() or "__twarc" in obj:
        return True
    # A bare API response has nothing but ``data``; other tools' envelopes (Zeeschuimer) also have ``data``,
    # holding something that is not a tweet.
    first = data if isinstance(data, dict) else (data[0] if data else None)
    return first is None or (isinstance(first, dict) and "id" in first and isinstance(first.get("text"), str))


def describe(obj: object) -> str:
    """What a record looks like, for a message: its shape, or the JSON keys it has."""
    shape = shape_of(obj)
    if shape is not None:
        return shape.value
    if isinstance(obj, dict):
        keys = sorted(str(key) for key in obj)
        more = f", … ({len(keys)} keys)" if len(keys) > KEYS_SHOWN else ""
        return f"JSON with keys [{', '.join(keys[:KEYS_SHOWN])}{more}]"
    return f"a JSON {type(obj).__name__}"


def wrong_shape_reason(obj: object, format_name: str) -> str:
    """Why a line cannot be read as ``format_name``: what it looks like and what the format reads."""
    wanted = " or ".join(sorted(shape.value for shape in FORMAT_SHAPES[format_name]))
    return f"this line is {describe(obj)}, not {wanted}; it is recorded here and not imported"
