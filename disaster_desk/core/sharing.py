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
from disaster_desk.core.models import Analysis, Incident, Post, Report, ShareEvent
from disaster_desk.core.modes import REAL_SCOPE, Scope, mode_filter
from disaster_desk.core.report_rows import report_text
from disaster_desk.core.taxonomy import LABEL_JA
from disaster_desk.core.text import clean_text
from disaster_desk.errors import NotFound, ValidationError

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class InboxItem:
    """One share as the receiving station shows it (plain text; escape when rendering)."""

    share_event_id: int
    item_type: str
    item_id: int
    summary: str
    target: str
    actor: str  # the sender, as a person (e.g. 本部 山田)
    shared_at: datetime
    note: str | None
    read_at: datetime | None
    #: Category ids: the post's labels, the report's kind, the incident's label.
    labels: tuple[str, ...] = ()
    ward: str | None = None
    place: str | None = None
    #: The sender's database login (PostgreSQL; None on SQLite and for older shares).
    sender_login: str | None = None
    received_at: datetime | None = None
    received_by: str | None = None
    received_name: str | None = None

    @property
    def unread(self) -> bool:
        return self.read_at is None

    @property
    def received(self) -> bool:
        return self.received_at is not None


@dataclass(frozen=True)
class Receipt:
    """A 受領 recorded: when, by which login (the person on SQLite), the person."""

    share_event_id: int
    received_at: datetime
    received_by: str
    received_name: str


class SharingService:
    def __init__(self, db: Database, clock: Clock, scope: Scope = REAL_SCOPE) -> None:
        self.db = db
        self.clock = clock
        self.scope = scope

    def inbox(self, target: str, *, unread_only: bool = False, limit: int = 500,
              language: str = "ja") -> list[InboxItem]:
        """Newest first: what was shared with ``target`` in this scope (report texts in ``language``)."""
        _check_target(target)
        with self.db.session() as session:
            query = select(ShareEvent).where(ShareEvent.target == target, mode_filter(ShareEvent, self.scope))
            if unread_only:
                query = query.where(ShareEvent.read_at.is_(None))
            events = list(session.scalars(
                query.order_by(ShareEvent.shared_at.desc(), ShareEvent.id.desc()).limit(limit)))
            _loaded, analyses = _preload(session, events)  # one read per table, not per share
            out = []
            for e in events:
                about = describe(session, e.item_type, e.item_id, language, analyses)
                out.append(InboxItem(
                    e.id, e.item_type, e.item_id, about.text, e.target, e.actor, e.shared_at, e.note, e.read_at,
                    labels=about.labels, ward=about.ward, place=about.place, sender_login=e.shared_login,
                    received_at=e.received_at, received_by=e.received_by, received_name=e.received_name))
            return out

    def unread_count(self, target: str) -> int:
        return self._count_without(target, ShareEvent.read_at)

    def unreceived_count(self, target: str) -> int:
        """Shares to ``target`` not yet acknowledged (受領) — the ward station's badge."""
        return self._count_without(target, ShareEvent.received_at)

    def _count_without(self, target: str, column: Any) -> int:
        """Shares of this scope to ``target`` whose ``column`` (read_at, received_at) is still empty."""
        _check_target(target)
        with self.db.session() as session:
            return session.scalar(
                select(func.count(ShareEvent.id)).where(
                    ShareEvent.target == target, column.is_(None), mode_filter(ShareEvent, self.scope)
                )
            ) or 0

    def _share_row(self, session: Any, share_event_id: int) -> ShareEvent:
        """The share row of this scope (on PostgreSQL one row-level security lets this login see), else not found."""
        event = session.scalar(
            select(ShareEvent).where(ShareEvent.id == share_event_id, mode_filter(ShareEvent, self.scope))
        )
        if event is None:
            raise NotFound(f"share {share_event_id} not found",
                           f"共有 {share_event_id} が見つかりません（この端末からは見えない共有です）")
        return event

    def receive(self, share_event_id: int, actor: str) -> Receipt | None:
        """受領: the target acknowledges a share; HQ sees by whom and when. None when already received.

        Audited (``share.receive``). On PostgreSQL the database records the login as
        ``received_by`` and lets a ward login receive only shares to its own ward (row-level
        security hides the others: they are "not found" here); on SQLite ``received_by`` is
        the station's person. Receiving also marks the share read.
        """
        now = self.clock.now()
        actor = clean_text(actor).strip() or "?"
        with self.db.session() as session:
            event = self._share_row(session, share_event_id)
            if event.received_at is not None:
                return None
            scope = Scope(event.mode, event.run_id)
            event.received_at = now
            event.received_by = actor
            event.received_name = actor
            if event.read_at is None:
                event.read_at = now
            session.flush()
            audit.record(session, at=now, actor=actor, action="share.receive", item_type="share",
                         item_id=event.id, scope=scope, before={"received_at": None},
                         after={"received_at": now.isoformat(), "target": event.target,
                                "item": str(ItemKey(event.item_type, event.item_id))})
            changes.emit(session, changes.SHARED, [ItemKey(event.item_type, event.item_id)], scope, now)
            session.flush()
            session.refresh(event)  # the login the database recorded (PostgreSQL)
            return Receipt(event.id, event.received_at or now, event.received_by or actor,
                           event.received_name or actor)

    def mark_read(self, share_event_id: int, actor: str) -> bool:
        """Mark one share as read; False when it already was (the first reader's time is kept)."""
        now = self.clock.now()
        with self.db.session() as session:
            event = self._share_row(session, share_event_id)
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
    """One share of an item: to whom, when, by whom, with which note, when it was read and received."""

    target: str
    shared_at: datetime
    actor: str
    note: str | None
    read_at: datetime | None
    received_at: datetime | None = None
    received_by: str | None = None
    received_name: str | None = None
    sender_login: str | None = None

    @property
    def receiver(self) -> str:
        """Who sent the 受領: the person, with the login beside it when the database recorded one."""
        return _person(self.received_name, self.received_by)

    @property
    def sender(self) -> str:
        return _person(self.actor, self.sender_login)


