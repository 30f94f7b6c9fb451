"""Gazetteer importers on the real public files (area pack, tests/data) and a written MLIT sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from disaster_desk.errors import UserError
from nlp.gazetteer import Gazetteer, read_csv
from nlp.importers import import_file
from tests.data_files import GEOLONIA_JSON, HINANJO, KINKYU, TOWNS_CSV

MLIT_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "nlp" / "mlit_oaza_sample.csv"


def _places(path: Path):
    return [p for _, p, _ in read_csv(path)]


def test_the_area_packs_towns_import_all_1903(tmp_path):
    result = import_file("geolonia", TOWNS_CSV, tmp_path)
    assert (result.imported, result.skipped, result.outside) == (1903, 0, 0)
    places = _places(result.output)
    assert len({p.ward for p in places}) == 24
    umeda = next(p for p in places if p.name == "梅田一丁目")
    assert (umeda.ward, round(umeda.lat, 3), round(umeda.lon, 3)) == ("北区", 34.7, 135.498)


def test_geolonia_json_folder_gives_the_same_towns_as_the_csv(tmp_path):
    from_json = _places(import_file("geolonia", GEOLONIA_JSON, tmp_path / "a").output)
    wards = {p.ward for p in from_json}
    assert wards == {"北区", "福島区", "此花区"} and len(from_json) == 123 + 41 + 59
    from_csv = [p for p in _places(import_file("geolonia", TOWNS_CSV, tmp_path / "b").output) if p.ward in wards]
    assert sorted(from_json, key=lambda p: (p.ward, p.name)) == sorted(from_csv, key=lambda p: (p.ward, p.name))


def test_geolonia_bad_entries_are_reported_and_good_ones_kept(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    entries = [
        {"town": "梅田一丁目", "koaza": "", "lat": 34.700013, "lng": 135.497728},
        {"town": "", "koaza": "", "lat": 34.7, "lng": 135.5},
        {"town": "梅田二丁目", "koaza": "", "lat": "north", "lng": 135.5},
        {"town": "梅田三丁目", "koaza": "", "lat": 35.9, "lng": 139.7},
    ]
    (src / "大阪市北区.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    (src / "堺市北区.json").write_text("[]", encoding="utf-8")
    result = import_file("geolonia", src, tmp_path / "out")
    assert (result.imported, result.skipped, result.outside) == (1, 3, 1)
    assert [p.split(":")[0] for p in result.problems] == ["大阪市北区.json entry 1", "大阪市北区.json entry 2",
                                                          "大阪市北区.json entry 3"]
    assert "field 'town'" in result.problems[0] and "outside Osaka City" in result.problems[2]


def test_mlit_sample_in_the_official_format(tmp_path):
    result = import_file("mlit", MLIT_SAMPLE, tmp_path)
    assert (result.imported, result.outside, result.skipped) == (3, 1, 2)
    assert {p.name for p in _places(result.output)} == {"梅田一丁目", "梅田二丁目", "都島本通三丁目"}
    assert any("line 6" in p and "緯度" in p for p in result.problems)


def test_gsi_shelters_both_files(tmp_path):
    src = tmp_path / "gsi"
    src.mkdir()
    for f in (HINANJO, KINKYU):
        (src / f.name).write_bytes(f.read_bytes())
    result = import_file("gsi-shelters", src, tmp_path)
    places = _places(result.output)
    # NO 451 (address without a ward) and NO 983 (吹田市) are outside; names are deduplicated per ward
    assert result.outside == 2 and result.skipped == 0
    assert result.imported == len(places) > 3000
    names = {(p.name, p.ward) for p in places}
    assert ("金塚小学校", "阿倍野区") in names  # "金塚小学校（運動場）" folded into the school
    assert all("\n" not in p.name for p in places)


def test_wrong_format_is_a_user_error_naming_the_file(tmp_path):
    with pytest.raises(UserError, match="mlit_oaza_sample.csv.*GSI"):
        import_file("gsi-shelters", MLIT_SAMPLE, tmp_path)
    with pytest.raises(UserError, match="no such file"):
        import_file("geolonia", tmp_path / "missing", tmp_path)


def test_imported_towns_are_loaded_by_the_gazetteer(tmp_path):
    import_file("mlit", MLIT_SAMPLE, tmp_path)
    gaz = Gazetteer.load(tmp_path)
    # the import adds to the area pack's town (Geolonia) rather than replacing it
    assert sorted(p.note for p in gaz.index["梅田1丁目"]) == ["geolonia", "mlit"]
    assert {p.name for p in gaz.index["梅田1丁目"]} == {"梅田一丁目"}
    assert {p.ward for p in gaz.index["都島本通"] if p.kind == "town"} == {"都島区"}  # town level from its 丁目


def test_a_fresh_gazetteer_knows_the_area_packs_towns_and_shelters(tmp_path):
    gaz = Gazetteer.load(tmp_path / "nothing-imported")
    kinds = {p.kind for places in gaz.index.values() for p in places}
    assert {"town", "shelter", "station", "landmark", "ward"} <= kinds
    towns = {p.name for places in gaz.index.values() for p in places if p.kind == "town" and p.note == "geolonia"}
    assert len(towns) >= 1800 and "中崎町" in {p.name for p in gaz.index["中崎町"]}
    (kanazuka,) = gaz.index["金塚小学校"]
    assert (kanazuka.kind, kanazuka.ward) == ("shelter", "阿倍野区")
