"""Correcting where an item is: a wrong pin sends crews to the wrong street.

An operator sets the place of a post (its analysis: place text, ward,
coordinates) or of a damage report (payload ``place``/``lat``/``lon``). The
correction is versioned like a triage action (a stale version is refused),
audited as ``place.correct`` with the place before and after, and marked
``precision = "operator"`` so a later re-analysis keeps it. Queue (the post's
ward key), map and exports read the corrected place; Ctrl+Z reverts it
through :meth:`disaster_desk.core.triage.TriageService.undo_last`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from disaster_desk.core import audit, changes
from disaster_desk.core.area import OSAKA_WARDS
from disaster_desk.core.clock import Clock
from disaster_desk.core.db import Database
from disaster_desk.core.items import ItemKey
from disaster_desk.core.models import Analysis, AuditEntry, Post, Report
from disaster_desk.core.modes import REAL_SCOPE, Scope, mode_filter
from disaster_desk.core.report_schema import validate_report
from disaster_desk.core.text import clean_optional
from disaster_desk.errors import ConflictError, UserError, ValidationError

log = logging.getLogger(__name__)

#: Set on an analysis whose place a person corrected (re-analysis keeps it).
OPERATOR = "operator"
#: Osaka City with a margin: a coordinate outside is a typing error, not a place in the city.
CITY_BOUNDS = ((34.52, 34.80), (135.33, 135.67))
PLACE_FIELDS = ("place", "ward", "lat", "lon")


@dataclass(frozen=True)
class Place:
    place: str | None = None
    ward: str | None = None
    lat: float | None = None
    lon: float | None = None


def validate_place(place: Place) -> Place:
    """The cleaned place, or a ValidationError naming the field (Japanese message)."""
    text = clean_optional(place.place)
    text = text.strip() if text else None
    if text and len(text) > 200:
        raise ValidationError("場所は200文字以内で入力してください", field="place")
    ward = place.ward or None
    if ward is not None and ward not in OSAKA_WARDS:
        raise ValidationError(f"大阪市の区ではありません: {ward}", field="ward")
    if (place.lat is None) != (place.lon is None):
        raise ValidationError("緯度と経度は両方入力してください", field="lat" if place.lat is None else "lon")
    if place.lat is not None and place.lon is not None:
        (south, north), (west, east) = CITY_BOUNDS
        if not south <= place.lat <= north:
            raise ValidationError(f"緯度 {place.lat} は大阪市の範囲外です（{south}〜{north}）", field="lat")
        if not west <= place.lon <= east:
            raise ValidationError(f"経度 {place.lon} は大阪市の範囲外です（{west}〜{east}）", field="lon")
    if not (text or ward or place.lat is not None):
        raise ValidationError("場所・区・座標のいずれかを入力してください", field="place")
    return Place(text, ward, place.lat, place.lon)


class PlaceService:
    def __init__(self, db: Database, clock: Clock, scope: Scope = REAL_SCOPE) -> None:
        self.db = db
        self.clock = clock
        self.scope = scope

    def correct(self, item_type: str, item_id: int, place: Place, *, actor: str,
                expected_version: int | None = None) -> int:
        """Set the item's place; returns its new version. Without coordinates, a ward's centre is used."""
        from disaster_desk.core.map_items import WARD_CENTROIDS

        place = validate_place(place)
        if place.lat is None and place.ward in WARD_CENTROIDS:
            lat, lon = WARD_CENTROIDS[place.ward]
            place = Place(place.place, place.ward, lat, lon)
        now = self.clock.now()
        with self.db.session() as session:
            row = _load(session, self.scope, item_type, item_id, expected_version)
            before = _current(session, item_type, row)
            if item_type == "post":
                _set_post_place(session, row, place, now)
            else:
                _set_report_place(row, place, now)
            session.flush()
            after = {**_current(session, item_type, row)}
            audit.record(session, at=now, actor=actor, action="place.correct", item_type=item_type, item_id=item_id,
                         scope=Scope(row.mode, row.run_id), before=before, after=after)
            changes.emit(session, changes.EDITED, [ItemKey(item_type, item_id)], Scope(row.mode, row.run_id), now)
            log.info("place of %s:%s corrected by %s: %s", item_type, item_id, actor, after)
            return row.version


def revert_correction(session: Session, entry: AuditEntry) -> tuple[int, str]:
    """Put back the place an audited correction replaced (for undo); returns (version, state)."""
    scope = Scope(entry.mode, entry.run_id)
    item_type, item_id = entry.item_type, int(entry.item_id)
    row = _load(session, scope, item_type, item_id, None)
    if row.version != (entry.after or {}).get("version"):
        raise ConflictError("その後に変更されたため、場所の訂正を取り消せません")
    now = entry.at
    before_now = _current(session, item_type, row)
    old = entry.before or {}
    place = Place(old.get("place"), old.get("ward"), old.get("lat"), old.get("lon"))
    if item_type == "post":
        _set_post_place(session, row, place, now, precision=old.get("precision"))
    else:
        _set_report_place(row, place, now)
    session.flush()
    after = {**_current(session, item_type, row), "undoes": entry.id, "action": "correct_place"}
    audit.record(session, at=now, actor=entry.who, action="triage.undo", item_type=item_type, item_id=item_id,
                 scope=scope, before=before_now, after=after)
    return row.version, row.state


# -- internals ---------------------------------------------------------------


def _load(session: Session, scope: Scope, item_type: str, item_id: int, expected: int | None) -> Any:
    if item_type == "post":
        row = session.scalar(select(Post).where(Post.id == item_id, mode_filter(Post, scope)))
    elif item_type == "report":
        row = session.scalar(select(Report).where(Report.id == item_id, mode_filter(Report, scope)))
        if row is not None and row.kind != "damage":
            raise ValidationError("場所を訂正できるのは投稿と被害報告です", field="item_type")
    else:
        raise ValidationError("場所を訂正できるのは投稿と被害報告です", field="item_type")
    if row is None:
        raise UserError(f"{item_type} {item_id} が見つかりません")
    if expected is not None and row.version != expected:
        raise ConflictError(f"他の端末で変更されていました（版 {row.version}、表示していたのは版 {expected}）。"
                            "最新の内容を確かめてから訂正してください")
    return row


def _current(session: Session, item_type: str, row: Any) -> dict[str, Any]:
    if item_type == "post":
        analysis = session.scalar(select(Analysis).where(Analysis.post_id == row.id))
        values = {f: getattr(analysis, f) if analysis else None for f in PLACE_FIELDS}
        values["precision"] = analysis.precision if analysis else None
    else:
        values = {"place": row.payload.get("place"), "ward": row.ward, "lat": row.payload.get("lat"),
                  "lon": row.payload.get("lon")}
    return {**values, "version": row.version}


def _set_post_place(session: Session, post: Post, place: Place, now: Any, *, precision: str | None = OPERATOR) -> None:
    analysis = session.scalar(select(Analysis).where(Analysis.post_id == post.id))
    if analysis is None:  # not analysed yet: the correction is its place, labels come later
        analysis = Analysis(post_id=post.id, labels=["none"], urgency=0, analyser_version="operator",
                            analysed_at=now)
        session.add(analysis)
    analysis.place, analysis.ward, analysis.lat, analysis.lon = place.place, place.ward, place.lat, place.lon
    analysis.precision = precision
    post.ward = place.ward  # the queue key (also copied from the analysis)
    flag_modified(post, "ward")  # always an UPDATE of the post, so its version moves on


def _set_report_place(report: Report, place: Place, now: Any) -> None:
    payload = {k: v for k, v in {**report.payload, "place": place.place, "lat": place.lat, "lon": place.lon}.items()
               if v is not None}
    report.payload = validate_report(report.kind, report.ward, payload)
    report.updated_at = now
