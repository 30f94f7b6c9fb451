"""CSV of posts and reports: UTF-8 with BOM so Excel opens Japanese text correctly.

Cells starting with ``= + - @`` get a leading apostrophe: text from outside
must not run as a spreadsheet formula (CSV injection).
"""

from __future__ import annotations

import csv
from pathlib import Path

from disaster_desk.core.db import Database
from disaster_desk.core.exports.privacy import PUBLIC, Privacy
from disaster_desk.core.exports.records import all_records
from disaster_desk.core.items import ItemKey
from disaster_desk.core.modes import Scope

COLUMNS = ("id", "item_type", "kind", "labels", "urgency", "ward", "place", "lat", "lon", "source", "state",
           "received_at", "created_at", "author", "text", "shared_to", "mode", "run_id")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(db: Database, scope: Scope, out: str | Path, *, privacy: Privacy = PUBLIC) -> int:
    records = all_records(db, scope, privacy)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for r in records:
            writer.writerow([safe_cell(v) for v in (
                str(ItemKey.of(r)), r.item_type, r.kind, " ".join(r.labels), r.urgency, r.ward, r.place,
                r.lat, r.lon, r.source, r.state, r.received_at.isoformat(),
                r.created_at.isoformat() if r.created_at else "", r.author, r.text, " ".join(r.shared_to),
                r.mode, r.run_id,
            )])
    return len(records)
