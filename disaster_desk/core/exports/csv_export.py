"""CSV of posts and reports: UTF-8 with BOM so Excel opens Japanese text correctly.

Every cell goes through :func:`disaster_desk.core.text.csv_cell`: characters
XML forbids are dropped, and a cell starting with ``= + - @`` (or their
full-width forms), a tab, CR or line feed gets a leading apostrophe, so text
from outside never runs as a spreadsheet formula (CSV injection). The file is
written aside and renamed into place, so a failed export leaves no half file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from disaster_desk.core.db import Database
from disaster_desk.core.exports.privacy import PUBLIC, Privacy
from disaster_desk.core.exports.records import all_records
from disaster_desk.core.items import ItemKey
from disaster_desk.core.modes import Scope
from disaster_desk.core.progress import Progress, counted
from disaster_desk.core.staged_files import replace_file
from disaster_desk.core.text import csv_cell

COLUMNS = ("id", "item_type", "kind", "labels", "urgency", "ward", "place", "lat", "lon", "source", "state",
           "received_at", "created_at", "author", "text", "shared_to", "mode", "run_id")


#: The one cell helper (kept under its old name for callers of this module).
safe_cell = csv_cell


def export_csv(db: Database, scope: Scope, out: str | Path, *, privacy: Privacy = PUBLIC,
               progress: Progress | None = None) -> int:
    """Write the scope's posts and reports as CSV; ``progress`` may raise to stop (nothing written)."""
    records = all_records(db, scope, privacy)
    fh = io.StringIO(newline="")
    writer = csv.writer(fh)
    writer.writerow(COLUMNS)
    for r in counted(records, progress):
        writer.writerow([csv_cell(v) for v in (
            str(ItemKey.of(r)), r.item_type, r.kind, " ".join(r.labels), r.urgency, r.ward, r.place,
            r.lat, r.lon, r.source, r.state, r.received_at.isoformat(),
            r.created_at.isoformat() if r.created_at else "", r.author, r.text, " ".join(r.shared_to),
            r.mode, r.run_id,
        )])
    replace_file(Path(out), "\ufeff" + fh.getvalue())
    return len(records)
