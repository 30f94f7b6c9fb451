"""A drill on a fresh database (no import): every shelter it reports is in the SIP4D-ZIP with a position."""

from __future__ import annotations

import json
import zipfile

import pytest

from disaster_desk.core.clock import ManualClock
from disaster_desk.core.exports.sip4d import export_sip4d
from disaster_desk.core.models import Report
from drills.engine import DrillEngine
from drills.scenario import bundled_scenarios, load_scenario
from tests.core.exports.sip4d_rules import check
from tests.data_files import SIP4D_TEMPLATES


@pytest.mark.parametrize("path", bundled_scenarios(), ids=lambda p: p.stem)
def test_drill_shelters_are_all_positioned_on_a_fresh_database(db, keyword_analyser, path, tmp_path):
    engine = DrillEngine(load_scenario(path), db, speed=None, analyser=keyword_analyser)
    engine.run_to_end()
    with db.session() as s:
        reported = {(r.ward, r.payload["name"]) for r in s.query(Report).filter(
            Report.kind == "shelter", Report.run_id == engine.run_id)}
    assert reported
    result = export_sip4d(db, engine.scope, tmp_path, ManualClock())
    assert (result.shelters, result.without_position) == (len(reported), 0)
    with zipfile.ZipFile(result.path) as zf:
        names = set(zf.namelist())
        files = {n: json.loads(zf.read(n)) for n in names}
    rules = SIP4D_TEMPLATES / "1.1" / "VECTOR"
    meta_rules = json.loads((rules / "temp_meta.json").read_text(encoding="utf-8"))["members"]
    shelter_rules = json.loads((rules / "01-001-01.json").read_text(encoding="utf-8"))
    assert check(files["sip4d_zip_meta.json"], meta_rules, "meta", names) == []
    assert files["sip4d_zip_meta.json"]["testflg"] == "訓練"
    assert check(files["shelters_columns.json"], shelter_rules["members"], "columns") == []
    features = files["shelters.geojson"]["features"]
    assert {(f["properties"]["cityname"].removeprefix("大阪市"), f["properties"]["name"]) for f in features} == reported
    for i, f in enumerate(features):
        assert check(f["properties"], shelter_rules["properties_value"], f"features[{i}]") == []
        lon, lat = f["geometry"]["coordinates"]
        assert 34.5 < lat < 34.8 and 135.3 < lon < 135.7
        assert f["properties"]["address"].startswith("大阪府大阪市")
