"""Counts in words for the status line: ``1 thread``, ``2,000 posts``."""

from __future__ import annotations


def counted(number: object, noun: str, plural: str | None = None) -> str:
    """``1 thread``, ``2 threads``, ``3 replies``, with thousands separators."""
    value = int(str(number))
    return f"{value:,} " + (noun if value == 1 else plural or noun + "s")


def status_text(info: dict[str, object]) -> str:
    """The status line: what the open project holds, short enough to leave room for messages beside it."""
    return (
        f"{counted(info['posts'], 'post')} · {counted(info['threads'], 'thread')} · "
        f"{counted(info['replies'], 'reply', 'replies')} · {counted(info['placeholders'], 'placeholder')} · "
        f"{counted(info['import_errors'], 'import error')}"
    )


def status_details(info: dict[str, object]) -> str:
    """The status line's figures explained, for its tooltip."""
    return (
        f"{counted(info['posts'], 'collected post')}\n{counted(info['threads'], 'thread')} of two posts or more\n"
        f"{counted(info['replies'], 'reply', 'replies')}, {int(str(info['replies_with_parent'])):,} of them with "
        f"their parent in the project\n{counted(info['placeholders'], 'placeholder')} (posts referenced but not "
        f"collected)\n{counted(info['import_errors'], 'import error')} (threadcoder info --errors lists them)"
    )
