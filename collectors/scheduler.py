"""Running collectors on their own intervals with APScheduler, isolated from each other.

Each collector is one APScheduler job (``max_instances=1``, ``coalesce=True``):
a slow run never overlaps the next one of the same collector, and a failing
collector only affects its own status. After a failure the collector backs
off with the one retry policy (:class:`disaster_desk.core.retry.Backoff`: up to
interval × 2^failures with full jitter, capped at :data:`MAX_BACKOFF_S`) and
after a rate limit it waits until the source's reset time, never longer than
:data:`MAX_RATE_LIMIT_WAIT_S` (a reset header far in the future must not park a
collector for good); both show as ``waiting_until`` in its status, the wait
obeyed and the one asked for in ``last_error``. Once the
source answers again, the next run succeeds and the status returns to ``ok``.

``run_once(name)`` is the whole job body; tests and ``collect --once`` call it
directly with a manual clock.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from collectors.base import Collector, RunContext
from collectors.errors import RateLimited
from collectors.pipeline import Pipeline
from collectors.status import CollectorStatus, StatusStore
from disaster_desk.core.retry import Backoff

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 600.0
#: The longest a rate limit may park a collector (X resets its windows every 15 minutes).
MAX_RATE_LIMIT_WAIT_S = 15 * 60.0


class _SkipOverlapNotices(logging.Filter):
    """A long run (the X stream) makes APScheduler warn at every tick it skips; that is by design."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


logging.getLogger("apscheduler.scheduler").addFilter(_SkipOverlapNotices())


class PendingAnalysis(Collector):
    """Analyses stored posts left without analysis (e.g. the analyser failed earlier), then groups
    what was left ungrouped (a grouping that failed or was interrupted; see ``GroupingService.group_ungrouped``)."""

    name = "analysis"

    def __init__(self, interval_s: float = 300.0) -> None:
        self.interval_s = interval_s

    def run(self, ctx: RunContext) -> None:
        ctx.items += ctx.pipeline.analyse_pending()
        ctx.pipeline.group_pending()


