"""Keep optional libraries that Threadcoder never uses out of its own processes.

sqlite-utils imports pandas whenever it is installed, only to convert pandas values that a caller might
insert; Threadcoder never passes any. Researchers often install Threadcoder beside pandas, and the import
then costs each process about half a second and 34 MB (measured: 69 MB against 35 MB resident after
``import sqlite_utils``). The app, the command line and the search process call ``leave_out_pandas`` before
anything imports sqlite-utils; libraries and tests that import ``archive`` are left as they are.
"""

from __future__ import annotations

import sys

UNUSED = ("pandas",)


def leave_out_pandas() -> None:
    """Make ``import pandas`` fail in this process, as if it were not installed, unless it is imported
    already (then nothing is saved, and whoever imported it keeps it)."""
    for name in UNUSED:
        if name not in sys.modules:
            sys.modules[name] = None  # type: ignore[assignment]  # the import system's "not available"
