"""The injectable clock: manual in tests, scaled in drills."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from disaster_desk.core.clock import JST, ManualClock, ScaledClock, utc


def test_manual_clock_moves_only_when_told():
    clock = ManualClock(datetime(2026, 1, 17, 5, 46, tzinfo=JST))
    start = clock.now()
    assert clock.now() == start
    clock.advance(90)
    assert clock.now() - start == timedelta(seconds=90)
    assert clock.now().tzinfo == timezone.utc


def test_scaled_clock_runs_faster_and_pauses():
    clock = ScaledClock(datetime(2026, 1, 17, tzinfo=timezone.utc), speed=1000)
    time.sleep(0.05)
    assert clock.elapsed() >= 40  # 0.05 s wall at 1000x
    clock.pause()
    frozen = clock.elapsed()
    time.sleep(0.02)
    assert clock.elapsed() == frozen
    clock.resume()
    assert clock.elapsed() >= frozen


def test_max_speed_clock_moves_only_by_jumps_and_never_backwards():
    clock = ScaledClock(datetime(2026, 1, 17, tzinfo=timezone.utc), speed=None)
    assert clock.elapsed() == 0
    clock.jump(120)
    clock.jump(60)
    assert clock.elapsed() == 120


def test_naive_times_are_taken_as_utc():
    assert utc(datetime(2026, 1, 1, 0, 0)).tzinfo == timezone.utc
