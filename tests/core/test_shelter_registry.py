"""The shelter registry: seeded from the area pack, updated from GSI 指定避難所 CSV files line by line."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from disaster_desk.core.db import Database
from disaster_desk.core.models import Shelter
from disaster_desk.core.shelter_registry import (
    decode_lines,
    find_shelter,
    import_gsi_csv,
    read_gsi,
    seed_from_pack,
    ward_from_address,
)
from tests.data_files import HINANJO, KINKYU

HEADER = HINANJO.read_text(encoding="utf-8-sig").splitlines()[0]
ROWS = HINANJO.read_text(encoding="utf-8-sig").splitlines()[1:]


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


def test_a_new_database_knows_the_designated_shelters(db):
    with db.session() as s:
        count = s.scalar(select(func.count()).select_from(Shelter))
        wards = s.scalar(select(func.count(func.distinct(Shelter.ward))))
        unplaced = s.scalar(select(func.count()).select_from(Shelter).where(
            (Shelter.ward.is_(None)) | (Shelter.lat.is_(None))))
        abeno = s.scalars(select(Shelter).where(Shelter.common_id == "E2710000001111")).one()
        oyodo = s.scalars(select(Shelter).where(Shelter.address == "大阪府大阪市大淀南2-2-51")).one()
    assert (count, wards, unplaced) == (872, 24, 0)
    assert (abeno.name, abeno.ward, abeno.lat, abeno.lon, abeno.kinds) == (
        "阿倍野スポーツセンター", "阿倍野区", 34.641893, 135.51077, ["shelter"])
    assert oyodo.ward == "北区"  # the address names no ward: the ward of its position
    assert find_shelter(db, "金塚小学校", "阿倍野区").common_id == "E2710000003111"


def test_seeding_is_idempotent_and_keeps_imported_rows(db, tmp_path):
    row = ROWS[0].split(",")
    row[2] = "阿倍野スポーツセンター（改称）"
    path = tmp_path / "update.csv"
    path.write_text(HEADER + "\n" + ",".join(row) + "\n", encoding="utf-8")
    assert (import_gsi_csv(db, path).updated) == 1
    with db.engine.begin() as conn:
        assert seed_from_pack(conn) == 0
    again = Database.open(db.url if not db.is_postgres else db.engine.url.render_as_string(hide_password=False))
    try:
        with again.session() as s:
            assert s.scalar(select(func.count()).select_from(Shelter)) == 872
            assert s.scalar(select(Shelter.name).where(Shelter.common_id == "E2710000001111")) == \
                "阿倍野スポーツセンター（改称）"
    finally:
        again.dispose()


def test_reimporting_the_pack_file_updates_every_row(db):
    result = import_gsi_csv(db, HINANJO)
    assert (result.inserted, result.updated, result.errors, result.duplicates) == (0, 872, [], [])
    assert result.without_ward == [452]  # NO 451: 大阪府大阪市大淀南2-2-51 names no ward


def test_duplicate_ids_name_both_lines_and_keep_the_first(sqlite_db, tmp_path):
    first, second = ROWS[0].split(","), ROWS[1].split(",")
    second[1] = first[1]  # the 共通ID of line 2 again on line 4
    path = tmp_path / "dup.csv"
    path.write_text("\n".join([HEADER, ",".join(first), ROWS[2], ",".join(second)]) + "\n", encoding="utf-8")
    result = import_gsi_csv(sqlite_db, path)
    assert result.duplicates == [(4, 2, first[1])]
    assert [str(p) for p in result.problems()] == [
        f"line 4, column '共通ID': duplicate id {first[1]} (first on line 2, kept)"]
    assert result.problems()[0].ja() == f"4行目（共通ID）: 共通ID {first[1]} が重複（2行目を採用）"
    assert find_shelter(sqlite_db, "阿倍野スポーツセンター", None).common_id == first[1]


def test_rows_outside_the_area_are_refused_naming_the_line(sqlite_db, tmp_path):
    tokyo = ROWS[0].split(",")
    tokyo[1:4] = ["E1310100000111", "東京都庁", "東京都新宿区西新宿2-8-1"]
    tokyo[7:9] = ["35.689634", "139.692101"]
    suita_edge = ROWS[1].split(",")  # a real GSI point just across the city line stays (within 500 m)
    suita_edge[7:9] = ["34.749031", "135.523506"]
    path = tmp_path / "area.csv"
    path.write_text("\n".join([HEADER, ",".join(tokyo), ",".join(suita_edge)]) + "\n", encoding="utf-8")
    result = import_gsi_csv(sqlite_db, path)
    assert [(p.line, p.column) for p in result.errors] == [(2, "緯度")]
    assert "outside the area" in str(result.errors[0]) and "市域の外" in result.errors[0].ja()
    assert result.updated == 1
    with sqlite_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Shelter).where(Shelter.name == "東京都庁")) == 0


@pytest.mark.parametrize("encoding", ["utf-8", "cp932"])
def test_a_bad_byte_refuses_only_its_line(sqlite_db, tmp_path, encoding):
    lines = [HEADER.encode(encoding)] + [r.encode(encoding) for r in ROWS[:4]]
    lines[3] = lines[3].replace(b",", b"\x81,", 1)  # line 4, in the NO column
    path = tmp_path / "bytes.csv"
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    result = import_gsi_csv(sqlite_db, path)
    assert [(p.line, p.column) for p in result.errors] == [(4, None)]
    assert str(result.errors[0]).startswith(f"line 4: not {encoding} text (byte 0x81 at byte 2)")
    assert result.errors[0].ja().startswith("4行目: 文字コードが読めません")
    assert result.updated == 3


def test_decoding_picks_the_encoding_most_lines_read():
    text = "共通ID,施設・場所名\n1,阿倍野\n"
    assert decode_lines(text.encode("cp932")) == (["共通ID,施設・場所名", "1,阿倍野"], "cp932")
    assert decode_lines(b"\xef\xbb\xbf" + text.encode("utf-8"))[1] == "utf-8"


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


def test_every_pack_row_is_in_the_area():
    for path in (HINANJO, KINKYU):
        parsed = read_gsi(path.read_bytes(), path.name)
        assert (parsed.result.errors, parsed.result.duplicates) == ([], []), path.name


def test_a_file_that_is_not_the_gsi_layout_is_refused(sqlite_db, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("名前,住所\nA,B\n", encoding="utf-8")
    result = import_gsi_csv(sqlite_db, path)
    assert result.inserted == 0 and result.errors[0].column == "共通ID"
    assert "必須の列「共通ID」" in result.errors[0].ja()


def test_shelter_names_of_one_ward_for_the_ward_form(sqlite_db):
    from disaster_desk.core.shelter_registry import shelter_names

    import_gsi_csv(sqlite_db, HINANJO)
    names = shelter_names(sqlite_db, "北区")
    assert names and names == sorted(names)
    with sqlite_db.session() as s:
        assert len(names) == s.scalar(select(func.count(Shelter.id)).where(Shelter.ward == "北区"))
    assert shelter_names(sqlite_db, None) == []
