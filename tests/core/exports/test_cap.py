"""CAP 1.2 export: valid against the OASIS schema; Actual vs Exercise; no cross-mode leaks."""

from __future__ import annotations

import pytest
from lxml import etree

from disaster_desk.core.exports.cap import export_cap
from disaster_desk.core.exports.privacy import INTERNAL
from disaster_desk.core.modes import REAL_SCOPE, Scope
from tests.core.exports.conftest import CAP_XSD, DRILL

NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(CAP_XSD)))


def test_real_export_one_valid_alert_per_shared_item(db, clock, desk, schema, tmp_path):
    paths = export_cap(db, REAL_SCOPE, tmp_path)
    assert sorted(p.name for p in paths) == sorted(
        f"disaster-desk.real.{t}-{i}.xml" for t, i in (desk.ids["rescue"], desk.ids["damage"]))
    for path in paths:
        doc = etree.parse(str(path))
        schema.assertValid(doc)
        assert doc.findtext("cap:status", namespaces=NS) == "Actual"
        assert "訓練" not in path.read_text(encoding="utf-8")
    rescue = etree.parse(str(tmp_path / f"disaster-desk.real.post-{desk.ids['rescue'][1]}.xml"))
    assert rescue.findtext("cap:info/cap:category", namespaces=NS) == "Rescue"
    assert rescue.findtext("cap:info/cap:certainty", namespaces=NS) == "Observed"
    assert rescue.findtext("cap:sent", namespaces=NS).endswith("+09:00")
    assert "北区、消防局" in rescue.findtext("cap:restriction", namespaces=NS)
    description = rescue.findtext("cap:info/cap:description", namespaces=NS)
    assert "<b>助けて</b> & 至急" in description  # escaped by the XML writer, read back intact
    assert "3-15" not in description and "中崎町2丁目" in description  # public: house number dropped
    assert b"&lt;b&gt;" in (tmp_path / f"disaster-desk.real.post-{desk.ids['rescue'][1]}.xml").read_bytes()


def test_drill_export_is_exercise_and_holds_no_real_item(db, clock, desk, schema, tmp_path):
    paths = export_cap(db, DRILL, tmp_path)
    assert len(paths) == 2
    for path in paths:
        doc = etree.parse(str(path))
        schema.assertValid(doc)
        assert doc.findtext("cap:status", namespaces=NS) == "Exercise"
        assert "drill-run-1" in doc.findtext("cap:note", namespaces=NS)
        assert path.name.startswith("disaster-desk.drill-run-1.")
    post = tmp_path / f"disaster-desk.drill-run-1.post-{desk.ids['訓練rescue'][1]}.xml"
    assert etree.parse(str(post)).findtext("cap:info/cap:description", namespaces=NS).startswith("訓練")
    assert export_cap(db, Scope.drill("another-run"), tmp_path / "none") == []


def test_keep_personal_keeps_the_exact_address(db, clock, desk, schema, tmp_path):
    export_cap(db, REAL_SCOPE, tmp_path, privacy=INTERNAL)
    doc = etree.parse(str(tmp_path / f"disaster-desk.real.post-{desk.ids['rescue'][1]}.xml"))
    schema.assertValid(doc)
    assert "中崎町2丁目3-15" in doc.findtext("cap:info/cap:description", namespaces=NS)
    assert doc.findtext("cap:info/cap:area/cap:circle", namespaces=NS) == "34.70731,135.50519 0.1"


def test_a_shared_incident_is_one_valid_alert(db, clock, schema, tmp_path):
    from disaster_desk.core.grouping import GroupingService
    from disaster_desk.core.triage import TriageService
    from tests.core.triage_items import add_post

    a = add_post(db, clock, "中崎町で火事", ["fire"], ward="北区", place="中崎町", lat=34.71, lon=135.50)
    clock.advance(120)
    b = add_post(db, clock, "中崎町の火事 煙が多い", ["fire"], ward="北区", place="中崎町")
    (incident,) = GroupingService(db, clock).group_incidents([a, b])
    triage = TriageService(db, clock)
    triage.acknowledge("incident", incident, actor="op")
    clock.advance(60)
    (event,) = triage.share("incident", incident, ["消防局"], actor="op")
    (path,) = export_cap(db, REAL_SCOPE, tmp_path)
    doc = etree.parse(str(path))
    schema.assertValid(doc)
    assert path.name == f"disaster-desk.real.incident-{incident}.xml"
    assert doc.findtext("cap:info/cap:event", namespaces=NS) == "火災"
    assert "中崎町で火事 / 中崎町の火事 煙が多い" in doc.findtext("cap:info/cap:description", namespaces=NS)
    from disaster_desk.core.models import ShareEvent

    with db.session() as s:  # time to share counts from the first post of the incident
        assert s.get(ShareEvent, event).time_to_share_s == 180
