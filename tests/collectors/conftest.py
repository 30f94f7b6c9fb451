"""Helpers for the collector tests: a pipeline on the ``db`` fixture, a recorded sleep."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


class RecordedSleep:
    """A sleep that advances the manual clock instead of waiting, and records each wait."""

    def __init__(self, clock) -> None:
        self.clock = clock
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        self.clock.advance(seconds)


@pytest.fixture
def sleep(clock):
    return RecordedSleep(clock)


@pytest.fixture
def pipeline(db, clock):
    from collectors.pipeline import Pipeline

    return Pipeline(db, clock)


@pytest.fixture
def ctx(pipeline, sleep):
    from collectors.base import RunContext

    return RunContext(pipeline, sleep=sleep)


class TopOfRange(random.Random):
    """A 'random' source that always draws the top of the range: jittered waits become their cap."""

    def uniform(self, a, b):
        return b


@pytest.fixture
def no_jitter():
    """Backoff whose waits are the exponential cap (deterministic)."""
    from disaster_desk.core.retry import Backoff

    return Backoff(attempts=3, base_s=1.0, cap_s=8.0, rng=TopOfRange())


@pytest.fixture
def lite_db(sqlite_db):
    """SQLite only: for tests about HTTP behaviour, where the engine does not matter."""
    return sqlite_db


@pytest.fixture
def lite_ctx(sqlite_db, clock, sleep):
    from collectors.base import RunContext
    from collectors.pipeline import Pipeline

    return RunContext(Pipeline(sqlite_db, clock), sleep=sleep)
