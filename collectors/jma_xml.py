"""Parsing JMA 防災情報XML reports into official alerts for one city.

Handled (type codes as in the feed file names):
VXSE51 震度速報 (intensity per region), VXSE53 震源・震度に関する情報 (hypocenter
and intensity per city/ward: 大阪市北区 → 北区), VXSE52 震源に関する情報 (only when
the hypocenter is in the prefecture), VTSE41 津波警報・注意報・予報a (the
prefecture's coast), VPWW53/VPWW54 気象警報・注意報 (the city's item).

A report that does not concern the area returns None; a report from a
訓練/試験 message (Control/Status not 通常) returns None too, so a JMA exercise
never appears as a real alert. A drill passes ``exercise=True``: then 訓練
telegrams are read as well (and stored in the drill's scope only, as drill
data). Malformed XML raises :class:`JmaParseError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree

from disaster_desk.core.alerts import AlertRecord
from disaster_desk.core.area import OSAKA_WARDS


class JmaParseError(ValueError):
    pass


@dataclass(frozen=True)
class JmaArea:
    """The area whose alerts are kept, named as JMA names it."""

    pref: str = "大阪府"
    city: str = "大阪市"
    city_code: str = "2710000"
    wards: tuple[str, ...] = OSAKA_WARDS
    tsunami_areas: frozenset[str] = field(default_factory=lambda: frozenset({"大阪府"}))


OSAKA = JmaArea()

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def _strip_namespaces(root: etree._Element) -> etree._Element:
    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = etree.QName(el).localname
    return root


def _text(el: etree._Element | None, path: str) -> str | None:
    if el is None:
        return None
    found = el.find(path)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


#: Control/Status values read in a drill (``exercise=True``); 試験 (a test message) never is.
EXERCISE_STATUSES = ("通常", "訓練")


def parse_report(xml: bytes, external_id: str, area: JmaArea = OSAKA, *, exercise: bool = False) -> AlertRecord | None:
    """One JMA XML document → an :class:`AlertRecord` for ``area``, or None if it does not concern it.

    ``exercise`` (drills only) also reads 訓練 telegrams; the record's data says ``"status": "訓練"``.
    """
    try:
        root = _strip_namespaces(etree.fromstring(xml, _PARSER))
    except etree.XMLSyntaxError as exc:
        raise JmaParseError(f"{external_id}: not well-formed XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise JmaParseError(f"{external_id}: a DOCTYPE is not allowed in a JMA report")
    if root.tag != "Report":
        raise JmaParseError(f"{external_id}: not a JMA Report (root element {root.tag!r})")
    status = _text(root, "Control/Status")
    if status not in (EXERCISE_STATUSES if exercise else ("通常",)):
        return None
    head = root.find("Head")
    title = _text(root, "Control/Title") or ""
    issued_raw = _text(head, "ReportDateTime") or _text(root, "Control/DateTime")
    if head is None or not issued_raw:
        raise JmaParseError(f"{external_id}: missing Head/ReportDateTime")
    try:
        issued = datetime.fromisoformat(issued_raw.replace("Z", "+00:00"))
    except ValueError:
        raise JmaParseError(f"{external_id}: bad ReportDateTime {issued_raw!r}") from None
    body = root.find("Body")
    common = {
        "info_type": _text(head, "InfoType"),
        "event_id": _text(head, "EventID"),
        "serial": _text(head, "Serial"),
        "status": status if status != "通常" else None,
    }
    if title in ("震度速報", "震源・震度に関する情報"):
        kind, data = "intensity", _intensity(body, area)
    elif title == "震源に関する情報":
        kind, data = "hypocenter", _hypocenter_only(body, area)
    elif title.startswith("津波警報・注意報・予報"):
        kind, data = "tsunami", _tsunami(body, area)
    elif "警報・注意報" in title:
        kind, data = "warning", _warnings(body, area)
    else:
        return None
    if data is None:
        return None
    return AlertRecord(
        external_id=external_id,
        kind=kind,
        title=_text(head, "Title") or title,
        headline=_text(head, "Headline/Text"),
        issued_at=issued,
        data={**{k: v for k, v in common.items() if v is not None}, **data},
    )


def _earthquake(body: etree._Element | None) -> dict[str, Any]:
    quake = body.find("Earthquake") if body is not None else None
    if quake is None:
        return {}
    out: dict[str, Any] = {}
    if origin := _text(quake, "OriginTime"):
        out["origin_time"] = origin
    if name := _text(quake, "Hypocenter/Area/Name"):
        out["hypocenter"] = name
    coord = quake.find("Hypocenter/Area/Coordinate")
    if coord is not None and coord.text:
        out["coordinate"] = coord.text.strip()
        lat_lon = _iso6709(coord.text.strip())
        if lat_lon:
            out["lat"], out["lon"], out["depth_km"] = lat_lon
    mag = quake.find("Magnitude")
    if mag is not None:
        out["magnitude"] = (mag.text or "").strip() or mag.get("description")
    return out


def _iso6709(text: str) -> tuple[float, float, float | None] | None:
    """"+34.8+135.6-10000/" → (34.8, 135.6, 10.0)."""
    m = re.match(r"^([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+)?/?$", text)
    if not m:
        return None
    depth = abs(int(m.group(3))) / 1000 if m.group(3) else None
    return float(m.group(1)), float(m.group(2)), depth


def _intensity(body: etree._Element | None, area: JmaArea) -> dict[str, Any] | None:
    obs = body.find("Intensity/Observation") if body is not None else None
    pref = None
    if obs is not None:
        pref = next((p for p in obs.findall("Pref") if _text(p, "Name") == area.pref), None)
    data: dict[str, Any] = _earthquake(body)
    if pref is None:
        return None  # not felt (or not reported) in the prefecture
    data["max_intensity"] = _text(obs, "MaxInt")
    data["pref_max_intensity"] = _text(pref, "MaxInt")
    data["area_intensity"] = {
        _text(a, "Name"): _text(a, "MaxInt") for a in pref.findall("Area") if _text(a, "Name") and _text(a, "MaxInt")
    }
    wards: dict[str, str] = {}
    unreported: list[str] = []
    for city in pref.iter("City"):
        name = _text(city, "Name") or ""
        if not name.startswith(area.city):
            continue
        ward = name[len(area.city) :] or area.city
        value = _text(city, "MaxInt")
        if value:
            wards[ward] = value
        elif _text(city, "Condition"):
            unreported.append(ward)  # e.g. 震度５弱以上未入電
    data["ward_intensity"] = {w: wards[w] for w in sorted(wards, key=_ward_order(area))}
    if unreported:
        data["ward_unreported"] = unreported
    return data


def _ward_order(area: JmaArea):
    order = {w: i for i, w in enumerate(area.wards)}
    return lambda w: order.get(w, len(order))


def _hypocenter_only(body: etree._Element | None, area: JmaArea) -> dict[str, Any] | None:
    data = _earthquake(body)
    if area.pref[:2] not in (data.get("hypocenter") or ""):
        return None
    return data


def _tsunami(body: etree._Element | None, area: JmaArea) -> dict[str, Any] | None:
    if body is None:
        return None
    areas: dict[str, str] = {}
    for item in body.findall("Tsunami/Forecast/Item"):
        name = _text(item, "Area/Name")
        kind = _text(item, "Category/Kind/Name")
        if name and kind:
            areas[name] = kind
    mine = {name: kind for name, kind in areas.items() if name in area.tsunami_areas}
    if not mine:
        return None
    return {"areas": mine, "category": next(iter(mine.values())), "all_areas": len(areas)}


def _warnings(body: etree._Element | None, area: JmaArea) -> dict[str, Any] | None:
    if body is None:
        return None
    for warning in body.findall("Warning"):
        if "市町村等" not in (warning.get("type") or ""):
            continue
        for item in warning.findall("Item"):
            if _text(item, "Area/Code") != area.city_code and _text(item, "Area/Name") != area.city:
                continue
            kinds = [
                {"name": _text(k, "Name"), "status": _text(k, "Status")}
                for k in item.findall("Kind")
                if _text(k, "Name") or _text(k, "Status")
            ]
            active = [
                k["name"] for k in kinds if k["name"] and k["status"] not in ("解除", "発表警報・注意報はなし")
            ]
            return {"area": area.city, "warnings": kinds, "active": active}
    return None
