"""Each collector's state, kept in the ``collector_status`` table.

The status lives in the database (not a file) so that every station sharing
the database — the desktop UI, ``disaster-desk collect --status`` on another
machine — reads what the collecting process last wrote.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from collectors.checkpoints import upsert
from disaster_desk.core.clock import Clock
from disaster_desk.core.db import Database
from disaster_desk.core.models import CollectorStatusRow

STATES = ("idle", "running", "ok", "error", "waiting", "stopped")
MAX_ERROR = 2000


@dataclass
class CollectorStatus:
    name: str
    state: str = "idle"
    last_run: datetime | None = None
    #: Posts (or alerts) newly stored by the last run.
    items: int = 0
    last_error: str | None = None
    next_run: datetime | None = None
    #: Set while obeying a rate limit or backing off after failures.
    waiting_until: datetime | None = None
    #: Consecutive failed runs.
    failures: int = 0
    #: Posts refused by the last run (invalid or refused by the database) and the last one as "source/id: reason".
    refused: int = 0
    last_refused: str | None = None

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, datetime):
                out[key] = value.isoformat()
        return out


class StatusStore:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def save(self, status: CollectorStatus) -> None:
        values = {
            "state": status.state,
            "last_run": status.last_run,
            "items": status.items,
            "last_error": (status.last_error or "")[:MAX_ERROR] or None,
            "next_run": status.next_run,
            "waiting_until": status.waiting_until,
            "failures": status.failures,
            "refused": status.refused,
            "last_refused": (status.last_refused or "")[:MAX_ERROR] or None,
            "updated_at": self.clock.now(),
        }
        upsert(self.db, CollectorStatusRow, "collector", {"collector": status.name, **values})

    def load_all(self) -> list[CollectorStatus]:
        with self.db.session() as session:
            rows = session.scalars(select(CollectorStatusRow).order_by(CollectorStatusRow.collector)).all()
            return [
                CollectorStatus(
                    name=r.collector,
                    state=r.state,
                    last_run=r.last_run,
                    items=r.items,
                    last_error=r.last_error,
                    next_run=r.next_run,
                    waiting_until=r.waiting_until,
                    failures=r.failures,
                    refused=r.refused,
                    last_refused=r.last_refused,
                )
                for r in rows
            ]
