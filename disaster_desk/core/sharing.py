"""What HQ shared with a ward office or department: the inbox with unread marks.

Shares themselves are made by :meth:`disaster_desk.core.triage.TriageService.share`
(they are a triage transition); this module is the receiving side.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from disaster_desk.core import audit, changes
from disaster_desk.core.area import SHARE_TARGETS
from disaster_desk.core.clock import Clock
from disaster_desk.core.db import Database
from disaster_desk.core.items import ItemKey
from disaster_desk.core.models import Incident, Post, Report, ShareEvent
from disaster_desk.core.modes import REAL_SCOPE, Scope, mode_filter
from disaster_desk.core.report_rows import report_text
from disaster_desk.core.taxonomy import LABEL_JA
from disaster_desk.errors import UserError, ValidationError

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class InboxItem:
    share_event_id: int
    item_type: str
    item_id: int
    summary: str  # plain text; escape when rendering
    target: str
    actor: str
    shared_at: datetime
    note: str | None
    read_at: datetime | None

    @property
    def unread(self) -> bool:
        return self.read_at is None


class SharingService:
    def __init__(self, db: Database, clock: Clock, scope: Scope = REAL_SCOPE) -> None:
        self.db = db
        self.clock = clock
        self.scope = scope

    def inbox(self, target: str, *, unread_only: bool = False, limit: int = 500) -> list[InboxItem]:
        """Newest first: what was shared with ``target`` in this scope."""
        _check_target(target)
        with self.db.session() as session:
            query = select(ShareEvent).where(ShareEvent.target == target, mode_filter(ShareEvent, self.scope))
            if unread_only:
                query = query.where(ShareEvent.read_at.is_(None))
            events = session.scalars(query.order_by(ShareEvent.shared_at.desc(), ShareEvent.id.desc()).limit(limit))
            return [
                InboxItem(e.id, e.item_type, e.item_id, summarise(session, e.item_type, e.item_id), e.target,
                          e.actor, e.shared_at, e.note, e.read_at)
                for e in events
            ]

    def unread_count(self, target: str) -> int:
        _check_target(target)
        with self.db.session() as session:
            return session.scalar(
                select(func.count(ShareEvent.id)).where(
                    ShareEvent.target == target, ShareEvent.read_at.is_(None), mode_filter(ShareEvent, self.scope)
                )
            ) or 0

    def mark_read(self, share_event_id: int, actor: str) -> bool:
        """Mark one share as read; False when it already was (the first reader's time is kept)."""
        now = self.clock.now()
        with self.db.session() as session:
            event = session.scalar(
                select(ShareEvent).where(ShareEvent.id == share_event_id, mode_filter(ShareEvent, self.scope))
            )
            if event is None:
                raise UserError(f"share {share_event_id} not found")
            if event.read_at is not None:
                return False
            event.read_at = now
            audit.record(session, at=now, actor=actor, action="share.read", item_type="share",
                         item_id=event.id, scope=Scope(event.mode, event.run_id),
                         before={"read_at": None}, after={"read_at": now.isoformat(), "target": event.target})
            changes.emit(session, changes.SHARED, [ItemKey.of(event)], Scope(event.mode, event.run_id), now)
            return True


@dataclass(frozen=True)
class ShareRecord:
    """One share of an item: to whom, when, by whom, with which note, and when it was read."""

    target: str
    shared_at: datetime
    actor: str
    note: str | None
    read_at: datetime | None


def share_history(db: Database, scope: Scope, item_type: str, item_id: int) -> list[ShareRecord]:
    """Where an item went, oldest first (the detail panel's 共有履歴)."""
    with db.session() as session:
        events = session.scalars(
            select(ShareEvent).where(ShareEvent.item_type == item_type, ShareEvent.item_id == item_id,
                                     mode_filter(ShareEvent, scope)).order_by(ShareEvent.shared_at, ShareEvent.id)
        )
        return [ShareRecord(e.target, e.shared_at, e.actor, e.note, e.read_at) for e in events]


def _check_target(target: str) -> None:
    if target not in SHARE_TARGETS:
        raise ValidationError(f"unknown share target {target!r}", field="target")


def summarise(session: Any, item_type: str, item_id: int) -> str:
    """One line describing a shared item (plain text)."""
    if item_type == "post":
        post = session.get(Post, item_id)
        return post.text[:200] if post else f"post {item_id}"
    if item_type == "report":
        report = session.get(Report, item_id)
        return report_text(report.kind, report.ward, report.payload or {}) if report else f"report {item_id}"
    incident = session.get(Incident, item_id)
    if incident is None:
        return f"incident {item_id}"
    return " ".join(x for x in (LABEL_JA.get(incident.label, incident.label), incident.ward or "",
                                incident.place or "") if x)
