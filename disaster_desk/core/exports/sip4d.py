"""Shelter status as SIP4D-ZIP (JSA-S1016), information type 01-001-01 避難所, version 1.1.

Layout (as read by NIED-DIR's SIP4D-ZIP checker)::

    sip4d_zip_meta.json        metadata (temp_meta.json rules): title, ttid, code,
                               testflg 訓練 for drill data, entry -> the GeoJSON
    shelters.geojson           FeatureCollection of Points, properties named by connid
    shelters_columns.json      attribute definitions (01-001-01.json rules)

Item names and their allowed values (eststts 開設状況, crowdstts 混雑状況, …)
are those of the 01-001-01 template. The newest report per shelter (name +
ward) gives its status; shelters without a known position are left out
(SIP4D-ZIP features need a geometry) and counted in the result. The metadata's
``credit`` holds the area data's attributions and ``license_note`` GSI's
ご利用上の注意 (the shelters' positions and addresses come from GSI's data).
"""

from __future__ import annotations

import io
import json
import logging
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from disaster_desk.core.area_pack import export_attributions, shelter_notice
from disaster_desk.core.clock import JST, Clock
from disaster_desk.core.db import Database
from disaster_desk.core.exports.privacy import PUBLIC, Privacy
from disaster_desk.core.exports.records import ExportRecord, all_records
from disaster_desk.core.modes import Scope
from disaster_desk.core.progress import Progress, counted
from disaster_desk.core.staged_files import replace_file
from disaster_desk.core.text import xml_safe_value

log = logging.getLogger(__name__)

CODE = "01-001-01"
VERSION = "1.1"
CITY_CODE = "27100"
CITY_NAME = "大阪市"
GEOFILE = "shelters.geojson"
ESTSTTS = {"unopened": "未開設", "open": "開設", "full": "開設", "closed": "閉鎖"}
ESTSTTS_VALUES = ["未開設", "開設", "閉鎖", "常設", "不明", "その他"]
ESTSTTS_ATTRS = ["notopen", "open", "close", "permanent", "unknown", "other"]
CROWDSTTS = {"open": "空き", "full": "定員一杯"}
NEED_JA = {"water": "水", "food": "食料", "blanket": "毛布", "medicine": "医薬品", "toilet": "トイレ",
           "power": "電源", "milk": "粉ミルク", "diaper": "おむつ", "other": "その他"}

#: (name = connid, jname, type)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("id", "ID", "String"), ("citycode", "市区町村コード", "String"), ("eststts", "開設状況", "List"),
    ("type", "避難所種別", "String"), ("name", "施設名", "String"), ("cityname", "市区町村名", "String"),
    ("address", "住所", "String"), ("capacity", "収容人数", "Integer"), ("crowdstts", "混雑状況", "String"),
    ("evacueeno", "避難者数", "Integer"), ("houseno", "避難世帯数", "Integer"), ("remarks", "不足物資", "String"),
    ("note", "備考", "String"), ("starttime", "更新日時", "Datetime"),
)


@dataclass
class Sip4dResult:
    path: Path
    shelters: int
    without_position: int


def _stamp(dt: datetime) -> str:
    return dt.astimezone(JST).strftime("%Y-%m-%dT%H:%M:%S")


def latest_shelters(records: list[ExportRecord]) -> list[ExportRecord]:
    latest: dict[tuple[str | None, str | None], ExportRecord] = {}
    for record in records:
        if record.kind != "shelter":
            continue
        key = (record.payload.get("name"), record.ward)
        if key not in latest or record.received_at >= latest[key].received_at:
            latest[key] = record
    return sorted(latest.values(), key=lambda r: (r.ward or "", r.payload.get("name") or ""))


def properties(record: ExportRecord, address: str | None) -> dict[str, Any]:
    p = record.payload
    props: dict[str, Any] = {
        "id": f"report-{record.item_id}", "citycode": CITY_CODE, "eststts": ESTSTTS.get(p.get("status"), "不明"),
        "type": "避難所", "name": p.get("name", ""), "cityname": f"{CITY_NAME}{record.ward or ''}",
        "crowdstts": CROWDSTTS.get(p.get("status"), "不明"), "starttime": _stamp(record.received_at),
    }
    if address:
        props["address"] = address
    for key, column in (("capacity", "capacity"), ("evacuees", "evacueeno"), ("households", "houseno")):
        if p.get(key) is not None:
            props[column] = int(p[key])
    if p.get("needs"):
        props["remarks"] = "、".join(NEED_JA.get(n, n) for n in p["needs"])
    if p.get("note"):
        props["note"] = p["note"]
    return props


