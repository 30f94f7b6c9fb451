"""Collecting in the desktop process: the configured collectors on their own
threads (APScheduler), never on the GUI thread. The window shows their status
and learns of new posts by its change hub like any other station."""

from __future__ import annotations

import logging
from typing import Any

from disaster_desk.core.clock import SystemClock

log = logging.getLogger(__name__)


def start_collection(settings: Any, db: Any) -> Any | None:
    """Start the enabled collectors (with analysis); None when none is enabled."""
    from collectors.config import build_collectors
    from collectors.pipeline import Pipeline
    from collectors.scheduler import CollectorScheduler, PendingAnalysis

    collectors = build_collectors(settings)
    if not collectors:
        log.info("no collector enabled; this station only reads the database")
        return None

    def analyser() -> Any:
        from nlp.analyser import get_analyser

        return get_analyser(settings.gazetteer_dir)

    pipeline = Pipeline(db, SystemClock(), analyser_provider=analyser)
    scheduler = CollectorScheduler([*collectors, PendingAnalysis()], pipeline)
    scheduler.start()
    log.info("collecting in-process: %s", ", ".join(c.name for c in collectors))
    return scheduler
