"""Counts in words for the status line: ``1 thread``, ``2,000 posts``."""

from __future__ import annotations


def counted(number: object, noun: str, plural: str | None = None) -> str:
    """``1 thread``, ``2 threads``, ``3 replies``, with thousands separators."""
    value = int(str(number))
    return f"{value:,} " + (noun if value == 1 else plural or noun + "s")


def status_text(info: dict[str, object]) -> str:
    """The status line: what the open project holds."""
    return (
        f"{counted(info['posts'], 'post')} · {counted(info['threads'], 'thread')} · "
        f"{counted(info['replies'], 'reply', 'replies')} ({int(str(info['replies_with_parent'])):,} with their parent)"
        f" · {counted(info['placeholders'], 'placeholder')} (referenced, not collected) · "
        f"{counted(info['import_errors'], 'import error')}"
    )