def columns_json() -> dict[str, Any]:
    columns = []
    for name, jname, kind in COLUMNS:
        column: dict[str, Any] = {"name": name, "jname": jname, "connid": name, "show": True, "type": kind}
        if kind == "List":
            column.update(num_key=len(ESTSTTS_VALUES), key_list=ESTSTTS_VALUES, value_list=ESTSTTS_VALUES,
                          conn_attr_list=ESTSTTS_ATTRS)
        columns.append(column)
    return {"version": VERSION, "code": CODE, "num_column": len(columns), "columns": columns}


def meta_json(scope: Scope, now: datetime, information_date: datetime, disaster: str) -> dict[str, Any]:
    drill = scope.is_drill
    return {
        "version": VERSION, "title": f"{CITY_NAME} 避難所開設状況" + ("（訓練）" if drill else ""),
        "ttid": str(uuid.uuid4()), "code": CODE, "category": "避難", "tags": ["避難所", CITY_NAME],
        "format": "SIP4D-ZIP", "payload_type": "VECTOR", "updated": _stamp(now),
        "information_date": _stamp(information_date),
        "author": {"name": "大阪市災害対策本部"},
        "maintainer": {"name": "大阪市危機管理室", "e-mail": "disaster-desk@city.osaka.lg.jp"},
        "disaster": {"name": disaster + (f"（訓練 {scope.run_id}）" if drill else "")},
        "lgcode": [CITY_CODE], "openflg": "災害対応機関のみ公開可能", "testflg": "訓練" if drill else "通常",
        "character": "UTF-8", "license_id": "cc-by", "credit": export_attributions(),
        "license_note": shelter_notice(),
        "note": "Disaster Desk (災害情報デスク) export" + ("; 訓練データ / EXERCISE" if drill else ""),
        "entry_num": 1,
        "entry": [{"type": "GeoJSON", "title": "避難所", "file": GEOFILE, "updated": _stamp(now)}],
    }


def export_sip4d(db: Database, scope: Scope, out: str | Path, clock: Clock, *, privacy: Privacy = PUBLIC,
                 disaster: str = "大阪市 災害対応", progress: Progress | None = None) -> Sip4dResult:
    """Write the shelter SIP4D-ZIP; ``out`` is a .zip path or a folder (a name is made).

    ``progress(done, total)`` counts shelters before the ZIP is written; it may raise to stop (nothing written).
    """
    from sqlalchemy import select

    from disaster_desk.core.models import Shelter
    from disaster_desk.core.shelter_registry import lookup, registry_index

    now = clock.now()
    shelters = latest_shelters(all_records(db, scope, privacy))
    with db.session() as session:
        registry = registry_index(session.scalars(select(Shelter)))
    features, missing = [], 0
    for record in counted(shelters, progress):
        if record.lat is None or record.lon is None:
            missing += 1
            continue
        known = lookup(registry, record.payload.get("name"), record.ward)
        address = known.address if known is not None else None
        features.append({"type": "Feature", "geometry": {"type": "Point",
                                                         "coordinates": [float(record.lon), float(record.lat)]},
                         "properties": xml_safe_value(properties(record, address))})
    path = Path(out)
    if path.suffix.lower() != ".zip":
        prefix = "kunren" if scope.is_drill else "osaka"
        path = path / f"{prefix}_{CODE}_{now.astimezone(JST).strftime('%Y%m%d%H%M%S')}.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    info_date = max((r.received_at for r in shelters), default=now)
    dump = lambda obj: json.dumps(obj, ensure_ascii=False, indent=1)  # noqa: E731
    buffer = io.BytesIO()  # built whole, then renamed into place: never a half-written ZIP
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("sip4d_zip_meta.json", dump(meta_json(scope, now, info_date, disaster)))
        zf.writestr(GEOFILE, dump({"type": "FeatureCollection", "features": features}))
        zf.writestr(GEOFILE.replace(".geojson", "_columns.json"), dump(columns_json()))
    replace_file(path, buffer.getvalue())
    if missing:
        log.warning("%d shelter(s) left out of SIP4D-ZIP: no known position", missing)
    return Sip4dResult(path, len(features), missing)
