"""Every export that uses the area data carries the pack's attributions (issue 15 Deliver 1).

The expected lines are read from the manifest itself, so a new file in the pack or a changed
attribution is checked without editing this test; the sources named below must be among them.
"""

from __future__ import annotations

import json
import zipfile

from lxml import etree

from disaster_desk.core.area_pack import EXPORT_ROLES, export_attributions, pack_dir, shelter_notice
from disaster_desk.core.bulletin import BulletinService
from disaster_desk.core.exports.cap import export_cap
from disaster_desk.core.exports.geojson import export_geojson
from disaster_desk.core.exports.sip4d import export_sip4d
from disaster_desk.core.modes import REAL_SCOPE
from disaster_desk.core.triage import TriageService
from tests.core.exports.conftest import CAP_XSD
from tests.core.triage_items import add_post

NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}
ATOM = {"a": "http://www.w3.org/2005/Atom"}


def manifest_lines() -> list[str]:
    doc = json.loads((pack_dir() / "manifest.json").read_text(encoding="utf-8"))
    lines: list[str] = []
    for role, entry in doc["files"].items():
        if role in EXPORT_ROLES and entry.get("attribution") and entry["attribution"] not in lines:
            lines.append(entry["attribution"])
    return lines


def test_the_lines_are_the_manifests_and_name_every_source():
    lines = export_attributions()
    assert lines == manifest_lines()
    joined = "\n".join(lines)
    for source in ("国土数値情報（行政区域データ", "Geolonia", "CC BY 4.0", "国土地理院", "鉄道データ"):
        assert source in joined, source
    notice = shelter_notice()
    assert "必ず当該市町村にご確認ください" in notice and "3." in notice and "4." not in notice


def test_geojson_has_a_top_level_attribution(db, clock, desk, tmp_path):
    out = tmp_path / "items.geojson"
    export_geojson(db, REAL_SCOPE, out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and doc["features"]
    assert doc["attribution"] == manifest_lines()


def test_cap_alerts_carry_an_attribution_parameter_and_stay_valid(db, clock, desk, tmp_path):
    schema = etree.XMLSchema(etree.parse(str(CAP_XSD)))
    paths = export_cap(db, REAL_SCOPE, tmp_path)
    assert paths
    for path in paths:
        doc = etree.parse(str(path))
        schema.assertValid(doc)
        params = {p.findtext("cap:valueName", namespaces=NS): p.findtext("cap:value", namespaces=NS)
                  for p in doc.findall("cap:info/cap:parameter", namespaces=NS)}
        assert params["attribution"].split(" / ") == manifest_lines()
        assert {"item_type", "state", "received_at"} <= set(params)  # additive: the old ones stay


def test_sip4d_meta_credits_the_sources_and_passes_on_the_gsi_notice(db, clock, desk, tmp_path):
    result = export_sip4d(db, REAL_SCOPE, tmp_path, clock)
    with zipfile.ZipFile(result.path) as zf:
        meta = json.loads(zf.read("sip4d_zip_meta.json").decode("utf-8"))
    assert meta["credit"] == manifest_lines()
    assert meta["license_note"] == shelter_notice() and "指定避難所" in meta["license_note"]


def test_bulletin_pages_end_with_the_attributions_and_the_feed_has_rights(db, clock, tmp_path):
    post_id = add_post(db, clock, "北区で火災", ["fire"], ward="北区")
    triage = TriageService(db, clock, REAL_SCOPE)
    triage.acknowledge("post", post_id, actor="op")
    triage.verify("post", post_id, actor="op")
    b = BulletinService(db, clock).publish("火災", "近づかないでください。", [f"post:{post_id}"], actor="op",
                                           out_dir=tmp_path)
    for page in (tmp_path / "index.html", tmp_path / "b" / f"{b.id}.html"):
        html = etree.HTML(page.read_bytes())
        footer = html.find(".//footer")
        assert footer is not None and footer.get("class") == "attribution"
        assert [t.strip() for t in footer.itertext() if t.strip()] == manifest_lines()
    feed = etree.parse(str(tmp_path / "feed.atom"))
    assert feed.findtext("a:rights", namespaces=ATOM).split(" / ") == manifest_lines()
