"""Qt tests run offscreen, on real projects written through the store."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
