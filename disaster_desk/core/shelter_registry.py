"""The shelter registry: import of the GSI 指定避難所 / 指定緊急避難場所 CSV.

The GSI files (国土地理院「指定緊急避難場所・指定避難所データ」) have a
Japanese header (NO, 共通ID, 施設・場所名, 住所, …, 緯度, 経度, 備考). The
ward is parsed from the address (``大阪府大阪市北区…``); an address without a
ward keeps ``ward = None`` and is reported. Rows are upserted on 共通ID, so a
newer download replaces the older one. A bad row is listed by line and
column and the rest are stored.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from disaster_desk.core.area import OSAKA_WARDS
from disaster_desk.core.db import Database
from disaster_desk.core.models import Shelter
from disaster_desk.core.report_csv import CsvError, decode_csv
from disaster_desk.core.text import clean_text

log = logging.getLogger(__name__)

_WARD_RE = re.compile(r"大阪市(" + "|".join(OSAKA_WARDS) + ")")
#: Hazard columns of the 指定緊急避難場所 file and their ids.
HAZARDS = {
    "洪水": "flood", "崖崩れ、土石流及び地滑り": "landslide", "高潮": "storm_surge", "地震": "earthquake",
    "津波": "tsunami", "大規模な火事": "large_fire", "内水氾濫": "inland_flood", "火山現象": "volcano",
}
REQUIRED = ("共通ID", "施設・場所名", "緯度", "経度")


@dataclass
class RegistryImport:
    inserted: int = 0
    updated: int = 0
    without_ward: list[int] = field(default_factory=list)  # lines
    errors: list[CsvError] = field(default_factory=list)


def ward_from_address(address: str | None) -> str | None:
    """``大阪府大阪市北区…`` → ``北区``; None when the address names no Osaka City ward."""
    if not address:
        return None
    match = _WARD_RE.search(address)
    return match.group(1) if match else None


def import_gsi_csv(db: Database, path: str | Path) -> RegistryImport:
    """Upsert the shelters of one GSI CSV file (either of the two kinds)."""
    file = Path(path)
    text = decode_csv(file.read_bytes())
    reader = csv.DictReader(io.StringIO(text, newline=""))
    result = RegistryImport()
    missing = [name for name in REQUIRED if name not in (reader.fieldnames or [])]
    if missing:
        result.errors.append(CsvError(1, missing[0], f"{file.name}: required column is missing"))
        return result
    emergency = "地震" in (reader.fieldnames or [])
    rows: dict[str, dict[str, Any]] = {}
    line = 2
    for row in reader:
        start, line = line, reader.line_num + 1
        try:
            parsed = _parse(row, emergency)
        except _RowError as exc:
            result.errors.append(CsvError(start, exc.column, exc.message))
            continue
        if parsed["ward"] is None:
            result.without_ward.append(start)
            log.warning("%s line %d: no Osaka City ward in address %r", file.name, start, parsed["address"])
        rows[parsed["common_id"]] = parsed
    with db.session() as session:
        existing = {s.common_id: s for s in session.scalars(select(Shelter).where(Shelter.common_id.in_(list(rows))))}
        for common_id, values in rows.items():
            shelter = existing.get(common_id)
            if shelter is None:
                session.add(Shelter(**values))
                result.inserted += 1
            else:
                for key, value in values.items():
                    setattr(shelter, key, value)
                result.updated += 1
    log.info("shelter registry %s: %d new, %d updated, %d errors", file.name, result.inserted, result.updated,
             len(result.errors))
    return result


class _RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _parse(row: dict[str, str | None], emergency: bool) -> dict[str, Any]:
    def cell(name: str) -> str:
        return clean_text(row.get(name) or "").strip()

    common_id = cell("共通ID")
    if not common_id:
        raise _RowError("共通ID", "missing id")
    name = " ".join(cell("施設・場所名").split())
    if not name:
        raise _RowError("施設・場所名", "missing name")
    coords = []
    for column, low, high in (("緯度", -90, 90), ("経度", -180, 180)):
        try:
            value = float(cell(column))
        except ValueError:
            raise _RowError(column, f"not a number: {cell(column)!r}") from None
        if not low <= value <= high:
            raise _RowError(column, f"out of range: {value}")
        coords.append(value)
    address = cell("住所") or None
    if emergency:
        kinds = ["emergency_site", *[hid for col, hid in HAZARDS.items() if cell(col) == "1"]]
    else:
        kinds = ["shelter"] + (["welfare"] if "要配慮者" in cell("受入対象者") else [])
    return {
        "common_id": common_id, "name": name, "address": address, "ward": ward_from_address(address),
        "lat": coords[0], "lon": coords[1], "kinds": kinds,
    }


def find_shelter(db: Database, name: str, ward: str | None) -> Shelter | None:
    """The registry entry a shelter report names (same name, same ward when given)."""
    with db.session() as session:
        query = select(Shelter).where(Shelter.name == name)
        if ward:
            query = query.where(Shelter.ward == ward)
        return session.scalars(query.order_by(Shelter.id)).first()
