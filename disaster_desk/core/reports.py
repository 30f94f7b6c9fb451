"""The one path for ward reports: form, CSV import and drill all call
:meth:`ReportService.submit` (ARCHITECTURE rule 2).

Submitting is idempotent on the client-generated UUID, so an outbox that
resends after a lost acknowledgement stores the report once — also when two
sends race (the unique index decides, the loser returns the winner's row).
Edits are versioned (optimistic locking) and audited with before/after.
A ward station (``station_ward``) may only write its own ward's reports.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from disaster_desk.core import audit, changes
from disaster_desk.core.clock import Clock, utc
from disaster_desk.core.db import Database
from disaster_desk.core.items import ItemKey
from disaster_desk.core.models import Report
from disaster_desk.core.modes import REAL_SCOPE, Scope, mode_filter
from disaster_desk.core.report_schema import validate_report
from disaster_desk.core.text import clean_text
from disaster_desk.errors import ConflictError, UserError, ValidationError

log = logging.getLogger(__name__)


@dataclass
class SubmitResult:
    report_id: int
    created: bool  # False when the client UUID was already stored


class ReportService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        scope: Scope = REAL_SCOPE,
        *,
        station_ward: str | None = None,
    ) -> None:
        scope.one_run()
        self.db = db
        self.clock = clock
        self.scope = scope
        self.station_ward = station_ward or None

    def _ward_for(self, ward: str | None) -> str | None:
        """A ward station reports for its own ward only (a missing ward means its own)."""
        if self.station_ward is None:
            return ward or None
        if not ward:
            return self.station_ward
        if ward != self.station_ward:
            raise ValidationError(f"this station reports for {self.station_ward} only, not {ward}", field="ward")
        return ward

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
        if isinstance(ward, str):
            ward = clean_text(ward).strip()  # the text boundary for the ward too (a CSV cell, a form field)
        ward = self._ward_for(ward)
        payload = validate_report(kind, ward, data)
        client_uuid = client_uuid or str(uuid.uuid4())
        existing = self._by_uuid(client_uuid)
        if existing is not None:
            return SubmitResult(existing, False)
        try:
            return SubmitResult(self._insert(kind, ward, payload, author, client_uuid, created_at), True)
        except IntegrityError:
            # Another station (or a resend) stored the same UUID between our check and insert.
            existing = self._by_uuid(client_uuid)
            if existing is None:
                raise
            log.info("report %s stored concurrently; returning the existing row", client_uuid)
            return SubmitResult(existing, False)

    def _by_uuid(self, client_uuid: str) -> int | None:
        with self.db.session() as session:
            return session.scalar(select(Report.id).where(Report.client_uuid == client_uuid))

    def _insert(
        self, kind: str, ward: str | None, payload: dict[str, Any], author: str,
        client_uuid: str, created_at: datetime | None,
    ) -> int:
        now = self.clock.now()
        with self.db.session() as session:
            report = Report(
                client_uuid=client_uuid,
                kind=kind,
                ward=ward,
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
            changes.emit(session, changes.STORED, [ItemKey.report(report.id)], self.scope, now)
            return report.id

    def edit(
        self,
        report_id: int,
        data: dict[str, Any],
        *,
        actor: str,
        expected_version: int | None,
    ) -> int:
        """Change fields of a report; returns its new version.

        ``data`` holds the fields to change (a ``None`` value removes an
        optional field); the merged payload is validated as a whole. A stale
        ``expected_version`` raises :class:`ConflictError`.
        """
        now = self.clock.now()
        try:
            with self.db.session() as session:
                report = session.scalar(
                    select(Report).where(Report.id == report_id, mode_filter(Report, self.scope))
                )
                if report is None:
                    raise UserError(f"no report {report_id}")
                self._ward_for(report.ward)
                if expected_version is not None and report.version != expected_version:
                    raise ConflictError(
                        f"report {report_id} was changed by someone else (version {report.version}, "
                        f"you edited version {expected_version})"
                    )
                before = dict(report.payload)
                merged = {**before, **data}
                merged = {k: v for k, v in merged.items() if v is not None}
                payload = validate_report(report.kind, report.ward, merged)
                if payload == before:
                    return report.version
                report.payload = payload
                report.updated_at = now
                session.flush()
                audit.record(
                    session, at=now, actor=actor, action="report.edit", item_type="report",
                    item_id=report.id, scope=self.scope, before=before, after=payload,
                )
                changes.emit(session, changes.EDITED, [ItemKey.report(report.id)], self.scope, now)
                return report.version
        except StaleDataError:
            raise ConflictError(f"report {report_id} was changed by someone else; reload and retry") from None

    def get(self, report_id: int) -> Report | None:
        with self.db.session() as session:
            return session.scalar(select(Report).where(Report.id == report_id, mode_filter(Report, self.scope)))

    def of_kind(self, kind: str) -> list[Report]:
        """Every report of ``kind`` in this scope, newest first (HQ's damage list)."""
        with self.db.session() as session:
            return list(session.scalars(
                select(Report).where(Report.kind == kind, mode_filter(Report, self.scope)).order_by(Report.id.desc())
            ))

    def latest(self, kind: str, ward: str | None = None) -> Report | None:
        """The newest report of ``kind`` (of ``ward``): what a form prefills."""
        with self.db.session() as session:
            query = select(Report).where(Report.kind == kind, mode_filter(Report, self.scope))
            if ward:
                query = query.where(Report.ward == ward)
            return session.scalar(query.order_by(Report.received_at.desc(), Report.id.desc()).limit(1))
