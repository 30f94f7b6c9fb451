"""SIP4D-ZIP shelter export, checked against NIED-DIR's 01-001-01 / meta templates."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from disaster_desk.core.exports.sip4d import export_sip4d
from disaster_desk.core.modes import REAL_SCOPE
from disaster_desk.core.reports import ReportService
from disaster_desk.core.shelter_registry import import_gsi_csv
from tests.core.exports.conftest import DRILL, GSI_SHELTERS, SIP4D_TEMPLATES


def check_members(data: dict, members: list[dict], where: str) -> list[str]:
    """The template rules we rely on: necessary keys, allowed values, string formats, types."""
    errors = []
    for rule in members:
        key = rule.get("key") or rule.get("connid")
        if key not in data:
            if rule.get("necessary"):
                errors.append(f"{where}.{key} missing")
            continue
        value = data[key]
        if rule.get("values") and isinstance(value, str) and value not in rule["values"]:
            errors.append(f"{where}.{key}={value!r} not in {rule['values']}")
        if rule.get("string_formats") and isinstance(value, str) and not any(
                re.match(f, value) for f in rule["string_formats"]):
            errors.append(f"{where}.{key}={value!r} does not match {rule['string_formats']}")
        if rule.get("type") == "Integer" and not isinstance(value, int):
            errors.append(f"{where}.{key} is not an Integer")
        if rule.get("type") == "Object" and "members" in rule:
            errors += check_members(value, rule["members"], f"{where}.{key}")
    return errors


@pytest.fixture
def shelters(db, clock):
    import_gsi_csv(db, GSI_SHELTERS)
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
    assert check_members(meta, meta_rules["members"], "meta") == []
    assert meta["testflg"] == "通常" and meta["entry"][0]["file"] == "shelters.geojson"
    shelter_rules = json.loads((SIP4D_TEMPLATES / "1.1" / "VECTOR" / "01-001-01.json").read_text(encoding="utf-8"))
    columns = files["shelters_columns.json"]
    assert check_members(columns, shelter_rules["members"][:3], "columns") == []
    assert {"eststts", "name", "cityname"} <= {c["name"] for c in columns["columns"]}
    features = files["shelters.geojson"]["features"]
    for i, feature in enumerate(features):
        assert check_members(feature["properties"], shelter_rules["properties_value"], f"features[{i}]") == []
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
