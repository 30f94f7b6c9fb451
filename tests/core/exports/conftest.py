"""A desk with real and drill data, some of it shared, for the export tests."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.reports import ReportService
from disaster_desk.core.triage import TriageService
from tests.core.triage_items import add_post
from tests.data_files import CAP_XSD, HINANJO, SIP4D_TEMPLATES

GSI_SHELTERS = HINANJO
__all__ = ["CAP_XSD", "GSI_SHELTERS", "SIP4D_TEMPLATES"]

DRILL = Scope.drill("drill-run-1")


@dataclass
class Desk:
    ids: dict[str, tuple[str, int]] = field(default_factory=dict)


def _fill(db, clock, scope: Scope, tag: str, desk: Desk) -> None:
    triage = TriageService(db, clock, scope)
    reports = ReportService(db, clock, scope)
    rescue = add_post(db, clock, f"{tag}北区中崎町2丁目3-15の家で閉じ込め <b>助けて</b> & 至急", ["rescue"],
                      scope=scope, ward="北区", place="中崎町2丁目3-15", lat=34.707312, lon=135.505188,
                      precision="address", author=f"@{tag}_taro", external_id=f"{tag}-1")
    fire = add_post(db, clock, f"{tag}福島区野田で火災", ["fire"], scope=scope, ward="福島区", place="野田",
                    lat=34.6924, lon=135.4716, precision="town", author=f"@{tag}_hanako", external_id=f"{tag}-2")
    add_post(db, clock, f"{tag}今日のランチ", ["none"], scope=scope, external_id=f"{tag}-3")
    damage = reports.submit("damage", "港区", {"type": "bridge", "severity": "critical", "place": "弁天1-2-3",
                                                "lat": 34.6689, "lon": 135.4611}, author=f"{tag}港区 山田").report_id
    shelter = reports.submit("shelter", "阿倍野区", {"name": "阿倍野スポーツセンター", "status": "full",
                                                 "evacuees": 350, "households": 140, "capacity": 350,
                                                 "needs": ["water", "blanket"]}, author=f"{tag}阿倍野区").report_id
    clock.advance(60)
    triage.acknowledge("post", rescue, actor="op")
    triage.verify("post", rescue, actor="op")
    triage.share("post", rescue, ["北区", "消防局"], actor="op")
    triage.acknowledge("report", damage, actor="op")
    triage.share("report", damage, ["建設局"], actor="op")
    desk.ids.update({f"{tag}rescue": ("post", rescue), f"{tag}fire": ("post", fire),
                     f"{tag}damage": ("report", damage), f"{tag}shelter": ("report", shelter)})


@pytest.fixture
def desk(db, clock):
    """Real: a shared rescue post, a fire post, a shared damage report, a shelter report; the same as drill."""
    desk = Desk()
    _fill(db, clock, REAL_SCOPE, "", desk)
    _fill(db, clock, DRILL, "訓練", desk)
    return desk


@pytest.fixture
def desk_sqlite(sqlite_db, clock):
    desk = Desk()
    _fill(sqlite_db, clock, REAL_SCOPE, "", desk)
    _fill(sqlite_db, clock, DRILL, "訓練", desk)
    return desk
