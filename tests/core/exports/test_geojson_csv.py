"""GeoJSON and CSV exports: contents, privacy, and real/drill separation both ways."""

from __future__ import annotations

import csv
import json

from disaster_desk.core.exports.csv_export import export_csv, safe_cell
from disaster_desk.core.exports.geojson import export_geojson
from disaster_desk.core.exports.privacy import INTERNAL
from disaster_desk.core.modes import REAL_SCOPE, Scope
from tests.core.exports.conftest import DRILL


def _features(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    return {f["id"]: f for f in data["features"]}


def test_geojson_holds_relevant_posts_and_all_reports_of_its_mode(db, clock, desk, tmp_path):
    assert export_geojson(db, REAL_SCOPE, tmp_path / "real.geojson") == 4
    real = _features(tmp_path / "real.geojson")
    assert set(real) == {"{}:{}".format(*desk.ids[k]) for k in ("rescue", "fire", "damage", "shelter")}
    assert all(f["properties"]["mode"] == "real" for f in real.values())
    rescue = real["post:{}".format(desk.ids["rescue"][1])]
    assert rescue["geometry"] == {"type": "Point", "coordinates": [135.505, 34.707]}  # address → ~100 m
    assert rescue["properties"]["author"] is None and "3-15" not in rescue["properties"]["text"]
    assert rescue["properties"]["shared_to"] == ["北区", "消防局"]
    fire = real["post:{}".format(desk.ids["fire"][1])]
    assert fire["geometry"]["coordinates"] == [135.4716, 34.6924]  # town precision kept
    damage = real["report:{}".format(desk.ids["damage"][1])]
    assert damage["properties"]["report"]["place"] == "弁天" and damage["properties"]["author"] is None
    export_geojson(db, DRILL, tmp_path / "drill.geojson")
    drill = _features(tmp_path / "drill.geojson")
    assert len(drill) == 4 and all(f["properties"]["run_id"] == "drill-run-1" for f in drill.values())
    assert not set(drill) & set(real)
    assert all("訓練" not in json.dumps(f, ensure_ascii=False) for f in real.values())
    export_geojson(db, Scope.drill(""), tmp_path / "all-drills.geojson")
    assert set(_features(tmp_path / "all-drills.geojson")) == set(drill)


def test_keep_personal_keeps_handles_and_addresses(db, clock, desk, tmp_path):
    export_geojson(db, REAL_SCOPE, tmp_path / "internal.geojson", privacy=INTERNAL)
    rescue = _features(tmp_path / "internal.geojson")["post:{}".format(desk.ids["rescue"][1])]
    assert rescue["properties"]["author"] == "@_taro"
    assert "中崎町2丁目3-15" in rescue["properties"]["text"]
    assert rescue["geometry"]["coordinates"] == [135.505188, 34.707312]


def test_csv_has_a_bom_for_excel_and_no_drill_rows(db, clock, desk, tmp_path):
    out = tmp_path / "real.csv"
    assert export_csv(db, REAL_SCOPE, out) == 4
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert {r["id"] for r in rows} == {"{}:{}".format(*desk.ids[k]) for k in ("rescue", "fire", "damage", "shelter")}
    assert {r["mode"] for r in rows} == {"real"} and all(r["author"] == "" for r in rows)
    rescue = next(r for r in rows if r["id"] == "post:{}".format(desk.ids["rescue"][1]))
    assert rescue["labels"] == "rescue" and rescue["state"] == "shared" and rescue["shared_to"] == "北区 消防局"
    drill_out = tmp_path / "drill.csv"
    export_csv(db, DRILL, drill_out)
    drill_rows = list(csv.DictReader(drill_out.open(encoding="utf-8-sig")))
    assert {r["mode"] for r in drill_rows} == {"drill"} and len(drill_rows) == 4


def test_csv_cells_never_start_a_formula():
    assert safe_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert safe_cell("@user") == "'@user"
    assert safe_cell("北区") == "北区" and safe_cell(None) == ""
