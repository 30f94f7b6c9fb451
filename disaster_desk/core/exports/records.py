"""One flat record per exported post or report, privacy rules applied."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select

from disaster_desk.core.db import Database
from disaster_desk.core.exports.privacy import Privacy
from disaster_desk.core.models import Analysis, Incident, Post, Report, ShareEvent, Shelter
from disaster_desk.core.modes import Scope, mode_filter
from disaster_desk.core.report_rows import report_labels_urgency, report_text
from disaster_desk.core.shelter_registry import lookup, registry_index


@dataclass
class ExportRecord:
    item_type: str  # post | report | incident
    item_id: int
    kind: str  # post: "post"; report: shelter | damage | muster | system; incident: "incident"
    labels: list[str]
    urgency: int
    text: str
    ward: str | None
    place: str | None
    lat: float | None
    lon: float | None
    source: str
    state: str
    received_at: datetime
    created_at: datetime | None
    author: str | None
    mode: str
    run_id: str
    shared_to: list[str] = field(default_factory=list)
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def identifier(self) -> str:
        scope = self.run_id if self.mode == "drill" else "real"
        return f"disaster-desk.{scope}.{self.item_type}-{self.item_id}"


def _shares(session: Any, scope: Scope) -> dict[tuple[str, int], list[ShareEvent]]:
    found: dict[tuple[str, int], list[ShareEvent]] = {}
    for event in session.scalars(select(ShareEvent).where(mode_filter(ShareEvent, scope)).order_by(ShareEvent.id)):
        found.setdefault((event.item_type, event.item_id), []).append(event)
    return found


def post_records(session: Any, scope: Scope, privacy: Privacy, shares: dict) -> list[ExportRecord]:
    """Relevant analysed posts (not ``none``, not collapsed duplicates), and every post an operator shared.

    A shared item is in the export whatever its category: a post the classifier
    called ``none`` (or could not analyse) that an operator judged worth sharing
    must not vanish from the CAP, GeoJSON, CSV or SIP4D files.
    """
    shared_posts = select(ShareEvent.item_id).where(ShareEvent.item_type == "post", mode_filter(ShareEvent, scope))
    rows = session.execute(
        select(Post, Analysis).outerjoin(Analysis, Analysis.post_id == Post.id)
        .where(mode_filter(Post, scope),
               or_(and_(Post.urgency > 0, Post.duplicate_of.is_(None)),
                   Post.id.in_(shared_posts)))
        .order_by(Post.id)
    ).all()
    out = []
    for post, analysis in rows:
        a_lat = analysis.lat if analysis is not None else None
        a_lon = analysis.lon if analysis is not None else None
        lat = a_lat if a_lat is not None else post.geo_lat
        lon = a_lon if a_lon is not None else post.geo_lon
        precision = analysis.precision if a_lat is not None and analysis is not None else "address"  # a geotag
        lat, lon = privacy.position(lat, lon, precision)
        labels = list(analysis.labels or []) if analysis is not None else []
        place = analysis.place if analysis is not None else None
        out.append(ExportRecord(
            item_type="post", item_id=post.id, kind="post", labels=labels, urgency=post.urgency or 0,
            text=privacy.text(post.text) or "", ward=analysis.ward if analysis is not None else None,
            place=privacy.text(place) if precision == "address" else place, lat=lat, lon=lon,
            source=post.source, state=post.state, received_at=post.collected_at, created_at=post.created_at,
            author=privacy.author(post.author), mode=post.mode, run_id=post.run_id,
            shared_to=[e.target for e in shares.get(("post", post.id), [])],
        ))
    return out


def report_records(session: Any, scope: Scope, privacy: Privacy, shares: dict) -> list[ExportRecord]:
    shelters = registry_index(session.scalars(select(Shelter)))
    out = []
    for report in session.scalars(select(Report).where(mode_filter(Report, scope)).order_by(Report.id)):
        payload = dict(report.payload or {})
        labels, urgency = report_labels_urgency(report.kind, payload)
        lat, lon = payload.get("lat"), payload.get("lon")
        if report.kind == "shelter" and lat is None:
            known = lookup(shelters, payload.get("name"), report.ward)
            if known is not None:
                lat, lon = known.lat, known.lon
        if report.kind == "damage":
            payload["place"] = privacy.text(payload.get("place"))
            lat, lon = privacy.position(lat, lon, "address")
        if payload.get("note"):
            payload["note"] = privacy.text(payload["note"])
        out.append(ExportRecord(
            item_type="report", item_id=report.id, kind=report.kind, labels=labels, urgency=urgency,
            text=report_text(report.kind, report.ward, payload), ward=report.ward,
            place=payload.get("place") or payload.get("name"), lat=lat, lon=lon, source="report",
            state=report.state, received_at=report.received_at, created_at=report.created_at,
            author=privacy.author(report.author), mode=report.mode, run_id=report.run_id,
            shared_to=[e.target for e in shares.get(("report", report.id), [])], payload=payload,
        ))
    return out


def incident_records(session: Any, scope: Scope, privacy: Privacy, shares: dict) -> list[ExportRecord]:
    from disaster_desk.core.taxonomy import LABEL_JA, URGENCY

    out = []
    for incident in session.scalars(select(Incident).where(mode_filter(Incident, scope)).order_by(Incident.id)):
        texts = session.scalars(select(Post.text).where(Post.incident_id == incident.id).order_by(Post.id).limit(5))
        body = " / ".join(privacy.text(t) or "" for t in texts)
        out.append(ExportRecord(
            item_type="incident", item_id=incident.id, kind="incident", labels=[incident.label],
            urgency=URGENCY.get(incident.label, 0),
            text=f"{LABEL_JA.get(incident.label, incident.label)} {incident.place or ''}: {body}".strip(),
            ward=incident.ward, place=incident.place, lat=incident.lat, lon=incident.lon, source="incident",
            state=incident.state, received_at=incident.first_at, created_at=None, author=None,
            mode=incident.mode, run_id=incident.run_id,
            shared_to=[e.target for e in shares.get(("incident", incident.id), [])],
        ))
    return out


def all_records(db: Database, scope: Scope, privacy: Privacy, *, shared_only: bool = False) -> list[ExportRecord]:
    """Posts and reports (and, when ``shared_only``, incidents) of ``scope``."""
    with db.session() as session:
        shares = _shares(session, scope)
        records = post_records(session, scope, privacy, shares) + report_records(session, scope, privacy, shares)
        if shared_only:
            records += incident_records(session, scope, privacy, shares)
            records = [r for r in records if r.shared_to]
    return records


def first_share(db: Database, scope: Scope) -> dict[tuple[str, int], ShareEvent]:
    with db.session() as session:
        return {key: events[0] for key, events in _shares(session, scope).items()}
