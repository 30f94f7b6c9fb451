"""A shared item is in the export whatever its category (issue 12).

A post the classifier called ``none`` (or whose analysis failed) that an
operator shares must not vanish from CAP, GeoJSON or CSV; an unshared ``none``
post stays out, as before.
"""

from __future__ import annotations

import csv
import json

import pytest
from lxml import etree

from disaster_desk.core.exports.cap import export_cap
from disaster_desk.core.exports.csv_export import export_csv
from disaster_desk.core.exports.geojson import export_geojson
from disaster_desk.core.models import Analysis
from disaster_desk.core.modes import REAL_SCOPE
from disaster_desk.core.triage import TriageService
from tests.core.exports.conftest import CAP_XSD
from tests.core.triage_items import add_post

NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(CAP_XSD)))


def test_shared_none_and_unanalysed_posts_are_exported(db, clock, schema, tmp_path):
    triage = TriageService(db, clock, REAL_SCOPE)
    rescue = add_post(db, clock, "北区で閉じ込め 助けて", ["rescue"], ward="北区", external_id="r")
    none_shared = add_post(db, clock, "橋の欄干が少し傾いている気がする", ["none"], external_id="n1")
    none_kept = add_post(db, clock, "今日のランチ", ["none"], external_id="n2")
    failed = add_post(db, clock, "西区 何か変", None, external_id="f")
    with db.session() as s:  # as the analysis service marks a post it could not analyse
        s.add(Analysis(post_id=failed, labels=[], urgency=0, analyser_version="test", analysed_at=clock.now(),
                       error="RuntimeError: boom"))
    clock.advance(60)
    for post_id in (rescue, none_shared, failed):
        triage.acknowledge("post", post_id, actor="op")
        triage.share("post", post_id, ["建設局"], actor="op")

    paths = export_cap(db, REAL_SCOPE, tmp_path / "cap")
    assert sorted(p.name for p in paths) == sorted(
        f"disaster-desk.real.post-{i}.xml" for i in (rescue, none_shared, failed))
    for path in paths:
        schema.assertValid(etree.parse(str(path)))
    none_alert = etree.parse(str(tmp_path / "cap" / f"disaster-desk.real.post-{none_shared}.xml"))
    assert none_alert.findtext("cap:info/cap:category", namespaces=NS) == "Other"
    assert "欄干" in none_alert.findtext("cap:info/cap:description", namespaces=NS)
    failed_alert = etree.parse(str(tmp_path / "cap" / f"disaster-desk.real.post-{failed}.xml"))
    assert failed_alert.findtext("cap:info/cap:event", namespaces=NS)  # never an empty event

    export_geojson(db, REAL_SCOPE, tmp_path / "x.geojson")
    features = {f["id"]: f for f in json.loads((tmp_path / "x.geojson").read_text(encoding="utf-8"))["features"]}
    assert {f"post:{i}" for i in (rescue, none_shared, failed)} <= set(features)
    assert f"post:{none_kept}" not in features  # not shared, not relevant: out as before
    assert features[f"post:{none_shared}"]["properties"]["shared_to"] == ["建設局"]
    assert features[f"post:{none_shared}"]["properties"]["labels"] == ["none"]

    export_csv(db, REAL_SCOPE, tmp_path / "x.csv")
    with open(tmp_path / "x.csv", encoding="utf-8-sig", newline="") as f:
        rows = {row["id"]: row for row in csv.DictReader(f)}
    assert {f"post:{i}" for i in (rescue, none_shared, failed)} <= set(rows)
    assert f"post:{none_kept}" not in rows
    assert rows[f"post:{none_shared}"]["shared_to"] == "建設局"
