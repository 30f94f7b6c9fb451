"""Ward reports: validated at the boundary, idempotent on the client UUID."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from disaster_desk.core.models import AuditEntry, Report
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
