"""Official alerts (JMA 防災情報XML): stored idempotently, read apart from SNS posts.

``kind`` is one of :data:`KINDS`. ``data`` holds what the desk shows, e.g.
``{"ward_intensity": {"北区": "5+"}, "max_intensity": "6-"}`` for an
earthquake or ``{"area": "大阪市", "warnings": [{"name": "大雨警報", "status": "発表"}]}``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from disaster_desk.core import changes
from disaster_desk.core.clock import Clock, utc
from disaster_desk.core.db import Database
from disaster_desk.core.items import ItemKey
from disaster_desk.core.models import OfficialAlert
from disaster_desk.core.modes import REAL_SCOPE, Scope, mode_filter
from disaster_desk.core.text import clean_optional, clean_text, clean_value

log = logging.getLogger(__name__)

#: intensity: 震度速報 / 震源・震度に関する情報 (VXSE51/53); hypocenter: 震源に関する情報 (VXSE52);
#: tsunami: 津波警報・注意報・予報 (VTSE41); warning: 気象警報・注意報 (VPWW53/54).
KINDS = ("intensity", "hypocenter", "tsunami", "warning")


@dataclass
class AlertRecord:
    """An official alert as a feed collector hands it over."""

    external_id: str
    kind: str
    title: str
    issued_at: datetime
    headline: str | None = None
    data: dict[str, Any] | None = None
    source: str = "jma"

    def validate(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown alert kind {self.kind!r}")
        if not self.external_id or len(self.external_id) > 256:
            raise ValueError(f"bad alert id {self.external_id!r}")


class AlertService:
    def __init__(self, db: Database, clock: Clock, scope: Scope = REAL_SCOPE) -> None:
        scope.one_run()
        self.db = db
        self.clock = clock
        self.scope = scope

    def store(self, alerts: Iterable[AlertRecord]) -> int:
        """Store alerts; one already stored (same source + id in this scope) is skipped. Returns new rows."""
        now = self.clock.now()
        rows = {}
        for alert in alerts:
            alert.validate()
            alert.title, alert.headline = clean_text(alert.title), clean_optional(alert.headline)
            alert.data = clean_value(alert.data)
            rows.setdefault(
                (alert.source, alert.external_id),
                {
                    "source": alert.source,
                    "external_id": alert.external_id,
                    "kind": alert.kind,
                    "title": alert.title,
                    "headline": alert.headline,
                    "issued_at": utc(alert.issued_at),
                    "received_at": now,
                    "data": alert.data,
                    **self.scope.columns(),
                },
            )
        if not rows:
            return 0
        dialect = sqlite if self.db.engine.dialect.name == "sqlite" else postgresql
        stmt = dialect.insert(OfficialAlert.__table__).on_conflict_do_nothing(
            index_elements=["run_id", "source", "external_id"]
        )
        with self.db.session() as session:
            before = self._count(session)
            session.execute(stmt, list(rows.values()))
            added = self._count(session) - before
            if added:
                new_ids = session.scalars(select(OfficialAlert.id).where(
                    mode_filter(OfficialAlert, self.scope), OfficialAlert.received_at == now,
                    tuple_(OfficialAlert.source, OfficialAlert.external_id).in_(list(rows)))).all()
                changes.emit(session, changes.STORED, map(ItemKey.alert, sorted(new_ids)), self.scope, now)
        log.info("stored %d new official alerts (%d skipped as known)", added, len(rows) - added)
        return added

    def _count(self, session) -> int:
        from sqlalchemy import func

        return session.scalar(select(func.count(OfficialAlert.id)).where(mode_filter(OfficialAlert, self.scope)))

    def known(self, external_ids: Sequence[str], source: str = "jma") -> set[str]:
        """Which of ``external_ids`` are already stored in this scope."""
        if not external_ids:
            return set()
        with self.db.session() as session:
            return set(
                session.scalars(
                    select(OfficialAlert.external_id).where(
                        mode_filter(OfficialAlert, self.scope),
                        OfficialAlert.source == source,
                        OfficialAlert.external_id.in_(list(external_ids)),
                    )
                )
            )

    def latest(self, kind: str | None = None, limit: int = 50) -> list[OfficialAlert]:
        """Newest first (by issue time)."""
        with self.db.session() as session:
            query = select(OfficialAlert).where(mode_filter(OfficialAlert, self.scope))
            if kind is not None:
                query = query.where(OfficialAlert.kind == kind)
            return list(session.scalars(query.order_by(OfficialAlert.issued_at.desc(), OfficialAlert.id.desc()).limit(limit)))

    def latest_ward_intensity(self) -> dict[str, str]:
        """Ward → 震度 class ("5+" …) from the newest alert that has per-ward intensities."""
        for alert in self.latest("intensity", limit=20):
            wards = (alert.data or {}).get("ward_intensity")
            if wards:
                return dict(wards)
        return {}
