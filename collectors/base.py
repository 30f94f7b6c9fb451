"""The collector interface: one run fetches what is new and hands it to the pipeline.

A collector is a small object with a ``name``, an ``interval_s`` and a
``run(ctx)`` method. It yields posts in one shape (:class:`RawPost`, from the
core ingest module) through ``ctx.store(...)``, keeps its place with
checkpoints (``ctx.checkpoint`` / the ``checkpoint=`` argument of ``store``),
and signals failures with :mod:`collectors.errors`. Scheduling, status and
backoff after failures are the scheduler's business, not the collector's.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any

from collectors.pipeline import DuplicateLink, Pipeline
from disaster_desk.core.alerts import AlertRecord
from disaster_desk.core.clock import Clock
from disaster_desk.core.ingest import RawPost, Refusal

__all__ = ["Collector", "RawPost", "RunContext"]


class RunContext:
    """What one run of one collector may use: the pipeline, its clock, an interruptible sleep.

    ``items`` counts the posts and alerts newly stored during the run.
    """

    def __init__(
        self,
        pipeline: Pipeline,
        *,
        stop: threading.Event | None = None,
        sleep: Callable[[float], object] | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.stop_event = stop or threading.Event()
        self._sleep = sleep
        self.items = 0
        self.duplicates = 0
        #: Posts refused during the run (invalid, or refused by the database), and the last one's "id: reason".
        self.refused = 0
        self.last_refused: str | None = None
        self.refusals: list[Refusal] = []

    @property
    def clock(self) -> Clock:
        return self.pipeline.clock

    @property
    def stopped(self) -> bool:
        return self.stop_event.is_set()

    def sleep(self, seconds: float) -> bool:
        """Wait ``seconds``; return False at once if the collector is being stopped."""
        if self.stopped:
            return False
        if seconds > 0:
            if self._sleep is not None:
                self._sleep(seconds)
            else:
                self.stop_event.wait(seconds)
        return not self.stopped

    def checkpoint(self, key: str) -> dict[str, Any] | None:
        return self.pipeline.checkpoint(key)

    def store(
        self,
        posts: Sequence[RawPost],
        *,
        checkpoint: tuple[str, dict[str, Any] | None] | None = None,
        duplicates: Sequence[DuplicateLink] = (),
    ) -> int:
        result = self.pipeline.store(posts, checkpoint=checkpoint, duplicates=duplicates)
        self.items += result.stored
        self.duplicates += result.duplicates
        if result.refused:
            self.refusals += result.refused
            self.refused += len(result.refused)
            last = result.refused[-1]
            self.last_refused = f"{last.source}/{last.external_id}: {last.reason}"
        return result.stored

    def store_alerts(
        self, alerts: Sequence[AlertRecord], *, checkpoint: tuple[str, dict[str, Any] | None] | None = None
    ) -> int:
        added = self.pipeline.store_alerts(alerts, checkpoint=checkpoint)
        self.items += added
        return added


class Collector(ABC):
    """One source. Subclasses set ``name`` and ``interval_s`` and implement :meth:`run`."""

    name: str = "collector"
    interval_s: float = 60.0

    @abstractmethod
    def run(self, ctx: RunContext) -> None:
        """Fetch what is new since the checkpoint and store it through ``ctx``.

        Store in batches and pass each batch's checkpoint along with it, so a
        crash mid-run resumes after the last stored batch. Check
        ``ctx.stopped`` between batches. Raise :mod:`collectors.errors` on failure.
        """