class CollectorScheduler:
    def __init__(
        self,
        collectors: Sequence[Collector],
        pipeline: Pipeline,
        *,
        stop: threading.Event | None = None,
        sleep: Callable[[float], object] | None = None,
        max_backoff_s: float = MAX_BACKOFF_S,
        max_rate_limit_wait_s: float = MAX_RATE_LIMIT_WAIT_S,
        persist_status: bool = True,
        rng: random.Random | None = None,
    ) -> None:
        names = [c.name for c in collectors]
        if len(set(names)) != len(names):
            raise ValueError(f"collector names must be unique: {names}")
        self.collectors = {c.name: c for c in collectors}
        self.pipeline = pipeline
        self.clock = pipeline.clock
        self.stop_event = stop or threading.Event()
        self._sleep = sleep
        self.max_backoff_s = max_backoff_s
        self.max_rate_limit_wait_s = max_rate_limit_wait_s
        rng = rng or random.Random()
        self._backoff = {
            c.name: Backoff(attempts=0, base_s=max(1.0, c.interval_s), cap_s=max_backoff_s, rng=rng) for c in collectors
        }
        self._store = StatusStore(pipeline.db, pipeline.clock) if persist_status else None
        self._status = {name: CollectorStatus(name) for name in names}
        self._lock = threading.Lock()
        # One run per collector at a time, also when a "run now" (UI) meets a scheduled run.
        self._run_locks = {name: threading.Lock() for name in names}
        self._scheduler: BackgroundScheduler | None = None
        self._jobs: dict[str, Any] = {}

    # -- one run -----------------------------------------------------------
    def run_once(self, name: str) -> CollectorStatus:
        """Run collector ``name`` now unless it is waiting (rate limit or backoff) or already running."""
        run_lock = self._run_locks[name]
        if not run_lock.acquire(blocking=False):
            with self._lock:
                return self._copy(self._status[name])
        try:
            return self._run_locked(name)
        finally:
            run_lock.release()

    def _run_locked(self, name: str) -> CollectorStatus:
        collector = self.collectors[name]
        now = self.clock.now()
        with self._lock:
            status = self._status[name]
            if status.waiting_until is not None and now < status.waiting_until:
                status.state = "waiting"
                status.next_run = self._next_run(name)
                self._save(status)
                return self._copy(status)
            status.state = "running"
            status.waiting_until = None
            self._save(status)
        ctx = RunContext(self.pipeline, stop=self.stop_event, sleep=self._sleep)
        error: BaseException | None = None
        try:
            collector.run(ctx)
        except Exception as exc:  # one failing collector never stops the others
            error = exc
        with self._lock:
            status.last_run = self.clock.now()
            status.items = ctx.items
            status.refused, status.last_refused = ctx.refused, ctx.last_refused
            if error is None:
                status.state = "stopped" if self.stop_event.is_set() else "ok"
                status.failures = 0
                status.last_error = None
            elif isinstance(error, RateLimited):
                status.state = "waiting"
                status.waiting_until, status.last_error = self._rate_limit_wait(status.last_run, error)
                log.warning("%s %s", name, status.last_error)
            else:
                status.failures += 1
                status.state = "error"
                status.last_error = f"{type(error).__name__}: {error}"
                wait = self._backoff[name].delay(status.failures - 1)
                status.waiting_until = status.last_run + timedelta(seconds=wait)
                log.error("%s failed (%d in a row, next try after %.0fs): %s", name, status.failures, wait, error)
            status.next_run = self._next_run(name)
            self._save(status)
            return self._copy(status)

    def run_all_once(self) -> list[CollectorStatus]:
        """Each collector once, in turn (``collect --once``)."""
        out = []
        for name in self.collectors:
            if self.stop_event.is_set():
                break
            out.append(self.run_once(name))
        return out

    # -- background scheduling --------------------------------------------
    def start(self) -> None:
        """Start every collector on its own interval, first runs immediately."""
        scheduler = BackgroundScheduler(timezone="UTC")
        for name, collector in self.collectors.items():
            self._jobs[name] = scheduler.add_job(
                self._job,
                IntervalTrigger(seconds=max(1.0, collector.interval_s)),
                args=[name],
                id=name,
                name=name,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=max(1, int(collector.interval_s)),
                next_run_time=self.clock.now(),
            )
        self._scheduler = scheduler
        scheduler.start()
        log.info("collectors started: %s", ", ".join(self.collectors))

    def _job(self, name: str) -> None:
        if not self.stop_event.is_set():
            self.run_once(name)

    def shutdown(self, wait: bool = True) -> None:
        """Stop scheduling; with ``wait`` the running batches finish first."""
        self.stop_event.set()
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=wait)
            self._scheduler = None
            self._jobs = {}
        with self._lock:
            for status in self._status.values():
                status.state = "stopped"
                status.next_run = None
                self._save(status)

    def status(self) -> list[CollectorStatus]:
        with self._lock:
            return [self._copy(s) for s in self._status.values()]

    # -- helpers -----------------------------------------------------------
    def _rate_limit_wait(self, now: datetime, error: RateLimited) -> tuple[datetime, str]:
        """Until when to wait after ``error``, capped, and the status text saying so."""
        asked = error.reset_at
        longest = now + timedelta(seconds=self.max_rate_limit_wait_s)
        until = min(max(asked, now), longest)
        wait_s = (until - now).total_seconds()
        text = f"rate limited: {error}; waiting {_duration(wait_s)} until {until.isoformat()}"
        if asked > longest:
            text += f" (the source asked until {asked.isoformat()}; capped at {_duration(self.max_rate_limit_wait_s)})"
        return until, text

    def _next_run(self, name: str) -> datetime:
        """The next scheduled tick, or the end of a rate-limit/backoff wait if that is later."""
        status = self._status[name]
        nxt = None
        # The Job object itself, not scheduler.get_job(): that takes the scheduler's job-store
        # lock, which shutdown(wait=True) holds while it waits for this very run to end.
        job = self._jobs.get(name)
        if job is not None and getattr(job, "next_run_time", None) is not None:
            nxt = job.next_run_time
        if nxt is None:
            nxt = (status.last_run or self.clock.now()) + timedelta(seconds=self.collectors[name].interval_s)
        if status.waiting_until is not None and status.waiting_until > nxt:
            return status.waiting_until
        return nxt

    def _save(self, status: CollectorStatus) -> None:
        if self._store is None:
            return
        try:
            self._store.save(status)
        except Exception:  # the status is informative; never let it stop collection
            log.exception("could not save status of %s", status.name)

    @staticmethod
    def _copy(status: CollectorStatus) -> CollectorStatus:
        return CollectorStatus(**vars(status))


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"
