"""GeoJSON FeatureCollection of posts and reports (RFC 7946: lon, lat order).

Items without a position are kept with ``"geometry": null`` (allowed by the
RFC), so the collection has every item the CSV has. Strings pass
:func:`disaster_desk.core.text.xml_safe_value` (no lone surrogate can stop the
UTF-8 encoder, no control reaches a browser), and the file is renamed into place.
The collection carries the area data's attributions (``"attribution"``, a foreign
member as RFC 7946 §6.1 allows): wards, towns and places come from the area pack.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from disaster_desk.core.area_pack import export_attributions
from disaster_desk.core.db import Database
from disaster_desk.core.exports.privacy import PUBLIC, Privacy
from disaster_desk.core.exports.records import ExportRecord, all_records
from disaster_desk.core.items import ItemKey
from disaster_desk.core.modes import Scope
from disaster_desk.core.progress import Progress, counted
from disaster_desk.core.staged_files import replace_file
from disaster_desk.core.text import xml_safe_value


def feature(record: ExportRecord) -> dict[str, Any]:
    geometry = None
    if record.lat is not None and record.lon is not None:
        geometry = {"type": "Point", "coordinates": [record.lon, record.lat]}
    properties = {
        "id": str(ItemKey.of(record)), "item_type": record.item_type, "kind": record.kind,
        "labels": record.labels, "urgency": record.urgency, "text": record.text, "ward": record.ward,
        "place": record.place, "source": record.source, "state": record.state,
        "received_at": record.received_at.isoformat(),
        "created_at": record.created_at.isoformat() if record.created_at else None,
        "author": record.author, "mode": record.mode, "run_id": record.run_id or None,
        "shared_to": record.shared_to,
    }
    if record.payload:
        properties["report"] = record.payload
    return {"type": "Feature", "id": str(ItemKey.of(record)), "geometry": geometry,
            "properties": xml_safe_value(properties)}


def feature_collection(db: Database, scope: Scope, *, privacy: Privacy = PUBLIC,
                       progress: Progress | None = None) -> dict[str, Any]:
    return {"type": "FeatureCollection", "attribution": export_attributions(),
            "features": [feature(r) for r in counted(all_records(db, scope, privacy), progress)]}


def export_geojson(db: Database, scope: Scope, out: str | Path, *, privacy: Privacy = PUBLIC,
                   progress: Progress | None = None) -> int:
    """Write the scope's posts and reports as one FeatureCollection; ``progress`` may raise to stop (nothing written)."""
    collection = feature_collection(db, scope, privacy=privacy, progress=progress)
    replace_file(Path(out), json.dumps(collection, ensure_ascii=False, indent=1))
    return len(collection["features"])