def _person(name: str | None, login: str | None) -> str:
    if name and login and name != login:
        return f"{name} ({login})"
    return name or login or ""


def share_history(db: Database, scope: Scope, item_type: str, item_id: int) -> list[ShareRecord]:
    """Where an item went, oldest first (the detail panel's 共有履歴)."""
    with db.session() as session:
        events = session.scalars(
            select(ShareEvent).where(ShareEvent.item_type == item_type, ShareEvent.item_id == item_id,
                                     mode_filter(ShareEvent, scope)).order_by(ShareEvent.shared_at, ShareEvent.id)
        )
        return [ShareRecord(e.target, e.shared_at, e.actor, e.note, e.read_at, e.received_at, e.received_by,
                            e.received_name, e.shared_login) for e in events]


def _check_target(target: str) -> None:
    if target not in SHARE_TARGETS:
        raise ValidationError(f"unknown share target {target!r}", field="target")


@dataclass(frozen=True)
class ItemAbout:
    """What a shared item is: its text, category ids, ward and place (plain text)."""

    text: str
    labels: tuple[str, ...] = ()
    ward: str | None = None
    place: str | None = None


def _preload(session: Any, events: list[ShareEvent]) -> tuple[dict[Any, Any], dict[int, Analysis]]:
    """Load the shared items into the session (``session.get`` then reads no more); the posts' analyses."""
    ids: dict[str, set[int]] = {}
    for e in events:
        ids.setdefault(e.item_type, set()).add(e.item_id)
    loaded: dict[Any, Any] = {}  # held here: the session's identity map keeps only referenced objects
    for item_type, model in (("post", Post), ("report", Report), ("incident", Incident)):
        if ids.get(item_type):
            loaded.update({(model, o.id): o for o in session.scalars(select(model).where(model.id.in_(ids[item_type])))})
    analyses: dict[int, Analysis] = {}
    if ids.get("post"):
        analyses = {a.post_id: a for a in session.scalars(select(Analysis).where(Analysis.post_id.in_(ids["post"])))}
    return loaded, analyses


def describe(session: Any, item_type: str, item_id: int, language: str = "ja",
             analyses: dict[int, Analysis] | None = None) -> ItemAbout:
    """The shared item in full for the receiving station (``analyses``: preloaded by post id)."""
    if item_type == "post":
        post = session.get(Post, item_id)
        if post is None:
            return ItemAbout(f"post {item_id}")
        analysis = (analyses.get(item_id) if analyses is not None
                    else session.scalar(select(Analysis).where(Analysis.post_id == item_id)))
        if analysis is None:
            return ItemAbout(post.text[:2000])
        return ItemAbout(post.text[:2000], tuple(analysis.labels or ()), analysis.ward, analysis.place)
    if item_type == "report":
        report = session.get(Report, item_id)
        if report is None:
            return ItemAbout(f"report {item_id}")
        payload = report.payload or {}
        return ItemAbout(report_text(report.kind, report.ward, payload, language), (report.kind,), report.ward,
                         payload.get("place") or payload.get("name"))
    incident = session.get(Incident, item_id)
    if incident is None:
        return ItemAbout(f"incident {item_id}")
    return ItemAbout(summarise(session, item_type, item_id), (incident.label,), incident.ward, incident.place)


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
