"""Ctrl-C asks a running job to stop at its next batch; a second Ctrl-C stops at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from archive.jobs import CancelToken
from archive.store.project import Project
from archive.store.stats import project_info
from desktop.interrupts import interrupt_cancels
from tests.archive.test_kill_resume import PAGES, PER_PAGE, items_done, write_archive


def test_the_first_ctrl_c_cancels_and_the_second_interrupts():
    cancel = CancelToken()
    with interrupt_cancels(cancel):
        os.kill(os.getpid(), signal.SIGINT)
        assert cancel.cancelled
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.slow
def test_ctrl_c_during_an_import_keeps_what_was_read_and_the_rerun_finishes(tmp_path):
    archive = write_archive(tmp_path / "big.jsonl")
    project = tmp_path / "p.threadcoder"
    code = "import sys; from desktop.main import main; sys.exit(main(sys.argv[1:]))"
    command = [sys.executable, "-c", code, "import", str(project), str(archive)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while items_done(project) < 2000 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the import finished before it could be interrupted"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "cancelled; run again to resume" in out
    assert "Interrupted: what was read is saved" in err
    assert "Traceback" not in err
    with Project(project, writable=False) as opened:
        info = project_info(opened.db)
        assert info["imports"][0]["status"] == "cancelled"
        assert 0 < info["posts"] < PAGES * PER_PAGE
    rerun = subprocess.run(command, check=False, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    with Project(project, writable=False) as opened:
        assert project_info(opened.db)["posts"] == PAGES * PER_PAGE
