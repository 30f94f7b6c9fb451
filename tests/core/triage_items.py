"""Helpers for the triage/queue/export tests: store posts and their analyses.

Posts enter through the real ingest path; analyses are stored as the analysis
service stores them (an ``Analysis`` row per post), with labels chosen by the
test instead of by GiNZA, so each test states exactly what the queue sees.
"""

from __future__ import annotations

from datetime import datetime

from disaster_desk.core.clock import Clock
from disaster_desk.core.db import Database
from disaster_desk.core.ingest import IngestService, RawPost
from disaster_desk.core.models import Analysis
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.taxonomy import urgency


def add_post(
    db: Database,
    clock: Clock,
    text: str,
    labels: list[str] | None = None,
    *,
    scope: Scope = REAL_SCOPE,
    ward: str | None = None,
    place: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    precision: str | None = None,
    author: str | None = "@someone",
    source: str = "x",
    created_at: datetime | None = None,
    external_id: str | None = None,
) -> int:
    """Ingest one post and, when ``labels`` is given, store its analysis; return the post id."""
    external_id = external_id or f"{source}-{abs(hash((text, clock.now(), scope)))}"
    result = IngestService(db, clock, scope).ingest(
        [RawPost(source=source, external_id=external_id, text=text, author=author, created_at=created_at)]
    )
    post_id = result.new_ids[0]
    if labels is not None:
        with db.session() as session:
            session.add(Analysis(post_id=post_id, labels=labels, urgency=urgency(labels), place=place, ward=ward,
                                 lat=lat, lon=lon, precision=precision, analyser_version="test",
                                 analysed_at=clock.now()))
    return post_id
