"""Without a display the app says so in words, instead of Qt aborting with a misleading message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.display import NO_DISPLAY, missing_display

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({}, "linux", NO_DISPLAY),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", NO_DISPLAY),
        ({"DISPLAY": ":0"}, "linux", None),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", None),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", None),
        ({}, "win32", None),
        ({}, "darwin", None),
    ],
)
def test_a_window_needs_a_display_on_linux_only(environ, platform, expected):
    assert missing_display(environ, platform) == expected


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is for Linux")
def test_the_app_without_a_display_says_so_and_exits_1(tmp_path):
    environ = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    environ["THREADCODER_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "desktop.main"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "no display to open the app on" in result.stderr and "libxcb" not in result.stderr
