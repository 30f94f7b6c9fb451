"""Putting data into a test database through the real core paths."""

from __future__ import annotations

from disaster_desk.core.analysis import AnalysisService
from disaster_desk.core.ingest import IngestService, RawPost
from disaster_desk.core.modes import REAL_SCOPE
from disaster_desk.core.reports import ReportService

RESCUE_TEXT = "北区中崎町でビルが倒壊して人が下敷きになっています。救助をお願いします！"
FIRE_TEXT = "福島区の野田阪神駅前で火事です。黒い煙が上がっています"


def posts(db, clock, analyser, texts, scope=REAL_SCOPE, prefix="p"):
    """Ingest ``texts`` as X posts and analyse them; returns the new post ids."""
    raw = [RawPost(source="x", external_id=f"{prefix}{i}", text=t, author=f"user{i}") for i, t in enumerate(texts)]
    ids = IngestService(db, clock, scope).ingest(raw).new_ids
    AnalysisService(db, analyser, clock).analyse_ids(ids)
    return ids


def damage_reports(db, clock, n, scope=REAL_SCOPE, start=0):
    """``n`` damage reports (queue rows without NLP): ids in submission order."""
    service = ReportService(db, clock, scope)
    ids = []
    for i in range(start, start + n):
        clock.advance(1)
        result = service.submit(
            "damage", "北区", {"type": "road", "severity": "major", "place": f"地点{i}"}, author="ward-kita"
        )
        ids.append(result.report_id)
    return ids
