"""Threadcoder's own processes leave pandas out: sqlite-utils would import it for nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = """
import sys
from archive.lean_imports import leave_out_pandas
leave_out_pandas()
import sqlite_utils
from archive.store.project import Project
db = sqlite_utils.Database(memory=True)
db["posts"].insert_all([{"id": 1, "text": "me too"}], pk="id")
assert db.execute("select text from posts").fetchone() == ("me too",)
print(sys.modules.get("pandas", "absent"))
"""


def test_sqlite_utils_works_without_pandas_once_it_is_left_out():
    pytest.importorskip("pandas")  # installed with the test extras: what is being left out
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "None"


def test_a_process_that_imported_pandas_keeps_it():
    pytest.importorskip("pandas")
    code = "import pandas, sys; from archive.lean_imports import leave_out_pandas; leave_out_pandas(); import pandas"
    subprocess.run([sys.executable, "-c", code], timeout=120, check=True)


def test_the_threadcoder_command_leaves_pandas_out():
    script = "import sys\nfrom desktop.main import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
    script += "print(sys.modules.get('pandas', 'absent'))\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip().splitlines()[-1] == "None"
