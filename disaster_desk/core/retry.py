"""The one retry policy: exponential backoff with full jitter (tenacity underneath).

Full jitter (a wait drawn uniformly between 0 and the exponential cap) keeps the
stations that lost the same server, or the collectors that lost the same API,
from retrying in lockstep. Every retrying part uses :class:`Backoff`:

- a call retried a few times in a row (an HTTP request of a collector):
  :func:`call_with_retry`, tenacity's ``Retrying`` with this wait;
- a long-lived link that reconnects until it is stopped (the PostgreSQL
  listener, the change subscriber): :class:`Reconnect`, which counts failures
  in a row and is reset once the link is up;
- a job that failed and is tried again on a later tick (the collector
  scheduler, the ward outbox): ``Backoff.delay(failures_in_a_row)``.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import tenacity

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass
class Backoff:
    """``attempts`` tries in all; after the n-th failure (from 0) wait uniform in [0, min(cap, base * 2**n)]."""

    attempts: int = 4
    base_s: float = 1.0
    cap_s: float = 30.0
    rng: random.Random = field(default_factory=random.Random)

    def ceiling(self, failure: int) -> float:
        """The longest wait after failure number ``failure`` (0 for the first)."""
        return min(self.cap_s, self.base_s * 2 ** min(max(failure, 0), 62))

    def delay(self, failure: int) -> float:
        return self.rng.uniform(0.0, self.ceiling(failure))

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        """A tenacity wait strategy: the wait after attempt ``attempt_number`` failed."""
        return self.delay(retry_state.attempt_number - 1)


class _Stopping(Exception):
    """The caller's sleep said it is stopping: give up retrying at once."""


def call_with_retry(
    fn: Callable[[], T],
    *,
    backoff: Backoff,
    sleep: Callable[[float], object],
    retry_on: type[BaseException] | tuple[type[BaseException], ...],
    what: str = "request",
) -> T:
    """Call ``fn``; on a ``retry_on`` error wait and try again, up to ``backoff.attempts`` tries.

    ``retry_on`` names the errors worth retrying (the collectors pass their
    ``TransientError``). ``sleep`` may return ``False`` to say the caller is
    stopping: the last error is raised at once. Other errors (rate limits,
    permanent refusals) pass through untouched.
    """
    failed: list[BaseException] = []

    def before_sleep(state: tenacity.RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        if exc is not None:
            failed.append(exc)
        log.warning("%s failed (%s); retry %d/%d in %.1fs", what, exc, state.attempt_number,
                    backoff.attempts - 1, state.upcoming_sleep)

    def interruptible(seconds: float) -> None:
        if sleep(seconds) is False:
            raise _Stopping

    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(max(1, backoff.attempts)),
        wait=backoff,
        retry=tenacity.retry_if_exception_type(retry_on),
        sleep=interruptible,
        before_sleep=before_sleep,
        reraise=True,
    )
    try:
        return retrying(fn)
    except _Stopping:
        raise failed[-1] from None


class Reconnect:
    """Failures in a row of a long-lived link, and how long to wait before the next try.

    ``failed()`` gives the jittered wait and counts the failure; ``connected()``
    resets the count once the link works again.
    """

    def __init__(self, backoff: Backoff | None = None) -> None:
        self.backoff = backoff or Backoff(attempts=0, base_s=1.0, cap_s=60.0)
        self.failures = 0

    def failed(self) -> float:
        delay = self.backoff.delay(self.failures)
        self.failures += 1
        return delay

    def connected(self) -> None:
        self.failures = 0
