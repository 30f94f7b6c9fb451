"""Aggregates: each shelter/office/system counted by its latest report, per scope."""

from __future__ import annotations

from disaster_desk.core.aggregates import damage_summary, muster_summary, shelter_summary, system_board
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.reports import ReportService


def _shelter(name, status, evacuees=0, capacity=0):
    return {"name": name, "status": status, "evacuees": evacuees, "capacity": capacity}


def test_shelters_open_full_and_evacuees_per_ward_and_city(db, clock):
    s = ReportService(db, clock)
    s.submit("shelter", "北区", _shelter("扇町小学校", "open", 120, 500), author="kita")
    clock.advance(60)
    s.submit("shelter", "北区", _shelter("扇町小学校", "full", 500, 500), author="kita")  # same shelter, later
    s.submit("shelter", "北区", _shelter("堀川小学校", "open", 30, 300), author="kita")
    s.submit("shelter", "淀川区", _shelter("十三小学校", "closed", 0, 400), author="yodo")
    s.submit("shelter", "淀川区", _shelter("木川小学校", "unopened"), author="yodo")
    ReportService(db, clock, Scope.drill("r1")).submit("shelter", "北区", _shelter("X", "open", 999, 1000),
                                                       author="drill")
    summary = shelter_summary(db, REAL_SCOPE)
    kita = summary.wards["北区"]
    assert (kita.open, kita.full, kita.evacuees, kita.capacity) == (1, 1, 530, 800)
    assert (summary.city.open, summary.city.full, summary.city.closed, summary.city.unopened) == (1, 1, 1, 1)
    assert summary.city.evacuees == 530 and round(summary.city.occupancy, 3) == round(530 / 800, 3)
    assert summary.wards["西区"].open == 0


def test_muster_rate_per_office_city_wide_and_over_time(db, clock):
    s = ReportService(db, clock)
    s.submit("muster", "北区", {"office": "北区役所", "arrived": 12, "expected": 80}, author="kita")
    clock.advance(600)
    s.submit("muster", "淀川区", {"office": "淀川区役所", "arrived": 40, "expected": 60}, author="yodo")
    clock.advance(600)
    s.submit("muster", "北区", {"office": "北区役所", "arrived": 50, "expected": 80}, author="kita")
    m = muster_summary(db, REAL_SCOPE)
    assert [(p.arrived, p.expected) for p in m.series] == [(12, 80), (52, 140), (90, 140)]
    assert m.series[-1].at == clock.now()
    assert [(o.office, o.arrived, o.at_target) for o in m.offices] == [("北区役所", 50, True), ("淀川区役所", 40, True)]
    assert round(m.city.rate, 4) == round(90 / 140, 4)
    assert (m.wards["北区"].arrived, m.wards["北区"].expected) == (50, 80)


def test_damage_by_type_and_status_and_the_system_board(sqlite_db, clock):
    s = ReportService(sqlite_db, clock)
    road = s.submit("damage", "淀川区", {"type": "road", "severity": "major", "status": "closed"}, author="y").report_id
    s.submit("damage", "北区", {"type": "road", "severity": "minor"}, author="k")
    s.submit("damage", "北区", {"type": "gas", "severity": "critical"}, author="k")
    s.edit(road, {"status": "restored"}, actor="y", expected_version=1)
    table = damage_summary(sqlite_db, REAL_SCOPE)
    assert table["road"]["restored"] == 1 and table["road"]["reported"] == 1 and table["road"]["closed"] == 0
    assert table["gas"]["severity:critical"] == 1
    s.submit("system", None, {"system": "住民情報システム", "status": "down", "note": "回線断"}, author="hq")
    s.submit("system", "北区", {"system": "区LAN", "status": "up"}, author="k")
    clock.advance(60)
    s.submit("system", None, {"system": "住民情報システム", "status": "degraded"}, author="hq")
    board = system_board(sqlite_db, REAL_SCOPE)
    assert [(b.system, b.status) for b in board] == [("住民情報システム", "degraded"), ("区LAN", "up")]
