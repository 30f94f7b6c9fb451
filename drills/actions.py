"""Scripted operator actions of a drill (acknowledge | share | dismiss).

An action finds its target the way the spec says (the earliest already
received post whose text contains the string, or report whose name, place,
office, system or note contains it) and then calls the same
:class:`disaster_desk.core.triage.TriageService` method an operator's click
calls (a share of a still-new item is acknowledged first, as the triage
state machine requires: new → acknowledged → shared). Anything that goes wrong on the way is a drill *finding* (returned as a
message), never a crash: a drill must run to the end.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from disaster_desk.core.clock import Clock
from disaster_desk.core.db import Database
from disaster_desk.core.models import Post, Report
from disaster_desk.core.modes import Scope, mode_filter
from disaster_desk.core.vocabulary import ITEM_TYPE, TRIAGE_ACTION
from disaster_desk.errors import UserError
from drills.scenario import Inject

log = logging.getLogger(__name__)

#: Report payload fields a ``text_contains`` match looks in.
REPORT_TEXT_FIELDS = ("name", "place", "office", "system", "note")


@dataclass(frozen=True)
class Target:
    item_type: str  # post | report
    item_id: int
    received_at: datetime
    state: str


def find_target(db: Database, scope: Scope, match: dict, now: datetime) -> Target | None:
    """The earliest item received by ``now`` that ``match`` selects, or None."""
    needle = match["text_contains"]
    candidates: list[Target] = []
    with db.session() as s:
        if "report" not in match:
            row = s.execute(
                select(Post.id, Post.collected_at, Post.state)
                .where(mode_filter(Post, scope), Post.collected_at <= now, Post.text.contains(needle, autoescape=True))
                .order_by(Post.collected_at, Post.id)
                .limit(1)
            ).first()
            if row:
                candidates.append(Target("post", row.id, row.collected_at, row.state))
        if not match.get("post"):
            query = select(Report).where(mode_filter(Report, scope), Report.received_at <= now)
            if "report" in match:
                query = query.where(Report.kind == match["report"])
            for report in s.scalars(query.order_by(Report.received_at, Report.id)):
                if any(needle in str(report.payload.get(key) or "") for key in REPORT_TEXT_FIELDS):
                    candidates.append(Target("report", report.id, report.received_at, report.state))
                    break
    return min(candidates, key=lambda t: (t.received_at, t.item_type != "post"), default=None)


def perform(db: Database, clock: Clock, scope: Scope, inject: Inject, actor: str) -> tuple[dict, str | None]:
    """Run one acknowledge/share/dismiss inject; returns (event data, finding or None)."""
    data: dict = {"action": inject.action, "match": inject.match}
    target = find_target(db, scope, inject.match, clock.now())
    if target is None:
        return data, f"{_ja(inject.action)}: 「{inject.match['text_contains']}」に一致する受信済みの項目がありません"
    data.update(item_type=target.item_type, item_id=target.item_id)
    try:
        from disaster_desk.core.triage import TriageService
    except ImportError:  # the triage service is another area's; a drill still runs without it
        return data, f"{_ja(inject.action)}: 対応サービスがありません"
    service = TriageService(db, clock, scope)
    try:
        if inject.action == "share":
            if target.state == "new":  # an operator acknowledges an item before sharing it
                service.acknowledge(target.item_type, target.item_id, actor=actor)
            ids = service.share(target.item_type, target.item_id, list(inject.to), actor=actor, note=inject.note)
            data["share_ids"] = list(ids)
        elif inject.action == "acknowledge":
            data["version"] = service.acknowledge(target.item_type, target.item_id, actor=actor)
        elif inject.action == "dismiss":
            data["version"] = service.dismiss(target.item_type, target.item_id, actor=actor,
                                              reason=inject.note or "シナリオの操作")
    except UserError as exc:  # ConflictError: transition not allowed, stale version, ...
        return data, f"{_ja(inject.action)}できませんでした（{ITEM_TYPE.ja(target.item_type)} {target.item_id}）: {exc}"
    return data, None


def _ja(action: str | None) -> str:
    return TRIAGE_ACTION.ja(action)
