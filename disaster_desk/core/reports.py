"""The one path for ward reports: form, CSV import and drill all call
:meth:`ReportService.submit` (ARCHITECTURE rule 2).

Submitting is idempotent on the client-generated UUID, so an outbox that
resends after a lost acknowledgement stores the report once.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from disaster_desk.core import audit
from disaster_desk.core.clock import Clock, utc
from disaster_desk.core.db import Database
from disaster_desk.core.models import Report
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.report_schema import validate_report

log = logging.getLogger(__name__)


@dataclass
class SubmitResult:
    report_id: int
    created: bool  # False when the client UUID was already stored


class ReportService:
    def __init__(self, db: Database, clock: Clock, scope: Scope = REAL_SCOPE) -> None:
        if scope.is_drill and not scope.run_id:
            raise ValueError("drill data is stored under a run id")
        self.db = db
        self.clock = clock
        self.scope = scope

    def submit(
        self,
        kind: str,
        ward: str | None,
        data: dict[str, Any],
        *,
        author: str,
        client_uuid: str | None = None,
        created_at: datetime | None = None,
    ) -> SubmitResult:
        """Validate and store a report; the same client UUID twice is one row."""
        payload = validate_report(kind, ward, data)
        client_uuid = client_uuid or str(uuid.uuid4())
        now = self.clock.now()
        with self.db.session() as session:
            existing = session.scalar(select(Report.id).where(Report.client_uuid == client_uuid))
            if existing is not None:
                return SubmitResult(existing, False)
            report = Report(
                client_uuid=client_uuid,
                kind=kind,
                ward=ward or None,
                payload=payload,
                created_at=utc(created_at) if created_at else now,
                received_at=now,
                author=author,
                **self.scope.columns(),
            )
            session.add(report)
            session.flush()
            audit.record(
                session, at=now, actor=author, action="report.create", item_type="report",
                item_id=report.id, scope=self.scope, after={"kind": kind, "ward": ward, "payload": payload},
            )
            self.db.notify(session, {"table": "reports", "id": report.id, **self.scope.columns()})
            return SubmitResult(report.id, True)
