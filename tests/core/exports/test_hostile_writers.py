"""Every writer survives hostile text: CAP, GeoJSON, CSV, SIP4D, bulletin HTML/Atom/JSON parse back.

Text stored through the boundary is already clean; these tests put hostile text
where the writers meet it anyway: rows stored before the boundary existed
(``posts.text`` overwritten with the raw text, as far as each engine can store
it) and the records a writer is handed directly (lone surrogates and NUL,
which no database column holds).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import lxml.html
import pytest
from lxml import etree
from sqlalchemy import update

from disaster_desk.core.bulletin import Bulletin, BulletinService, atom_feed, page_html
from disaster_desk.core.exports.cap import build_alert, export_cap
from disaster_desk.core.exports.csv_export import export_csv
from disaster_desk.core.exports.geojson import export_geojson, feature
from disaster_desk.core.exports.records import ExportRecord
from disaster_desk.core.models import Post
from disaster_desk.core.modes import REAL_SCOPE
from disaster_desk.core.text import FORMULA_STARTS, csv_cell, csv_uncell
from disaster_desk.core.triage import TriageService
from tests.core.exports.conftest import CAP_XSD
from tests.core.triage_items import add_post
from tests.hostile import HOSTILE

#: What the writers must cope with beyond HOSTILE: every C0 control, U+FFFE/U+FFFF, a lone low surrogate.
EXTRA = "".join(chr(c) for c in range(0x20)) + "\ufffe\uffff\udc00\u202e"
XML_INVALID = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff"]


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(CAP_XSD)))


def _storable(db, text: str) -> str:
    """``text`` as far as the engine stores it: no lone surrogate anywhere, no NUL on PostgreSQL."""
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text.replace("\x00", "") if db.is_postgres else text


def _hostile_desk(db, clock) -> dict[str, int]:
    """One shared rescue post per hostile kind, its stored text overwritten with the raw hostile text."""
    triage = TriageService(db, clock)
    ids = {}
    for kind, text in {**HOSTILE, "extra": "北区" + EXTRA}.items():
        post_id = add_post(db, clock, f"北区 {kind}", ["rescue"], ward="北区", place="中崎町", lat=34.7, lon=135.5,
                           precision="town", external_id=f"hostile-{kind}")
        with db.session() as session:
            session.execute(update(Post).where(Post.id == post_id).values(text=_storable(db, text)))
        triage.acknowledge("post", post_id, actor="op")
        triage.verify("post", post_id, actor="op")
        triage.share("post", post_id, ["北区"], actor="op")
        ids[kind] = post_id
    return ids


def _no_xml_invalid(data: str) -> None:
    found = [hex(ord(c)) for c in XML_INVALID if c in data]
    assert not found, f"XML-invalid characters written: {found}"


def test_every_export_of_hostile_posts_parses(db, clock, schema, tmp_path):
    ids = _hostile_desk(db, clock)
    paths = export_cap(db, REAL_SCOPE, tmp_path / "cap")
    assert len(paths) == len(ids)
    for path in paths:
        schema.assertValid(etree.parse(str(path)))
    export_geojson(db, REAL_SCOPE, tmp_path / "x.geojson")
    collection = json.loads((tmp_path / "x.geojson").read_text(encoding="utf-8"))
    texts = {f["properties"]["text"] for f in collection["features"]}
    assert any("天王寺駅で人が閉じ込められている" in t for t in texts)
    _no_xml_invalid((tmp_path / "x.geojson").read_text(encoding="utf-8"))
    assert export_csv(db, REAL_SCOPE, tmp_path / "x.csv") == len(ids)
    raw = (tmp_path / "x.csv").read_text(encoding="utf-8-sig")
    _no_xml_invalid(raw.replace("\r", ""))
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    assert len(rows) == len(ids) + 1
    text_col = rows[0].index("text")
    markup = next(r[text_col] for r in rows[1:] if "西区で火災" in r[text_col])
    assert markup.startswith("<script>")  # kept as text; a CSV has nothing to escape
    for row in rows[1:]:
        assert all(cell[:1] not in FORMULA_STARTS for cell in row if cell[:1] != "'")


def test_writers_handed_records_with_nul_and_lone_surrogates(schema):
    when = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)
    for text in [*HOSTILE.values(), EXTRA]:
        record = ExportRecord(item_type="post", item_id=1, kind="post", labels=["rescue"], urgency=9,
                              text=text + "\x00\ud83d", ward="北区\x01", place="中崎町\ufffe", lat=34.7, lon=135.5,
                              source="x", state="shared", received_at=when, created_at=when, author="@a\x00",
                              mode="real", run_id="", shared_to=["北区\udfff"])
        alert = etree.tostring(build_alert(record, when), xml_declaration=True, encoding="UTF-8")
        schema.assertValid(etree.fromstring(alert))
        dumped = json.dumps(feature(record), ensure_ascii=False).encode("utf-8")
        assert json.loads(dumped)["properties"]["ward"] == "北区"
        buf = io.StringIO()
        csv.writer(buf).writerow([csv_cell(v) for v in (record.text, record.ward, record.urgency, record.lat)])
        buf.getvalue().encode("utf-8")  # no lone surrogate left to stop the encoder
        (cells,) = list(csv.reader(io.StringIO(buf.getvalue())))
        assert cells[1:] == ["北区", "9", "34.7"]


@pytest.mark.parametrize("value", ["=1+2", "+81", "-5", "@SUM(A1)", "＝ＨＹＰＥＲＬＩＮＫ()", "＋1", "－1", "＠x",
                                   "\t=1", "\r=1", "\n=1"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(value):
    cell = csv_cell(value)
    assert cell.startswith("'")
    assert csv_uncell(cell) == cell[1:]


def test_csv_cells_of_ordinary_text_and_numbers_are_kept():
    assert csv_cell("北区で火災") == "北区で火災"
    assert csv_cell(-3) == "-3" and csv_cell(34.5) == "34.5" and csv_cell(None) == ""
    assert csv_uncell("'北区") == "'北区"  # only an apostrophe csv_cell added is taken off


def test_report_csv_export_neutralises_and_imports_back(db, clock):
    from disaster_desk.core.report_csv import export_reports, import_reports
    from disaster_desk.core.reports import ReportService

    service = ReportService(db, clock)
    service.submit("damage", "港区", {"type": "bridge", "severity": "critical", "place": "=HYPERLINK(\"x\")"},
                   author="港区")
    data = export_reports(db, "damage", REAL_SCOPE)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert "'=HYPERLINK(\"x\")" in rows[1]
    result = import_reports(service, "damage", data, author="港区")
    assert not result.errors and result.duplicates  # the same report (its id), read back intact


def test_bulletin_with_hostile_text_parses(db, clock, tmp_path):
    ids = _hostile_desk(db, clock)
    b = BulletinService(db, clock).publish("火災\x00\ufffe <b>\u202e", "本文\x01\ud800", [f"post:{i}" for i in ids.values()],
                                           actor="op", out_dir=tmp_path)
    for name in ("index.html", f"b/{b.id}.html"):
        page = (tmp_path / name).read_text(encoding="utf-8")
        _no_xml_invalid(page)
        assert "<script>" not in page
        assert lxml.html.fromstring(page).findtext(".//h1") == "火災 <b>"
    feed = etree.parse(str(tmp_path / "feed.atom"))
    assert feed.findtext("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title") == "火災 <b>"
    data = json.loads((tmp_path / "bulletins.json").read_text(encoding="utf-8"))
    assert data["bulletins"][0]["body"] == "本文\ufffd"
    # the HTML and Atom builders are safe on their own, for histories written before the boundary
    raw = Bulletin(id="x", title="t\x00\ud800", body="b\x0b", published_at="2026-12-04T03:00:00+09:00",
                   mode="real", run_id="", items=[{"key": "post:1", "text": "\ufffe<i>", "ward": "北区"}])
    _no_xml_invalid(page_html(raw, [raw]))
    etree.fromstring(atom_feed([raw]))
