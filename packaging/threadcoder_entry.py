"""The PyInstaller build's entry point (packaging/threadcoder.spec): ``desktop.main:main`` behind freeze_support.

Threadcoder starts its reader and search processes with the ``spawn`` method. A frozen app has no Python
to spawn: the child is this executable again, started with ``--multiprocessing-fork``, and
``freeze_support`` is what turns it into the child (and multiprocessing's resource tracker) instead of a
second copy of the app. The ``threadcoder`` script that pip makes does not need it, so it lives here.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from desktop.main import main

    sys.exit(main())
