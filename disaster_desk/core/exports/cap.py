"""OASIS CAP 1.2: one ``<identifier>.xml`` alert per shared item.

Real items are ``<status>Actual</status>``, drill items
``<status>Exercise</status>`` with a note naming the run. Alerts are
``Restricted`` to the targets they were shared with (the ``<restriction>``
lists them). Text is written through lxml, so it is escaped as XML, after
:func:`disaster_desk.core.text.xml_safe` dropped what XML forbids. The alerts
are built in a folder next to the target and put in place together
(:class:`disaster_desk.core.staged_files.StagedFiles`): an export that fails
leaves the target as it was. Each ``<info>`` carries the area data's attributions
as a ``<parameter>`` named ``attribution`` (ward and place names and positions come
from the area pack).
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from lxml import etree

from disaster_desk.core.area_pack import export_attributions
from disaster_desk.core.clock import JST
from disaster_desk.core.db import Database
from disaster_desk.core.exports.privacy import PUBLIC, Privacy
from disaster_desk.core.exports.records import ExportRecord, all_records, first_share
from disaster_desk.core.modes import Scope
from disaster_desk.core.progress import Progress, counted
from disaster_desk.core.staged_files import StagedFiles
from disaster_desk.core.taxonomy import LABEL_JA
from disaster_desk.core.text import xml_safe

log = logging.getLogger(__name__)

NS = "urn:oasis:names:tc:emergency:cap:1.2"
SENDER = "disaster-desk@city.osaka.lg.jp"
SENDER_NAME = "大阪市災害対策本部 災害情報デスク"

CATEGORY = {"rescue": "Rescue", "casualty": "Health", "fire": "Fire", "building": "Infra", "flood": "Met",
            "lifeline": "Infra", "transport": "Transport", "evacuation": "Safety", "supplies": "Other",
            "safety": "Rescue", "none": "Other"}
REPORT_CATEGORY = {"shelter": "Safety", "damage": "Infra", "muster": "Other", "system": "Infra"}
REPORT_EVENT = {"shelter": "避難所状況", "damage": "被害報告", "muster": "職員参集", "system": "システム状況"}


def cap_time(dt: datetime) -> str:
    """CAP's dateTime form: seconds and an explicit offset (JST), never "Z"."""
    return dt.astimezone(JST).strftime("%Y-%m-%dT%H:%M:%S%z")[:-2] + ":00"


def _severity(urgency: int) -> str:
    return "Extreme" if urgency >= 8 else "Severe" if urgency >= 6 else "Moderate" if urgency >= 4 else "Minor"


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    el = etree.SubElement(parent, f"{{{NS}}}{tag}")
    if text is not None:
        el.text = xml_safe(text)
    return el


def build_alert(record: ExportRecord, sent: datetime, *, sender: str = SENDER) -> etree._Element:
    alert = etree.Element(f"{{{NS}}}alert", nsmap={None: NS})
    _sub(alert, "identifier", record.identifier)
    _sub(alert, "sender", sender)
    _sub(alert, "sent", cap_time(sent))
    _sub(alert, "status", "Exercise" if record.mode == "drill" else "Actual")
    _sub(alert, "msgType", "Alert")
    _sub(alert, "source", f"disaster-desk {record.item_type} {record.item_id}")
    _sub(alert, "scope", "Restricted")
    _sub(alert, "restriction", "共有先 / shared with: " + "、".join(record.shared_to))
    if record.mode == "drill":
        _sub(alert, "note", f"訓練 / EXERCISE (run {record.run_id})")
    info = _sub(alert, "info")
    _sub(info, "language", "ja-JP")
    if record.item_type == "report":
        categories = [REPORT_CATEGORY.get(record.kind, "Other")]
        event = REPORT_EVENT.get(record.kind, record.kind)
    else:
        categories = list(dict.fromkeys(CATEGORY.get(label, "Other") for label in record.labels)) or ["Other"]
        event = "・".join(LABEL_JA.get(label, label) for label in record.labels) or LABEL_JA["none"]
    for category in categories:
        _sub(info, "category", category)
    _sub(info, "event", event)
    _sub(info, "urgency", "Immediate" if record.urgency >= 7 else "Expected")
    _sub(info, "severity", _severity(record.urgency))
    _sub(info, "certainty", "Observed" if record.state in ("verified", "shared", "closed") else "Likely")
    _sub(info, "senderName", SENDER_NAME)
    _sub(info, "headline", f"{event} {record.ward or ''} {record.place or ''}".strip()[:160])
    _sub(info, "description", record.text)
    for name, value in (("item_type", record.item_type), ("state", record.state),
                        ("received_at", cap_time(record.received_at)),
                        ("attribution", " / ".join(export_attributions()))):
        parameter = _sub(info, "parameter")
        _sub(parameter, "valueName", name)
        _sub(parameter, "value", value)
    area = _sub(info, "area")
    _sub(area, "areaDesc", " ".join(x for x in ("大阪市", record.ward, record.place) if x))
    if record.lat is not None and record.lon is not None:
        _sub(area, "circle", f"{record.lat:.5f},{record.lon:.5f} 0.1")
    return alert


def export_cap(db: Database, scope: Scope, out_dir: str | Path, *, privacy: Privacy = PUBLIC,
               progress: Progress | None = None) -> list[Path]:
    """Write one CAP file per shared item of ``scope`` into ``out_dir``; returns the paths.

    ``progress(done, total)`` counts alerts (core.progress); it may raise to stop,
    and a stopped export installs no file (the alerts are staged, then renamed).
    """
    out = Path(out_dir)
    first = first_share(db, scope)
    with StagedFiles(out) as files:
        for record in counted(all_records(db, scope, privacy, shared_only=True), progress):
            sent = first[(record.item_type, record.item_id)].shared_at
            (files.root / f"{record.identifier}.xml").write_bytes(
                etree.tostring(build_alert(record, sent), xml_declaration=True, encoding="UTF-8", pretty_print=True))
        written = files.install()
    out.mkdir(parents=True, exist_ok=True)  # an export of nothing still leaves its folder
    log.info("wrote %d CAP alerts to %s", len(written), out)
    return written
