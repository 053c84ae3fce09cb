"""How long the UI thread's event loop goes without turning: a fast timer's late firings, and where the time went.

While it runs, a ``StallMeter`` keeps a precise timer firing every couple of milliseconds on the UI
thread. Each firing notes the time since the previous one; the gap beyond the interval is how long
the event loop could not run (a slot, a paint, a direct call that took that long): a *stall*. A
watchdog thread looks at the UI thread's Python stack while a stall goes on (every ``sample_ms``),
so each long stall also says what was running, like a tiny sampling profiler that only wakes up when
the UI is stuck. It also notes where the other threads are: a UI thread found waiting in the event
loop or in ``time.sleep`` is usually waiting for the GIL, held by a job thread in one long C call
(the job thread's place is then the culprit). The watchdog only reads ``sys._current_frames()``; it
never touches Qt.
"""

from __future__ import annotations

import sys
import threading
import time
from array import array
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, TracebackType

from PySide6.QtCore import QObject, Qt, QTimer

ROOT = Path(__file__).resolve().parents[2]  # frames in our own code name where a stall was
HERE = Path(__file__).resolve()
LIMIT_MS = 50.0  # the rule: the UI thread is never blocked for longer
OUTSIDE = "outside our code (Qt or the event loop)"


def where(frame: FrameType | None, depth: int = 3) -> str:
    """The innermost frames of ``frame``'s stack that are our code (not Qt, the standard library or this module)."""
    places: list[str] = []
    while frame is not None and len(places) < depth:
        path = Path(frame.f_code.co_filename)
        if path != HERE and path.is_relative_to(ROOT) and ".venv" not in path.parts:
            places.append(f"{path.relative_to(ROOT)}:{frame.f_lineno} {frame.f_code.co_name}")
        frame = frame.f_back
    return " < ".join(places) or OUTSIDE


@dataclass(frozen=True, slots=True)
class Stall:
    """One gap of the event loop longer than the limit: how long, during which phase, where the time went.

    ``where`` is the UI thread's place (the commonest two when it moved), ``elsewhere`` the other threads'.
    """

    ms: float
    phase: str
    where: str
    elsewhere: str = ""

    def describe(self) -> str:
        other = f" (other threads: {self.elsewhere})" if self.elsewhere else ""
        return f"{self.ms:.0f} ms in {self.phase or 'no phase'}: {self.where}{other}"


@dataclass(frozen=True, slots=True)
class StallReport:
    """The figures of one measurement: every firing's lateness, and the stalls over the limit."""

    ticks: int
    max_ms: float
    p99_ms: float
    limit_ms: float
    stalls: list[Stall] = field(default_factory=list)

    @property
    def over(self) -> int:
        return len(self.stalls)

    def summary(self) -> str:
        text = f"max stall {self.max_ms:.0f} ms, p99 {self.p99_ms:.1f} ms, {self.over} over {self.limit_ms:.0f} ms"
        worst = sorted(self.stalls, key=lambda stall: -stall.ms)[:3]
        return text + "".join(f"\n    {stall.describe()}" for stall in worst)


def _report(late: array[float], stalls: list[Stall], limit_ms: float) -> StallReport:
    ordered = sorted(late)
    if not ordered:
        return StallReport(0, 0.0, 0.0, limit_ms, list(stalls))
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return StallReport(len(ordered), ordered[-1], p99, limit_ms, list(stalls))


def _commonest(places: list[str]) -> str:
    """The place seen most often (the two commonest, with their shares, when there were several)."""
    counted = Counter(places).most_common(2)
    if len(counted) < 2:
        return counted[0][0] if counted else ""
    return "; ".join(f"{count * 100 // len(places)}% {place}" for place, count in counted)


class StallMeter(QObject):
    """Measures the UI thread's stalls between ``start()`` and ``stop()`` (or as a ``with`` block).

    ``phase`` names what the caller is doing now ("open project", "search"); each stall keeps the
    phase the watchdog saw most during it (the phase it ended in when it was too short to sample).
    """

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        interval_ms: int = 2,
        limit_ms: float = LIMIT_MS,
        sample_ms: float = 10.0,
    ) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.limit_ms = limit_ms
        self.phase = ""
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._sample_s = sample_ms / 1000
        self._ui_thread = threading.get_ident()
        self._last = 0.0
        self._late: array[float] = array("d")
        self._stalls: list[Stall] = []
        self._samples: list[tuple[float, str, str, str]] = []  # (when, phase, UI place, other threads' places)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._watchdog: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        """Start measuring afresh (the figures of an earlier run are dropped)."""
        self.stop()
        self._late, self._stalls, self._samples = array("d"), [], []
        self._ui_thread = threading.get_ident()
        self._last = time.perf_counter()
        self._timer.start()
        self._stop.clear()
        # A daemon, so a meter someone forgot to stop can never keep the process alive.
        self._watchdog = threading.Thread(target=self._watch, name="stall watchdog", daemon=True)
        self._watchdog.start()

    def stop(self) -> StallReport:
        """Stop the timer and the watchdog; the figures up to now."""
        if self._timer.isActive():
            self._tick()  # a stall still going on when stopped counts too
        self._timer.stop()
        self._stop.set()
        if self._watchdog is not None:
            self._watchdog.join()
            self._watchdog = None
        return self.report()

    def report(self) -> StallReport:
        """The figures so far (also while running)."""
        return _report(self._late, self._stalls, self.limit_ms)

    def __enter__(self) -> StallMeter:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        late_ms = max(0.0, (now - self._last) * 1000 - self.interval_ms)
        started, self._last = self._last, now
        self._late.append(late_ms)
        if late_ms > self.limit_ms:
            self._stalls.append(Stall(late_ms, *self._blamed(started, now)))

    def _blamed(self, started: float, ended: float) -> tuple[str, str, str]:
        """The phase, the UI thread's places and the other threads' during a stall, the commonest first."""
        with self._lock:
            seen = [sample[1:] for sample in self._samples if started <= sample[0] <= ended]
            self._samples = [sample for sample in self._samples if sample[0] > ended]
        if not seen:  # too short for the watchdog to look, or it could not get the GIL
            return self.phase, "not sampled", ""
        # A stall can span phases (the caller names the next one before the loop turns again): take the commonest.
        phase = Counter(phase for phase, _, _ in seen).most_common(1)[0][0]
        return phase, _commonest([place for _, place, _ in seen]), _commonest([other for *_, other in seen if other])

    def _watch(self) -> None:
        # Sampling only once the loop is already late keeps the watchdog idle (and the GIL free) otherwise.
        while not self._stop.wait(self._sample_s):
            now = time.perf_counter()
            if (now - self._last) * 1000 < self.limit_ms / 2:
                continue
            place, others = self._look()
            with self._lock:
                self._samples.append((now, self.phase, place, others))

    def _look(self) -> tuple[str, str]:
        """Where the UI thread is, and where the other threads in our code are (no frame is kept: locals live on)."""
        frames = sys._current_frames()
        mine = threading.get_ident()
        others = [where(frame) for ident, frame in frames.items() if ident not in (mine, self._ui_thread)]
        return where(frames.get(self._ui_thread)), " | ".join(other for other in others if other != OUTSIDE)
