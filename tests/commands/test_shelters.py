"""``disaster-desk shelters import --format gsi FILE``: problems by line on stderr, the good rows stored."""

from __future__ import annotations

from sqlalchemy import func, select

from disaster_desk.cli import main
from disaster_desk.core.db import Database
from disaster_desk.core.models import Shelter
from tests.data_files import HINANJO, KINKYU


def test_import_updates_the_registry_and_names_each_bad_line(db_url, tmp_path, capsys):
    lines = HINANJO.read_text(encoding="utf-8-sig").splitlines()
    tokyo = lines[3].split(",")
    tokyo[7:9] = ["35.689634", "139.692101"]
    dup = lines[2].split(",")
    dup[1] = lines[1].split(",")[1]
    bad = lines[4].encode("cp932").replace(b",", b"\x81,", 1)
    rows = [lines[0], lines[1], ",".join(dup), ",".join(tokyo)]
    path = tmp_path / "gsi.csv"
    path.write_bytes(b"\r\n".join([r.encode("cp932") for r in rows] + [bad, lines[5].encode("cp932")]) + b"\r\n")
    assert main(["shelters", "import", "--format", "gsi", str(path), "--db", db_url]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"{path} line 3, column '共通ID': duplicate id E2710000001111 (first on line 2, kept)",
        f"{path} line 4, column '緯度': position 35.68963,139.69210 is outside the area; row refused",
        f"{path} line 5: not cp932 text (byte 0x81 at byte 2); line skipped",
    ]
    assert out == f"{path}: 0 new, 2 updated, 1 duplicate ids, 2 refused\n"


def test_emergency_sites_are_added_to_the_seeded_shelters(sqlite_url, capsys):
    assert main(["shelters", "import", "--format", "gsi", str(KINKYU), "--db", sqlite_url]) == 0
    assert capsys.readouterr().out.endswith(": 3269 new, 0 updated, 0 duplicate ids, 0 refused\n")
    db = Database.open(sqlite_url)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Shelter)) == 872 + 3269
    db.dispose()


def test_a_missing_or_foreign_file_is_one_line_and_non_zero(sqlite_url, tmp_path, capsys):
    assert main(["shelters", "import", "--format", "gsi", str(tmp_path / "none.csv"), "--db", sqlite_url]) != 0
    assert capsys.readouterr().err.strip().endswith("none.csv: no such file")
    other = tmp_path / "other.csv"
    other.write_text("名前,住所\nA,B\n", encoding="utf-8")
    assert main(["shelters", "import", "--format", "gsi", str(other), "--db", sqlite_url]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "required column is missing" in err and "Traceback" not in err
