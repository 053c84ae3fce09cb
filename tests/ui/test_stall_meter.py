"""The stall meter sees a slot that blocks the UI thread, names it, and sees nothing in an idle loop."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer

from ui.common.stall_meter import StallMeter


def block_for_a_while() -> None:
    time.sleep(0.12)  # stands for a slow query on the UI thread


def test_a_slot_that_sleeps_120_ms_is_one_stall_and_is_named(qtbot):
    meter = StallMeter()
    meter.start()
    meter.phase = "sleeping"
    QTimer.singleShot(30, block_for_a_while)
    qtbot.wait(300)
    report = meter.stop()
    assert not meter.running
    assert report.max_ms >= 100  # 120 ms asleep, less the timer's own interval and scheduling slack
    assert report.over >= 1
    worst = max(report.stalls, key=lambda stall: stall.ms)
    assert worst.phase == "sleeping"
    assert "block_for_a_while" in worst.where
    assert "over 50 ms" in report.summary()


def test_an_idle_loop_shows_no_stall_over_50_ms(qtbot):
    with StallMeter() as meter:
        qtbot.wait(400)
    report = meter.report()
    assert report.ticks >= 20  # the timer really fired (a meter that never ticks would find nothing)
    assert report.over == 0, report.summary()
    assert report.max_ms < 50


def test_a_direct_call_that_blocks_before_stop_is_counted(qtbot):
    meter = StallMeter()
    meter.start()
    qtbot.wait(20)
    block_for_a_while()  # the loop never ran in between: stop() sees the gap
    assert meter.stop().max_ms >= 100
    assert meter.stop().ticks == meter.report().ticks  # stopping twice changes nothing
