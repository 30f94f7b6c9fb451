"""CSV import/export of ward reports, as Excel users fill them."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from disaster_desk.core.models import Report
from disaster_desk.core.modes import Scope
from disaster_desk.core.report_csv import decode_csv, export_reports, import_reports, template
from disaster_desk.core.reports import ReportService

SHELTER_CSV = (
    "区,避難所名,状態,避難者数,世帯数,収容可能人数,必要物資,備考\r\n"
    "北区,扇町小学校,開設,120,40,500,水;毛布,\r\n"
    "北区,堀川小学校,満員,\"1,200\",,1200,food,\"2階に\n要配慮者\"\r\n"
    "北区,菅北小学校,半分,10,,,,\r\n"
    "北区,滝川小学校,open,たくさん,,,,\r\n"
    "品川区,某小学校,open,1,,,,\r\n"
    "北区,梅田東小学校,closed,0,,,,\r\n"
)


def _rows(db):
    with db.session() as s:
        return {r.payload["name"]: r for r in s.scalars(select(Report))}


def test_template_is_utf8_with_bom_and_japanese_titles():
    data = template("muster")
    assert data.startswith(b"\xef\xbb\xbf")
    assert next(csv.reader(io.StringIO(decode_csv(data))))[:4] == ["区", "所属", "参集人数", "参集予定人数"]


def test_shift_jis_file_imports_keeping_good_lines_and_naming_bad_ones(db, clock):
    result = import_reports(ReportService(db, clock), "shelter", SHELTER_CSV.encode("cp932"), author="kita")
    assert [(e.line, e.column) for e in result.errors] == [(5, "状態"), (6, "避難者数"), (7, "区")]
    assert "たくさん" in result.errors[1].message
    stored = _rows(db)
    assert sorted(stored) == ["堀川小学校", "扇町小学校", "梅田東小学校"]
    assert stored["扇町小学校"].payload["needs"] == ["water", "blanket"]
    assert stored["堀川小学校"].payload == {
        "name": "堀川小学校", "status": "full", "evacuees": 1200, "capacity": 1200,
        "needs": ["food"], "note": "2階に\n要配慮者",
    }


def test_same_file_twice_stores_each_row_once(sqlite_db, clock):
    service = ReportService(sqlite_db, clock)
    data = b"\xef\xbb\xbf" + SHELTER_CSV.encode("utf-8")
    first = import_reports(service, "shelter", data, author="kita")
    second = import_reports(service, "shelter", data, author="kita")
    assert len(first.created) == 3 and second.created == [] and sorted(second.duplicates) == sorted(first.created)


def test_unknown_and_missing_columns_are_reported_on_line_one(sqlite_db, clock):
    result = import_reports(ReportService(sqlite_db, clock), "muster", "区,所属,色\n北区,北区役所,赤\n".encode(),
                            author="k")
    assert {(e.line, e.column, e.message) for e in result.errors} == {
        (1, "色", "unknown column"), (1, "参集人数", "required column is missing"),
        (1, "参集予定人数", "required column is missing"),
    }
    assert _rows(sqlite_db) == {}


def test_export_round_trips_and_keeps_drill_apart(sqlite_db, clock):
    real = ReportService(sqlite_db, clock)
    real.submit("damage", "淀川区", {"type": "road", "severity": "major", "place": "十三大橋", "lat": 34.716,
                                   "lon": 135.487, "status": "closed"}, author="yodo")
    ReportService(sqlite_db, clock, Scope.drill("r1")).submit(
        "damage", "北区", {"type": "gas", "severity": "minor"}, author="drill")
    data = export_reports(sqlite_db, "damage", real.scope)
    text = decode_csv(data)
    assert "十三大橋" in text and "gas" not in text
    again = import_reports(real, "damage", data, author="yodo")
    assert again.errors == [] and again.created == [] and len(again.duplicates) == 1


def test_drill_export_says_so_and_never_imports_as_real(sqlite_db, clock):
    drill = ReportService(sqlite_db, clock, Scope.drill("r1"))
    drill.submit("system", None, {"system": "住民情報システム", "status": "down"}, author="drill")
    data = export_reports(sqlite_db, "system", drill.scope)
    header, row = list(csv.reader(io.StringIO(decode_csv(data))))
    assert header[-1] == "区分" and row[-1] == "訓練 EXERCISE"
    result = import_reports(ReportService(sqlite_db, clock), "system", data, author="hq")
    assert result.created == [] and [(e.line, e.column) for e in result.errors] == [(2, "区分")]


def _stop_at(n):
    """A progress callable that asks the work to stop at its n-th report (as the GUI's 中止 does)."""
    from disaster_desk.core.progress import Stopped

    calls = []

    def progress(done, total):
        calls.append(done)
        if len(calls) == n:
            raise Stopped()

    return progress


def test_a_stop_request_ends_the_import_between_lines_keeping_what_it_stored(db, clock):
    service = ReportService(db, clock)
    lines = ["区,所属,参集人数,参集予定人数"] + [f"北区,北区役所{i},{i},400" for i in range(250)]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    result = import_reports(service, "muster", data, author="kita", progress=_stop_at(6))  # every 2: after 10
    assert result.stopped and len(result.created) == 10 and result.not_read_from == 12
    with db.session() as s:
        assert s.query(Report).count() == 10
    rest = import_reports(service, "muster", data, author="kita")
    assert not rest.stopped and len(rest.created) == 240 and len(rest.duplicates) == 10


def test_a_stop_request_after_the_last_line_leaves_a_whole_import(db, clock):
    lines = ["区,所属,参集人数,参集予定人数"] + [f"北区,北区役所{i},{i},400" for i in range(5)] + ["", ""]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    # reports: 0, then after each of the 5 lines and the two blank ones (total counts them): stop at the last
    result = import_reports(ReportService(db, clock), "muster", data, author="kita", progress=_stop_at(8))
    assert not result.stopped and result.not_read_from is None and len(result.created) == 5


def test_a_lost_postgresql_server_stops_the_import_naming_the_line_and_keeps_the_rows_before(clock):
    """A real server stopped mid-import (a throwaway cluster, tests/stoppable_pg.py): not a refused line each."""
    from disaster_desk.core.db import Database
    from disaster_desk.core.report_csv import ImportInterrupted
    from tests.stoppable_pg import start_cluster

    cluster = start_cluster()
    if cluster is None:
        pytest.skip("no PostgreSQL binaries for a throwaway cluster")
    try:
        db = Database.open(cluster.url)
        lines = ["区,所属,参集人数,参集予定人数"] + [f"北区,北区役所{i},{i},400" for i in range(250)]
        reports = []

        def progress(done, total):  # every 2 lines: the 6th report comes after 10 stored lines
            reports.append(done)
            if len(reports) == 6:
                cluster.halt()

        with pytest.raises(ImportInterrupted) as stopped:
            import_reports(ReportService(db, clock), "muster", ("\n".join(lines) + "\n").encode(), author="kita",
                           progress=progress)
        assert (stopped.value.line, stopped.value.stored, stopped.value.problem.kind) == (12, 10, "unreachable")
        assert str(stopped.value).startswith("line 12: database unreachable (")
        cluster.resume()
        db.dispose()
        db = Database.open(cluster.url)
        with db.session() as s:
            assert s.query(Report).count() == 10
        db.dispose()
    finally:
        cluster.stop()
