"""Importing the GSI 指定避難所 list (the area pack's real GSI files) as the shelter registry."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from disaster_desk.core.models import Shelter
from disaster_desk.core.shelter_registry import find_shelter, import_gsi_csv, ward_from_address
from tests.data_files import HINANJO, KINKYU


@pytest.mark.parametrize(
    ("address", "ward"),
    [
        ("大阪府大阪市阿倍野区阿倍野筋3-10-1-100", "阿倍野区"),
        ("大阪府大阪市東淀川区大道南2-19", "東淀川区"),
        ("大阪府大阪市淀川区十三本町1", "淀川区"),
        ("大阪府大阪市大淀南2-2-51", None),
        ("大阪府大阪市吹田市西御旅町7-53", None),
        (None, None),
    ],
)
def test_ward_is_parsed_from_the_address(address, ward):
    assert ward_from_address(address) == ward


def test_designated_shelters_import_with_wards_and_coordinates(db):
    result = import_gsi_csv(db, HINANJO)
    assert (result.inserted, result.updated, result.errors) == (872, 0, [])
    assert result.without_ward == [452]  # NO 451: 大阪府大阪市大淀南2-2-51 names no ward
    with db.session() as s:
        wards = s.scalar(select(func.count(func.distinct(Shelter.ward))).where(Shelter.ward.is_not(None)))
        abeno = s.scalars(select(Shelter).where(Shelter.common_id == "E2710000001111")).one()
    assert wards == 24
    assert (abeno.name, abeno.ward, abeno.lat, abeno.lon) == ("阿倍野スポーツセンター", "阿倍野区", 34.641893, 135.51077)
    assert find_shelter(db, "金塚小学校", "阿倍野区").common_id == "E2710000003111"
    again = import_gsi_csv(db, HINANJO)
    assert (again.inserted, again.updated) == (0, 872)


def test_emergency_sites_keep_hazards_and_bad_rows_are_named(sqlite_db, tmp_path):
    lines = KINKYU.read_text(encoding="utf-8").splitlines()
    broken = lines[2].split(",")
    broken[-3] = "北緯34度"  # 緯度
    sample = "\n".join([lines[0], lines[1], ",".join(broken), lines[3]]) + "\n"
    path = tmp_path / "sites.csv"
    path.write_bytes(sample.encode("cp932"))
    result = import_gsi_csv(sqlite_db, path)
    assert result.inserted == 2
    assert [(e.line, e.column) for e in result.errors] == [(3, "緯度")]
    with sqlite_db.session() as s:
        park = s.scalars(select(Shelter).where(Shelter.name == "晴明丘公園")).one()
    assert park.kinds == ["emergency_site", "earthquake", "tsunami"]


def test_a_file_that_is_not_the_gsi_layout_is_refused(sqlite_db, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("名前,住所\nA,B\n", encoding="utf-8")
    result = import_gsi_csv(sqlite_db, path)
    assert result.inserted == 0 and result.errors[0].column == "共通ID"
