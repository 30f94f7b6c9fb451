"""SIP4D-ZIP shelter export, checked against NIED-DIR's 01-001-01 / meta templates."""

from __future__ import annotations

import json
import zipfile

import pytest

from disaster_desk.core.exports.sip4d import export_sip4d
from disaster_desk.core.modes import REAL_SCOPE
from disaster_desk.core.reports import ReportService
from disaster_desk.core.shelter_registry import import_gsi_csv
from tests.core.exports.conftest import DRILL, GSI_SHELTERS, SIP4D_TEMPLATES
from tests.core.exports.sip4d_rules import check


@pytest.fixture
def shelters(db, clock):
    import_gsi_csv(db, GSI_SHELTERS)  # a newer download over the seeded registry
    for scope, evacuees in ((REAL_SCOPE, 350), (DRILL, 9)):
        reports = ReportService(db, clock, scope)
        reports.submit("shelter", "阿倍野区", {"name": "阿倍野スポーツセンター", "status": "open", "evacuees": 10},
                       author="阿倍野区")
        clock.advance(60)
        reports.submit("shelter", "阿倍野区", {"name": "阿倍野スポーツセンター", "status": "full",
                                           "evacuees": evacuees, "needs": ["water"]}, author="阿倍野区")
        reports.submit("shelter", "阿倍野区", {"name": "金塚小学校", "status": "unopened"}, author="阿倍野区")
        reports.submit("shelter", "北区", {"name": "どこにもない避難所", "status": "open"}, author="北区")


def _open(path):
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        return names, {n: json.loads(zf.read(n).decode("utf-8")) for n in names}


def test_shelter_zip_follows_the_templates(db, clock, shelters, tmp_path):
    result = export_sip4d(db, REAL_SCOPE, tmp_path, clock)
    assert (result.shelters, result.without_position) == (2, 1)
    names, files = _open(result.path)
    assert names == {"sip4d_zip_meta.json", "shelters.geojson", "shelters_columns.json"}
    meta_rules = json.loads((SIP4D_TEMPLATES / "1.1" / "VECTOR" / "temp_meta.json").read_text(encoding="utf-8"))
    meta = files["sip4d_zip_meta.json"]
    assert check(meta, meta_rules["members"], "meta", names) == []
    assert meta["testflg"] == "通常" and meta["entry"][0]["file"] == "shelters.geojson"
    shelter_rules = json.loads((SIP4D_TEMPLATES / "1.1" / "VECTOR" / "01-001-01.json").read_text(encoding="utf-8"))
    columns = files["shelters_columns.json"]
    assert check(columns, shelter_rules["members"], "columns") == []
    assert {"eststts", "name", "cityname"} <= {c["name"] for c in columns["columns"]}
    features = files["shelters.geojson"]["features"]
    for i, feature in enumerate(features):
        assert check(feature["properties"], shelter_rules["properties_value"], f"features[{i}]") == []
        assert all(isinstance(c, float) for c in feature["geometry"]["coordinates"])
    abeno = next(f["properties"] for f in features if f["properties"]["name"] == "阿倍野スポーツセンター")
    assert (abeno["eststts"], abeno["crowdstts"], abeno["evacueeno"], abeno["remarks"]) == ("開設", "定員一杯", 350, "水")
    assert abeno["address"].startswith("大阪府大阪市阿倍野区") and abeno["cityname"] == "大阪市阿倍野区"


def test_drill_zip_is_marked_and_holds_only_drill_reports(db, clock, shelters, tmp_path):
    result = export_sip4d(db, DRILL, tmp_path / "drill.zip", clock)
    _, files = _open(result.path)
    assert files["sip4d_zip_meta.json"]["testflg"] == "訓練"
    evacuees = {f["properties"]["name"]: f["properties"].get("evacueeno")
                for f in files["shelters.geojson"]["features"]}
    assert evacuees["阿倍野スポーツセンター"] == 9


def test_the_template_check_catches_what_the_checker_would(db, clock, shelters, tmp_path):
    names, files = _open(export_sip4d(db, REAL_SCOPE, tmp_path, clock).path)
    rules = json.loads((SIP4D_TEMPLATES / "1.1" / "VECTOR" / "temp_meta.json").read_text(encoding="utf-8"))
    meta = dict(files["sip4d_zip_meta.json"], entry_num=2, testflg="本番")
    assert check(meta, rules["members"], "meta", names - {"shelters.geojson"}) == [
        "meta.testflg='本番' not in ['通常', '訓練', '試験']",
        "meta.entry has 1 elements, entry_num=2",
        "meta.entry[0].file='shelters.geojson': no such file in the ZIP",
    ]
    shelter_rules = json.loads((SIP4D_TEMPLATES / "1.1" / "VECTOR" / "01-001-01.json").read_text(encoding="utf-8"))
    columns = files["shelters_columns.json"]
    columns = dict(columns, columns=[c for c in columns["columns"] if c["name"] != "cityname"])
    assert "columns.columns: no element with ['connid', 'name']='cityname'" in check(
        columns, shelter_rules["members"], "columns")
