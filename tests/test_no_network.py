"""Nothing leaves the machine: the suite refuses the network everywhere, and the main flows never reach for it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_this_process_refuses_a_connection_and_a_look_up():
    from no_network import NetworkRefused

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(NetworkRefused):
        sock.connect(("192.0.2.1", 80))  # TEST-NET-1: never routed
    with pytest.raises(NetworkRefused):
        socket.getaddrinfo("example.org", 443)


@pytest.mark.slow
def test_a_process_a_test_starts_refuses_it_too_and_says_who_tried(tmp_path):
    log = tmp_path / "network.log"
    script = "import urllib.request\ntry:\n    urllib.request.urlopen('http://192.0.2.1/')\nexcept OSError:\n    pass\n"
    script = script.replace("OSError", "Exception")  # the refusal is not an OSError; any error will do
    subprocess.run(
        [sys.executable, "-c", script], env={**os.environ, "THREADCODER_NETWORK_LOG": str(log)}, check=True, timeout=60
    )
    assert "urllib.Request" in log.read_text()


@pytest.mark.slow
def test_the_command_line_flows_make_no_network_call(tmp_path):
    log = tmp_path / "network.log"
    env = {**os.environ, "THREADCODER_NETWORK_LOG": str(log), "THREADCODER_DATA_DIR": str(tmp_path / "data")}
    project = str(tmp_path / "demo.threadcoder")

    def run(*args: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "desktop.main", *args],
            env=env,
            cwd=ROOT,
            timeout=300,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, (args, done.stderr)

    run("demo", "--path", project, "--no-open")
    run("import", project, str(ROOT / "resources" / "demo" / "metoo_demo.jsonl"), "--force")
    run("index", project, "--rebuild")
    run("search", project, "#metoo", "--facets")
    run("coders", project, "add", "ana")
    run("codings", project, "apply", "twitter:919505720328302646", "Not all men", "--coder", "ana")
    run("codings", project, "done", "twitter:919505720328302646", "--coder", "ana")
    run("agreement", project)
    run("export", project, "dataset", str(tmp_path / "dataset.csv"), "--pseudonymise")
    run("export", project, "qdpx", str(tmp_path / "project.qdpx"))
    assert not log.exists() or log.read_text() == ""


def test_a_post_that_embeds_remote_images_shows_them_as_text():
    from app.thread_data import ThreadPost
    from ui.reading.post_delegate import post_html

    text = "<img src='http://192.0.2.1/tracker.png'> hello"
    post = ThreadPost(
        "twitter:1",
        "collected",
        "2017-10-16T10:00:00Z",
        "ana",
        "Ana",
        text,
        False,
        False,
        None,
        None,
        None,
        False,
        "twitter:1",
        "en",
        "twitter",
    )
    markup = post_html(post, None)
    assert "&lt;img" in markup and "<img" not in markup  # shown as written: there is nothing to fetch


def test_no_module_of_ours_imports_qt_network_or_a_web_engine():
    # import-linter cannot name PySide6's sub-modules (an outside package), so this reads the sources.
    import ast

    banned = ("PySide6.QtNetwork", "PySide6.QtWebEngine", "PySide6.QtWebSockets")
    found = []
    for package in ("archive", "index", "app", "ui", "desktop"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
                found += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.startswith(banned)]
    assert found == []
