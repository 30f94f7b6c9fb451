"""``gazetteer import --format n03``: another city's pack boundaries from 国土数値情報 行政区域 N03."""

from __future__ import annotations

import json

from disaster_desk.cli import main
from disaster_desk.core.area_pack import load_pack
from disaster_desk.core.boundaries import contains
from tests.data_files import data_file

N03 = data_file("n03-osaka-wards", "osaka-city-wards.geojson")


def n03_files(folder):
    """The vendored wards as N03 publishes them per ward (N03_001…N03_007), plus a neighbouring city."""
    folder.mkdir()
    for f in json.loads(N03.read_text(encoding="utf-8"))["features"]:
        p = f["properties"]
        props = {"N03_001": "大阪府", "N03_002": "", "N03_003": "大阪市", "N03_004": p["ward"], "N03_007": p["code"]}
        (folder / f"{p['code']}.json").write_text(json.dumps(
            {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": props,
                                                        "geometry": f["geometry"]}]}, ensure_ascii=False))
    suita = {"N03_001": "大阪府", "N03_002": "", "N03_003": "", "N03_004": "吹田市", "N03_007": "27205"}
    square = [[[135.50, 34.76], [135.55, 34.76], [135.55, 34.80], [135.50, 34.80], [135.50, 34.76]]]
    (folder / "27205.json").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": suita, "geometry": {"type": "Polygon", "coordinates": square}}]}))
    (folder / "broken.json").write_text("{not json")
    return folder


def test_n03_folder_becomes_the_users_ward_boundaries(tmp_path, capsys):
    folder = n03_files(tmp_path / "n03")
    out = tmp_path / "gazetteer"
    assert main(["gazetteer", "import", "--format", "n03", str(folder), "--gazetteer-dir", str(out)]) == 0
    stdout, stderr = capsys.readouterr()
    assert stdout.strip() == (f"n03: 24 wards of 大阪市, 1 features of other cities left out, 1 skipped -> "
                              f"{out / 'wards.geojson'}")
    assert stderr.startswith("skipped: broken.json: not readable GeoJSON")
    doc = load_pack().wards_geojson(out)  # the import replaces the pack's boundaries for this user
    wards = {f["properties"]["ward"]: f for f in doc["features"]}
    assert len(wards) == 24 and wards["北区"]["properties"]["code"] == "27127"
    umeda = wards["北区"]["geometry"]["coordinates"]
    assert contains([[[tuple(p) for p in ring] for ring in poly] for poly in umeda], 34.7025, 135.4959)
    assert (out / "wards.geojson").stat().st_size < N03.stat().st_size  # simplified


def test_a_file_of_another_city_writes_nothing(tmp_path, capsys):
    folder = n03_files(tmp_path / "n03")
    out = tmp_path / "gazetteer"
    code = main(["gazetteer", "import", "--format", "n03", str(folder / "27205.json"), "--gazetteer-dir", str(out)])
    assert code == 2 and capsys.readouterr().err.strip() == "disaster-desk: error: no ward boundaries of 大阪市 found"
    assert not (out / "wards.geojson").exists()
    assert main(["gazetteer", "import", "--format", "n03", str(folder / "27205.json"), "--city", "",
                 "--gazetteer-dir", str(out)]) == 0  # --city '' keeps every feature
