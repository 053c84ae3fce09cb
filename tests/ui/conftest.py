"""Qt tests run offscreen, on real projects written through the store, and fail on leaked threads and timers."""

from __future__ import annotations

import os
import traceback

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest
import shiboken6
from PySide6.QtCore import QSettings, QThread, QTimer


def _recording(monkeypatch: pytest.MonkeyPatch, cls: type, started: list[tuple[object, str]]) -> None:
    original = cls.start

    def start(self: object, *args: object) -> None:
        started.append((self, "".join(traceback.format_stack(limit=6)[:-1])))
        original(self, *args)

    monkeypatch.setattr(cls, "start", start)


@pytest.fixture(autouse=True)
def no_leaked_qthreads(monkeypatch):
    """Fail a test that leaves a QThread running: it would crash a later test when Qt deletes it."""
    started: list[tuple[object, str]] = []
    _recording(monkeypatch, QThread, started)
    yield
    running = [(t, where) for t, where in started if shiboken6.isValid(t) and t.isRunning()]  # type: ignore[attr-defined]
    for thread, _ in running:
        thread.wait(10_000)  # type: ignore[attr-defined]  # let it end before the list drops it
    assert not running, "a QThread was started and left running; started at:\n" + "\n".join(w for _, w in running)


@pytest.fixture(autouse=True)
def no_leaked_qtimers(monkeypatch):
    """Fail a test that leaves a QTimer started by our code active after it ended."""
    started: list[tuple[object, str]] = []
    _recording(monkeypatch, QTimer, started)
    yield
    active = [(t, where) for t, where in started if shiboken6.isValid(t) and t.isActive()]  # type: ignore[attr-defined]
    for timer, _ in active:
        timer.stop()  # type: ignore[attr-defined]
    assert not active, "a QTimer was left running; started at:\n" + "\n".join(w for _, w in active)


@pytest.fixture
def settings(tmp_path) -> QSettings:
    """Settings in a file of this test's own, never the developer's (recent projects, last coder)."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings, tmp_path):
    """The main window with its own settings and presets file; messages are collected, never shown."""
    from ui.window.main_window import MainWindow

    shown = MainWindow(settings, csv_presets=tmp_path / "presets.json", log_file=tmp_path / "threadcoder.log")
    shown.auto_index = False  # tests of search turn it back on
    shown.background_lists = False  # list and count at once, so tests can look right away
    shown.messages = []
    shown.warn = shown.messages.append
    shown.answers = []  # what confirm() answers, in order; an empty list answers "no"
    shown.confirm = lambda *_question, **_buttons: bool(shown.answers.pop(0)) if shown.answers else False
    shown.texts = []  # what ask_text() answers, in order; an empty list cancels
    shown.asked = []

    def ask_text(_title: str, label: str) -> str | None:
        shown.asked.append(label)
        return shown.texts.pop(0) if shown.texts else None

    shown.ask_text = ask_text
    qtbot.addWidget(shown)
    yield shown
    shown.runner.shutdown()
    shown.close_project()


@pytest.fixture
def search_window(window, qtbot, demo_folder):
    """The window with the demo project open and its index built."""
    window.auto_index = True
    with qtbot.waitSignal(window.runner.idle, timeout=30_000):
        window.open_project(demo_folder)  # opening checks and builds the index in the background
    return window


def run_search(window, qtbot, query: str) -> None:
    """Type ``query`` in the search bar, run it and wait until the window is idle again."""
    window.search_bar.edit.setText(query)
    with qtbot.waitSignal(window.runner.idle, timeout=30_000):
        window.search_bar.run()
