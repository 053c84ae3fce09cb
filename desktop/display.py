"""Whether the app can open a window here: without a display, Qt aborts with a misleading message."""

from __future__ import annotations

import sys
from collections.abc import Mapping

NO_DISPLAY = (
    "threadcoder: no display to open the app on (neither DISPLAY nor WAYLAND_DISPLAY is set). "
    "Use the command line (threadcoder --help), or start the app from a desktop session."
)


def missing_display(environ: Mapping[str, str], platform: str = sys.platform) -> str | None:
    """The message to give instead of opening a window, or None when a window can open.

    On Linux, Qt without a display aborts the process (exit 134) saying a library is missing, which
    sends researchers installing packages they have. Windows and macOS always have their display.
    """
    if not platform.startswith("linux"):
        return None
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen and not chosen.startswith(("xcb", "wayland")):
        return None  # offscreen, vnc, eglfs...: the user chose a platform that needs no desktop
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return NO_DISPLAY
