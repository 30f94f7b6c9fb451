"""``disaster-desk reports import|template``: ward reports as CSV from the command line (docs/cli.md)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from disaster_desk.cli import main
from disaster_desk.core.db import Database
from disaster_desk.core.models import AuditEntry, Report

DAMAGE_CSV = (
    "区,種別,場所,対応状況,程度,備考\r\n"
    "北区,道路,天神橋筋六丁目交差点,通行止め,重大,\r\n"
    "北区,道路,扇町通,通行止め,超大,\r\n"     # line 3: not a severity
    "北区,ガス,中崎町2丁目,報告,軽微,臭い\r\n"
    "北区,宇宙,扇町,報告,軽微,\r\n"          # line 5: not a damage type
)


def _stored(url: str) -> list[Report]:
    db = Database.open(url)
    try:
        with db.session() as session:
            return list(session.scalars(select(Report).order_by(Report.id)))
    finally:
        db.dispose()


def test_template_prints_the_japanese_header_with_a_bom(capsysbinary):
    assert main(["reports", "template", "--kind", "shelter"]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(out[3:].decode("utf-8"))))
    assert header[:3] == ["区", "避難所名", "状態"]


def test_template_to_a_file_imports_back_once_filled(tmp_path, sqlite_url, capsys):
    path = tmp_path / "muster.csv"
    assert main(["reports", "template", "--kind", "muster", "-o", str(path)]) == 0
    path.write_bytes(path.read_bytes() + "北区,北区役所,12,40,,\r\n".encode())
    assert main(["reports", "import", "--kind", "muster", str(path), "--db", sqlite_url]) == 0
    assert capsys.readouterr().out.strip() == "muster: 1 stored, 0 already stored, 0 refused"
    [report] = _stored(sqlite_url)
    assert (report.kind, report.ward, report.payload["arrived"], report.payload["expected"]) == ("muster", "北区", 12, 40)


def test_bad_lines_are_named_on_stderr_and_the_good_lines_kept(tmp_path, db_url, capsys):
    path = tmp_path / "damage.csv"
    path.write_bytes(DAMAGE_CSV.encode("cp932"))  # what Excel saves as CSV
    assert main(["reports", "import", "--kind", "damage", str(path), "--db", db_url]) == 1
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in err
    assert lines[0].startswith(f"{path}: line 3, column '程度'")
    assert lines[1].startswith(f"{path}: line 5, column '種別'")
    assert out.strip() == "damage: 2 stored, 0 already stored, 2 refused"
    assert [r.payload["place"] for r in _stored(db_url)] == ["天神橋筋六丁目交差点", "中崎町2丁目"]


def test_the_same_file_twice_stores_nothing_twice(tmp_path, sqlite_url, capsys):
    path = tmp_path / "damage.csv"
    path.write_bytes(b"\xef\xbb\xbf" + DAMAGE_CSV.encode("utf-8"))
    main(["reports", "import", "--kind", "damage", str(path), "--db", sqlite_url])
    capsys.readouterr()
    assert main(["reports", "import", "--kind", "damage", str(path), "--db", sqlite_url]) == 1
    assert capsys.readouterr().out.strip() == "damage: 0 stored, 2 already stored, 2 refused"
    assert len(_stored(sqlite_url)) == 2


def test_a_ward_station_on_sqlite_stores_only_its_own_ward(tmp_path, sqlite_url, capsys):
    config = tmp_path / "settings.yaml"
    config.write_text("role: ward\nstation_ward: 北区\nactor: 北区役所 田中\n", encoding="utf-8")
    path = tmp_path / "shelter.csv"
    path.write_text("区,避難所名,状態\n,扇町小学校,開設\n淀川区,十三小学校,開設\n北区,菅北小学校,満員\n",
                    encoding="utf-8")
    assert main(["reports", "import", "--kind", "shelter", str(path), "--db", sqlite_url, "--config", str(config)]) == 1
    out, err = capsys.readouterr()
    assert err.strip().startswith(f"{path}: line 3, column '区'") and "北区" in err
    assert out.strip() == "shelter: 2 stored, 0 already stored, 1 refused"
    stored = _stored(sqlite_url)
    assert [(r.ward, r.author) for r in stored] == [("北区", "北区役所 田中"), ("北区", "北区役所 田中")]
    db = Database.open(sqlite_url)
    with db.session() as session:
        assert [a.action for a in session.scalars(select(AuditEntry))] == ["report.create", "report.create"]
    db.dispose()


def test_a_file_that_cannot_be_read_is_one_line_and_exit_2(tmp_path, sqlite_url, capsys):
    assert main(["reports", "import", "--kind", "shelter", str(tmp_path / "none.csv"), "--db", sqlite_url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("disaster-desk: error: cannot read") and "Traceback" not in err
    bad_header = tmp_path / "bad.csv"
    bad_header.write_text("区,色\n北区,赤\n", encoding="utf-8")
    assert main(["reports", "import", "--kind", "shelter", str(bad_header), "--db", sqlite_url]) == 2
    assert "line 1, column '色': unknown column" in capsys.readouterr().err
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81\x00")
    assert main(["reports", "import", "--kind", "shelter", str(binary), "--db", sqlite_url]) == 2
    assert "not UTF-8 or Shift_JIS" in capsys.readouterr().err
