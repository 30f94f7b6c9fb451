"""The one retry policy: full-jitter waits, a bounded number of tries, an interruptible sleep."""

from __future__ import annotations

import random

import pytest

from disaster_desk.core.retry import Backoff, Reconnect, call_with_retry


class Flaky(Exception):
    pass


def failing(times: int, result: str = "ok"):
    calls = {"n": 0}

    def fn() -> str:
        calls["n"] += 1
        if calls["n"] <= times:
            raise Flaky(f"failure {calls['n']}")
        return result

    return fn, calls


def test_waits_are_jittered_between_zero_and_the_exponential_cap():
    backoff = Backoff(attempts=10, base_s=1.0, cap_s=30.0, rng=random.Random(4))
    waits = [[backoff.delay(n) for _ in range(500)] for n in range(7)]
    for n, sample in enumerate(waits):
        top = min(30.0, 2.0**n)
        assert 0.0 <= min(sample) and max(sample) <= top
        assert max(sample) > 0.9 * top and min(sample) < 0.1 * top  # spread over the whole range
    assert len({round(w, 6) for w in waits[3]}) > 400  # no two stations in lockstep
    assert backoff.ceiling(10_000) == 30.0  # no overflow after a very long outage


def test_a_transient_error_is_retried_with_the_policy_waits_then_succeeds():
    fn, calls = failing(2)
    slept: list[float] = []
    backoff = Backoff(attempts=3, base_s=1.0, cap_s=8.0, rng=random.Random(1))
    assert call_with_retry(fn, backoff=backoff, sleep=slept.append, retry_on=Flaky) == "ok"
    assert calls["n"] == 3 and len(slept) == 2
    assert 0 <= slept[0] <= 1.0 and 0 <= slept[1] <= 2.0


def test_after_the_last_try_the_error_is_raised():
    fn, calls = failing(10)
    with pytest.raises(Flaky, match="failure 3"):
        call_with_retry(fn, backoff=Backoff(attempts=3), sleep=lambda s: None, retry_on=Flaky)
    assert calls["n"] == 3


def test_other_errors_are_not_retried():
    calls = {"n": 0}

    def fn():
        calls["n"] += 1
        raise KeyError("permanent")

    with pytest.raises(KeyError):
        call_with_retry(fn, backoff=Backoff(attempts=5), sleep=lambda s: None, retry_on=Flaky)
    assert calls["n"] == 1


def test_a_sleep_that_says_stopping_ends_the_retries_with_the_last_error():
    fn, calls = failing(10)
    with pytest.raises(Flaky, match="failure 1"):
        call_with_retry(fn, backoff=Backoff(attempts=5), sleep=lambda s: False, retry_on=Flaky)
    assert calls["n"] == 1


def test_reconnect_grows_while_failing_and_starts_again_once_connected():
    class Top(random.Random):
        def uniform(self, a, b):
            return b

    link = Reconnect(Backoff(attempts=0, base_s=2.0, cap_s=60.0, rng=Top()))
    assert [link.failed() for _ in range(7)] == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]
    link.connected()
    assert link.failed() == 2.0
