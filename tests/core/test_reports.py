"""Ward reports: validated at the boundary, idempotent on the client UUID."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from disaster_desk.core.models import AuditEntry, Report
from disaster_desk.core.modes import Scope
from disaster_desk.core.reports import ReportService
from disaster_desk.errors import ValidationError

SHELTER = {"name": "扇町小学校", "status": "open", "evacuees": 120, "capacity": 500, "needs": ["water"]}


def test_same_client_uuid_twice_is_one_report(db, clock):
    service = ReportService(db, clock)
    a = service.submit("shelter", "北区", SHELTER, author="kita", client_uuid="u-1")
    b = service.submit("shelter", "北区", SHELTER, author="kita", client_uuid="u-1")
    assert a.created and not b.created and a.report_id == b.report_id
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Report)) == 1
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 1


@pytest.mark.parametrize(
    ("kind", "ward", "data", "field"),
    [
        ("shelter", "北区", {"status": "open"}, "name"),
        ("shelter", "北区", {**SHELTER, "evacuees": "many"}, "evacuees"),
        ("shelter", "北区", {**SHELTER, "status": "half"}, "status"),
        ("shelter", "北区", {**SHELTER, "colour": "red"}, "colour"),
        ("shelter", "品川区", SHELTER, "ward"),
        ("shelter", None, SHELTER, "ward"),
        ("muster", "北区", {"office": "北区役所", "arrived": -1, "expected": 80}, "arrived"),
        ("damage", "北区", {"type": "volcano", "severity": "major"}, "type"),
        ("weather", "北区", {}, "kind"),
    ],
)
def test_bad_report_is_refused_naming_the_field(db, clock, kind, ward, data, field):
    service = ReportService(db, clock)
    service.submit("shelter", "北区", SHELTER, author="kita", client_uuid="keep")
    with pytest.raises(ValidationError) as err:
        service.submit(kind, ward, data, author="kita")
    assert err.value.field == field
    with db.session() as s:
        reports = s.scalars(select(Report)).all()
    assert [r.client_uuid for r in reports] == ["keep"]
    assert reports[0].payload["evacuees"] == 120


def test_system_report_may_be_city_wide(sqlite_db, clock):
    result = ReportService(sqlite_db, clock).submit(
        "system", None, {"system": "住民情報システム", "status": "down"}, author="hq"
    )
    assert result.created


def test_concurrent_sends_of_one_uuid_store_one_report(db, clock):
    """Several stations resend the same outbox item at once: one row, one winner."""
    import threading

    barrier = threading.Barrier(6)
    results = []

    def send():
        barrier.wait()
        results.append(ReportService(db, clock).submit("shelter", "北区", SHELTER, author="kita", client_uuid="race"))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.created for r in results) == 1
    assert len({r.report_id for r in results}) == 1
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Report)) == 1


class _LateCheck(ReportService):
    """Sees no row at the pre-check, as when another station inserts in between."""

    def _by_uuid(self, client_uuid):
        self.calls = getattr(self, "calls", 0) + 1
        return None if self.calls == 1 else super()._by_uuid(client_uuid)


def test_unique_violation_returns_the_stored_report(db, clock):
    first = ReportService(db, clock).submit("shelter", "北区", SHELTER, author="kita", client_uuid="u-9")
    again = _LateCheck(db, clock).submit("shelter", "北区", SHELTER, author="kita", client_uuid="u-9")
    assert again == type(again)(first.report_id, False)


def test_edit_is_versioned_and_audited_with_before_and_after(db, clock):
    service = ReportService(db, clock)
    rid = service.submit("shelter", "北区", SHELTER, author="kita").report_id
    clock.advance(60)
    version = service.edit(rid, {"evacuees": 300, "needs": None}, actor="hq-sato", expected_version=1)
    assert version == 2
    report = service.get(rid)
    assert report.payload["evacuees"] == 300 and report.payload["needs"] == []
    assert report.updated_at == clock.now()
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "report.edit")).one()
    assert (entry.who, entry.item_id) == ("hq-sato", str(rid))
    assert entry.before["evacuees"] == 120 and entry.after["evacuees"] == 300


def test_edit_of_a_stale_version_is_a_conflict(db, clock):
    from disaster_desk.errors import ConflictError

    service = ReportService(db, clock)
    rid = service.submit("damage", "淀川区", {"type": "road", "severity": "major"}, author="yodo").report_id
    service.edit(rid, {"status": "closed"}, actor="a", expected_version=1)
    with pytest.raises(ConflictError):
        service.edit(rid, {"status": "restored"}, actor="b", expected_version=1)
    assert service.get(rid).payload["status"] == "closed"


def test_edit_validates_the_merged_payload(sqlite_db, clock):
    service = ReportService(sqlite_db, clock)
    rid = service.submit("muster", "北区", {"office": "北区役所", "arrived": 10, "expected": 80}, author="k").report_id
    with pytest.raises(ValidationError) as err:
        service.edit(rid, {"arrived": "lots"}, actor="k", expected_version=1)
    assert err.value.field == "arrived"
    assert service.get(rid).version == 1


def test_ward_station_reports_for_its_own_ward_only(sqlite_db, clock):
    kita = ReportService(sqlite_db, clock, station_ward="北区")
    with pytest.raises(ValidationError) as err:
        kita.submit("shelter", "淀川区", SHELTER, author="kita")
    assert err.value.field == "ward"
    own = kita.submit("system", None, {"system": "区LAN", "status": "up"}, author="kita")
    assert kita.get(own.report_id).ward == "北区"
    other = ReportService(sqlite_db, clock).submit("shelter", "淀川区", SHELTER, author="yodo").report_id
    with pytest.raises(ValidationError):
        kita.edit(other, {"evacuees": 1}, actor="kita", expected_version=None)


def test_drill_reports_stay_out_of_the_real_scope(sqlite_db, clock):
    from disaster_desk.core.modes import Scope

    drill = ReportService(sqlite_db, clock, Scope.drill("run-1"))
    rid = drill.submit("shelter", "北区", SHELTER, author="drill").report_id
    assert ReportService(sqlite_db, clock).get(rid) is None
    assert ReportService(sqlite_db, clock).latest("shelter") is None
    assert drill.latest("shelter", "北区").id == rid


def test_concurrent_edits_of_one_version_let_exactly_one_win(db, clock):
    import threading

    from disaster_desk.errors import ConflictError

    rid = ReportService(db, clock).submit("shelter", "北区", SHELTER, author="kita").report_id
    barrier = threading.Barrier(4)
    outcomes = []

    def edit(n):
        barrier.wait()
        try:
            outcomes.append(ReportService(db, clock).edit(rid, {"evacuees": n}, actor=f"op{n}", expected_version=1))
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=edit, args=(n,)) for n in (200, 300, 400, 500)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes, key=str) == [2, "conflict", "conflict", "conflict"]
    with db.session() as s:
        edits = s.scalars(select(AuditEntry).where(AuditEntry.action == "report.edit")).all()
    assert len(edits) == 1 and ReportService(db, clock).get(rid).payload["evacuees"] == edits[0].after["evacuees"]


def test_reports_of_one_kind_newest_first_in_their_scope(db, clock):
    real = ReportService(db, clock)
    road = real.submit("damage", "北区", {"type": "road", "severity": "major"}, author="kita").report_id
    gas = real.submit("damage", "北区", {"type": "gas", "severity": "critical"}, author="kita").report_id
    real.submit("muster", "北区", {"office": "北区役所", "arrived": 1, "expected": 2}, author="kita")
    ReportService(db, clock, Scope.drill("r1")).submit("damage", "北区", {"type": "gas", "severity": "minor"},
                                                       author="drill")
    assert [r.id for r in real.of_kind("damage")] == [gas, road]
    assert [r.payload["severity"] for r in ReportService(db, clock, Scope.drill("r1")).of_kind("damage")] == ["minor"]
