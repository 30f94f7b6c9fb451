"""Aggregates of ward reports for the common operating picture.

Each shelter, office and system is counted by its *latest* report (by
received time): a shelter reported open then full is one full shelter. Damage
reports are individual items (an edit changes them in place). Everything is
computed for one :class:`Scope`, so drill reports never reach a real view.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from disaster_desk.core.area import OSAKA_WARDS
from disaster_desk.core.db import Database
from disaster_desk.core.models import Report
from disaster_desk.core.modes import Scope, mode_filter

#: ICT-BCP initial-response target: share of expected staff arrived.
BCP_MUSTER_TARGET = 0.5

SHELTER_STATUSES = ("unopened", "open", "full", "closed")
SYSTEM_STATUSES = ("down", "degraded", "unknown", "up")  # worst first


@dataclass
class ShelterCounts:
    unopened: int = 0
    open: int = 0
    full: int = 0
    closed: int = 0
    evacuees: int = 0
    households: int = 0
    capacity: int = 0

    def add(self, payload: dict[str, Any]) -> None:
        setattr(self, payload["status"], getattr(self, payload["status"]) + 1)
        if payload["status"] in ("open", "full"):
            self.evacuees += payload.get("evacuees", 0)
            self.households += payload.get("households", 0)
            self.capacity += payload.get("capacity", 0)

    @property
    def occupancy(self) -> float | None:
        return self.evacuees / self.capacity if self.capacity else None


@dataclass
class ShelterSummary:
    wards: dict[str, ShelterCounts]
    city: ShelterCounts


@dataclass
class MusterOffice:
    ward: str | None
    office: str
    arrived: int
    expected: int
    at: datetime

    @property
    def rate(self) -> float | None:
        return self.arrived / self.expected if self.expected else None

    @property
    def at_target(self) -> bool:
        return self.rate is not None and self.rate >= BCP_MUSTER_TARGET


@dataclass
class MusterPoint:
    at: datetime
    arrived: int
    expected: int

    @property
    def rate(self) -> float | None:
        return self.arrived / self.expected if self.expected else None


@dataclass
class MusterSummary:
    offices: list[MusterOffice]
    wards: dict[str, MusterPoint]
    city: MusterPoint | None
    #: City-wide totals of every office's latest report, after each muster report.
    series: list[MusterPoint] = field(default_factory=list)


@dataclass
class SystemStatus:
    system: str
    ward: str | None
    status: str
    note: str | None
    at: datetime
    report_id: int


def _reports(db: Database, scope: Scope, kind: str) -> list[Report]:
    with db.session() as session:
        return list(session.scalars(
            select(Report).where(Report.kind == kind, mode_filter(Report, scope))
            .order_by(Report.received_at, Report.id)
        ))


def latest_shelters(db: Database, scope: Scope) -> dict[tuple[str | None, str], Report]:
    """The latest report of each shelter, keyed by (ward, name)."""
    return {(r.ward, r.payload["name"]): r for r in _reports(db, scope, "shelter")}


def shelter_summary(db: Database, scope: Scope) -> ShelterSummary:
    wards: dict[str, ShelterCounts] = {ward: ShelterCounts() for ward in OSAKA_WARDS}
    city = ShelterCounts()
    for (ward, _name), report in latest_shelters(db, scope).items():
        wards.setdefault(ward or "", ShelterCounts()).add(report.payload)
        city.add(report.payload)
    return ShelterSummary(wards, city)


def muster_summary(db: Database, scope: Scope) -> MusterSummary:
    latest: dict[tuple[str | None, str], MusterOffice] = {}
    series: list[MusterPoint] = []
    for report in _reports(db, scope, "muster"):
        p = report.payload
        latest[(report.ward, p["office"])] = MusterOffice(report.ward, p["office"], p["arrived"], p["expected"],
                                                          report.received_at)
        series.append(MusterPoint(report.received_at, sum(o.arrived for o in latest.values()),
                                  sum(o.expected for o in latest.values())))
    wards: dict[str, MusterPoint] = {}
    for office in latest.values():
        key = office.ward or ""
        point = wards.get(key)
        wards[key] = MusterPoint(
            max(point.at, office.at) if point else office.at,
            (point.arrived if point else 0) + office.arrived,
            (point.expected if point else 0) + office.expected,
        )
    offices = sorted(latest.values(), key=lambda o: (_ward_order(o.ward), o.office))
    return MusterSummary(offices, wards, series[-1] if series else None, series)


def damage_summary(db: Database, scope: Scope) -> dict[str, Counter[str]]:
    """Counts by damage type, then by status (and by severity under ``severity:<x>``)."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for report in _reports(db, scope, "damage"):
        p = report.payload
        table[p["type"]][p.get("status", "reported")] += 1
        table[p["type"]][f"severity:{p['severity']}"] += 1
    return dict(table)


def system_board(db: Database, scope: Scope) -> list[SystemStatus]:
    """The latest status of each (system, ward), worst first."""
    latest: dict[tuple[str, str | None], SystemStatus] = {}
    for report in _reports(db, scope, "system"):
        p = report.payload
        latest[(p["system"], report.ward)] = SystemStatus(p["system"], report.ward, p["status"], p.get("note"),
                                                          report.received_at, report.id)
    return sorted(latest.values(), key=lambda s: (SYSTEM_STATUSES.index(s.status), _ward_order(s.ward), s.system))


def _ward_order(ward: str | None) -> int:
    return OSAKA_WARDS.index(ward) if ward in OSAKA_WARDS else -1
