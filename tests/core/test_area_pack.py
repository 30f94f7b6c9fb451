"""The Osaka City area pack: every file listed with source, licence and version; small; consistent."""

from __future__ import annotations

import csv
import hashlib
import json

from disaster_desk.core.area import OSAKA_WARDS
from disaster_desk.core.area_pack import load_pack
from disaster_desk.core.boundaries import contains


def _polygons(feature):
    return [[[tuple(p) for p in ring[:-1]] for ring in poly] for poly in feature["geometry"]["coordinates"]]


def test_every_file_of_the_pack_is_in_the_manifest_with_its_terms():
    pack = load_pack()
    listed = {f.path for f in pack.files.values()}
    on_disk = {p.resolve() for p in pack.root.iterdir() if p.name not in ("manifest.json", "SOURCE.md")}
    assert on_disk <= listed
    for f in pack.files.values():
        assert f.source and f.licence and f.version, f.role
    assert "出典：国土地理院 指定緊急避難場所・指定避難所データ（大阪市）" in pack.attributions()
    assert any("CC BY 4.0" in a for a in pack.attributions(("towns",)))


def test_the_pack_is_small():
    pack = load_pack()
    sizes = [p.stat().st_size for p in pack.root.iterdir()]
    assert sum(sizes) < 5_000_000 and max(sizes) < 2_000_000


def test_24_wards_with_codes_and_a_label_point_inside_each():
    features = load_pack().wards_geojson()["features"]
    assert sorted(f["properties"]["ward"] for f in features) == sorted(OSAKA_WARDS)
    assert len({f["properties"]["code"] for f in features}) == 24
    for f in features:
        lat, lon = f["properties"]["centroid"]
        assert contains(_polygons(f), lat, lon), f["properties"]["ward"]


def test_every_town_point_lies_in_its_own_ward():
    pack = load_pack()
    polygons = {f["properties"]["ward"]: _polygons(f) for f in pack.wards_geojson()["features"]}
    rows = list(csv.DictReader(pack.path("towns").open(encoding="utf-8")))
    assert len(rows) == 1903
    wrong = [(r["ward"], r["town"]) for r in rows if not contains(polygons[r["ward"]], float(r["lat"]), float(r["lng"]))]
    assert wrong == []


def test_the_shelter_files_are_the_published_ones():
    pack = load_pack()
    assert hashlib.sha256(pack.path("shelters").read_bytes()).hexdigest().startswith("e8cca7fa4c9d")
    assert hashlib.sha256(pack.path("evacuation_sites").read_bytes()).hexdigest().startswith("1bf916d84d4d")
    json.loads((pack.root / "manifest.json").read_text(encoding="utf-8"))
