"""The one source of time (ARCHITECTURE rule 3).

Nothing outside this module calls ``datetime.now()``. Services take a
:class:`Clock`; drills run a :class:`ScaledClock` faster than real time and
tests move a :class:`ManualClock` by hand. All clocks return aware UTC times.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Protocol

JST = timezone(timedelta(hours=9), "JST")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class SystemClock:
    """Wall-clock time."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class ManualClock:
    """A clock that moves only when told to (tests)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = (start or datetime(2026, 1, 17, 5, 46, tzinfo=JST)).astimezone(timezone.utc)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float = 0.0, **kwargs: float) -> datetime:
        with self._lock:
            self._now += timedelta(seconds=seconds, **kwargs)
            return self._now

    def set(self, when: datetime) -> None:
        with self._lock:
            self._now = when.astimezone(timezone.utc)


class ScaledClock:
    """Scenario time running ``speed`` times faster than wall time.

    ``speed=None`` means "as fast as possible": time only moves by
    :meth:`jump` (the drill engine jumps to each inject). Pausing freezes it.
    """

    def __init__(self, start: datetime, speed: float | None = 1.0) -> None:
        self._start = start.astimezone(timezone.utc)
        self._speed = speed
        self._offset = 0.0  # scenario seconds accumulated before the last resume
        self._resumed_at: float | None = time.monotonic()
        self._lock = threading.Lock()

    @property
    def speed(self) -> float | None:
        return self._speed

    def elapsed(self) -> float:
        """Scenario seconds since t=0."""
        with self._lock:
            return self._elapsed_locked()

    def _elapsed_locked(self) -> float:
        if self._resumed_at is None or self._speed is None:
            return self._offset
        return self._offset + (time.monotonic() - self._resumed_at) * self._speed

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self.elapsed())

    def pause(self) -> None:
        with self._lock:
            self._offset = self._elapsed_locked()
            self._resumed_at = None

    def resume(self) -> None:
        with self._lock:
            if self._resumed_at is None:
                self._resumed_at = time.monotonic()

    @property
    def paused(self) -> bool:
        return self._resumed_at is None

    def set_speed(self, speed: float | None) -> None:
        with self._lock:
            self._offset = self._elapsed_locked()
            self._speed = speed
            if self._resumed_at is not None:
                self._resumed_at = time.monotonic()

    def jump(self, elapsed_s: float) -> None:
        """Move scenario time to ``elapsed_s`` (never backwards)."""
        with self._lock:
            current = self._elapsed_locked()
            self._offset = max(current, elapsed_s)
            if self._resumed_at is not None:
                self._resumed_at = time.monotonic()


def utc(dt: datetime) -> datetime:
    """An aware UTC datetime; naive input is taken as UTC."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)
