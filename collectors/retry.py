"""Retrying transient failures with exponential backoff and full jitter.

Full jitter (a random delay between 0 and the exponential cap) keeps several
stations that lost the same source from retrying in lockstep.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from collectors.errors import TransientError

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass
class Backoff:
    """``attempts`` tries in all; the n-th wait is uniform in [0, min(cap, base * 2**n)]."""

    attempts: int = 4
    base_s: float = 1.0
    cap_s: float = 30.0
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, failure: int) -> float:
        return self.rng.uniform(0.0, min(self.cap_s, self.base_s * 2**failure))


def call_with_retry(
    fn: Callable[[], T],
    *,
    backoff: Backoff,
    sleep: Callable[[float], object],
    what: str = "request",
) -> T:
    """Call ``fn``; on :class:`TransientError` wait and try again, up to ``backoff.attempts`` times.

    ``sleep`` may return ``False`` to say the collector is stopping: the last
    error is raised at once. Other errors (rate limits, permanent) pass through.
    """
    failure = 0
    while True:
        try:
            return fn()
        except TransientError as exc:
            failure += 1
            if failure >= backoff.attempts:
                raise
            delay = backoff.delay(failure - 1)
            log.warning("%s failed (%s); retry %d/%d in %.1fs", what, exc, failure, backoff.attempts - 1, delay)
            if sleep(delay) is False:
                raise
