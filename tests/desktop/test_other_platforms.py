"""What differs on Windows and macOS, tried here on Linux: where the user's files go, the search process's
memory, and the parallel index writer under ``spawn``, the only way those systems start a process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest
from platformdirs.macos import MacOS
from platformdirs.unix import Unix
from platformdirs.windows import Windows

from desktop import paths

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def user_folders(monkeypatch):
    """The user's folders as platformdirs finds them, with no override of ours or of XDG in the way."""
    for name in ("THREADCODER_DATA_DIR", "THREADCODER_CONFIG_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)

    def on(platform_class: type) -> tuple[str, str, str, str]:
        monkeypatch.setattr(platformdirs, "PlatformDirs", platform_class)  # what its import picks per system
        return str(paths.data_dir()), str(paths.config_dir()), str(paths.demo_project_dir()), str(paths.settings_file())

    return on


def test_on_windows_the_data_and_settings_are_in_local_app_data_once_named(user_folders, monkeypatch):
    # platformdirs asks Windows for the folder; WIN_PD_OVERRIDE_* is its documented stand-in for the answer.
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", r"C:\Users\ana\AppData\Local")
    data, config, demo, settings = (path.replace("/", "\\") for path in user_folders(Windows))
    # appauthor=False: not ...\Threadcoder\Threadcoder, which platformdirs makes of a missing author on Windows.
    assert data == config == r"C:\Users\ana\AppData\Local\Threadcoder"
    assert demo == r"C:\Users\ana\AppData\Local\Threadcoder\demo.threadcoder"
    assert settings == r"C:\Users\ana\AppData\Local\Threadcoder\settings.ini"


def test_on_macos_the_data_and_settings_are_in_application_support(user_folders, monkeypatch):
    monkeypatch.setenv("HOME", "/Users/ana")
    data, config, demo, _ = user_folders(MacOS)
    assert data == config == "/Users/ana/Library/Application Support/Threadcoder"
    assert demo == "/Users/ana/Library/Application Support/Threadcoder/demo.threadcoder"


def test_on_linux_the_data_and_settings_follow_xdg(user_folders, monkeypatch):
    monkeypatch.setenv("HOME", "/home/ana")
    data, config, _, settings = user_folders(Unix)
    assert data == "/home/ana/.local/share/Threadcoder"
    assert config == "/home/ana/.config/Threadcoder"
    assert settings == "/home/ana/.config/Threadcoder/settings.ini"


def test_our_override_wins_everywhere(user_folders, monkeypatch, tmp_path):
    monkeypatch.setenv("THREADCODER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("THREADCODER_CONFIG_DIR", str(tmp_path / "config"))
    for platform_class in (Windows, MacOS, Unix):
        assert user_folders(platform_class)[:2] == (str(tmp_path / "data"), str(tmp_path / "config"))


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_elsewhere_the_search_process_leaves_freed_memory_to_the_allocator(monkeypatch, platform):
    from app import search_service

    search_service._libc.cache_clear()
    monkeypatch.setattr(sys, "platform", platform)
    try:
        assert search_service._libc() is None  # malloc_trim is glibc's
        search_service.give_back_memory()
    finally:
        search_service._libc.cache_clear()


REBUILD = """
import multiprocessing, sys
multiprocessing.set_start_method(sys.argv[2])
import index.indexer
import whoosh.multiproc
index.indexer.PARALLEL_MIN = int(sys.argv[3])
started = []
real_start = whoosh.multiproc.SubWriterTask.start
whoosh.multiproc.SubWriterTask.start = lambda task: (started.append(task), real_start(task))[1]
from desktop.main import main
try:
    main(["index", sys.argv[1], "--rebuild"])
finally:
    print("sub-writers", len(started), multiprocessing.get_start_method())
"""


@pytest.mark.slow
def test_the_parallel_index_writer_works_when_processes_are_spawned(demo_folder, tmp_path):
    """On Windows and macOS, multiprocessing spawns (Linux forks): Whoosh's writer processes must start that
    way too, and the index they write must answer as one written in a single process does."""
    env = {**os.environ, "THREADCODER_DATA_DIR": str(tmp_path / "data")}

    def rebuild(method: str, parallel_from: int) -> str:
        done = subprocess.run(
            [sys.executable, "-c", REBUILD, str(demo_folder), method, str(parallel_from)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    def answers() -> list[tuple[int, list[str]]]:
        found = []
        for query in ("#metoo", '"not all men"', "lang:fr -#metoo"):
            done = subprocess.run(
                [sys.executable, "-m", "desktop.main", "search", str(demo_folder), query, "--json", "--limit", "1000"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            )
            result = json.loads(done.stdout)
            found.append((result["total"], sorted(hit["id"] for hit in result["hits"])))
        return found

    assert rebuild("spawn", 10**9) == "sub-writers 0 spawn"
    alone = answers()
    assert rebuild("spawn", 1) == "sub-writers 1 spawn"  # two processes: this one and one spawned sub-writer
    assert answers() == alone
    assert all(total > 0 for total, _ in alone)
