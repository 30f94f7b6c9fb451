"""Drill KPIs, computed from the stored, timestamped rows of one run.

Nothing here reads the scenario file: the numbers are what the database says
happened (posts, analyses, reports, share events, drill events), so a drill
played by people and a scripted one are measured the same way. The keys are
exactly those of ``metrics.json`` in docs/cli.md.

Statistics: ``median`` is the usual middle value (mean of the two middle ones
for an even count); ``p90``/``p95`` are nearest-rank percentiles (the value at
rank ceil(p·n) of the sorted list), so each is a value that really occurred.

Additive keys (beyond the CLI contract's list): ``alerts_received`` (JMA
telegrams of the run), ``items_shared_by`` ({human, scripted}: an item counts
as human when a person shared it, scripted when only the scenario did),
``by`` on each checklist entry, and ``bulletin_accesses`` when an access log
is given (``drill run --access-log``): page hits on this run's bulletins;
``audit_chain_head`` ({seq, hash}: the newest row of the whole audit log's
hash chain when the metrics were computed, core.audit_chain.head — what
``disaster-desk admin verify-audit`` reports as the head of an intact chain).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from disaster_desk.core import audit_chain
from disaster_desk.core.db import Database
from disaster_desk.core.models import Analysis, DrillEvent, DrillRun, Incident, OfficialAlert, Post, Report, ShareEvent
from disaster_desk.core.modes import Scope, mode_filter
from disaster_desk.core.stats import REPORT_KINDS
from disaster_desk.errors import UserError


def nearest_rank(values: Sequence[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p * len(ordered))) - 1]


def _median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(float(value), digits)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _speed(label: str) -> float | str:
    try:
        return float(label)
    except ValueError:
        return label  # "max"


#: The actor of scripted ``action`` injects (shares, acknowledgements, checklist ticks), so the KPIs
#: can tell them from a person's actions.
SCRIPT_ACTOR = "drill:scenario"


def compute_metrics(db: Database, run_id: str, checklist_ids: Sequence[str] | None = None, *,
                    access_log: str | Path | None = None) -> dict[str, Any]:
    """The metrics.json of drill run ``run_id`` (live while it runs)."""
    metrics = _compute(db, run_id, checklist_ids)[0]
    with db.session() as s:
        metrics["audit_chain_head"] = audit_chain.head(s).as_json()
    if access_log is not None:
        metrics["bulletin_accesses"] = bulletin_accesses(run_id, access_log)
    return metrics


def bulletin_accesses(run_id: str, access_log: str | Path) -> dict[str, Any]:
    """発信情報へのアクセス数: successful fetches of this run's bulletin pages in a CLF access log.

    A drill bulletin's id starts ``drill-<run_id>-`` (core.bulletin), so pages of
    other runs and of real bulletins in the same log are not counted.
    """
    from disaster_desk.core.bulletin_stats import parse_access_log

    stats = parse_access_log(access_log)
    prefix = f"drill-{run_id}-"
    mine = {b: n for b, n in stats.bulletins.items() if b.startswith(prefix)}
    return {
        "hits": sum(mine.values()),
        "visitors": sum(stats.visitors[b] for b in mine),
        "bulletins": dict(sorted(mine.items())),
        "log_lines": stats.lines,
        "malformed_lines": len(stats.malformed),
    }


def share_delays(db: Database, run_id: str) -> list[float]:
    """Time-to-share of every shared item, in scenario seconds (for the histogram)."""
    return _compute(db, run_id, None)[1]


def _compute(db: Database, run_id: str, checklist_ids: Sequence[str] | None) -> tuple[dict[str, Any], list[float]]:
    scope = Scope.drill(run_id)
    with db.session() as s:
        run = s.get(DrillRun, run_id)
        if run is None:
            raise UserError(f"no drill run {run_id!r}")
        t0 = run.scenario_start

        def secs(when: datetime) -> float:
            return (when - t0).total_seconds()

        events = s.scalars(select(DrillEvent).where(DrillEvent.run_id == run_id).order_by(DrillEvent.id)).all()
        injected = [e for e in events if e.kind == "inject" and (e.data or {}).get("kind") == "post"]
        posts = s.execute(select(Post.id, Post.collected_at).where(mode_filter(Post, scope))).all()
        labels = s.scalars(
            select(Analysis.labels).join(Post, Post.id == Analysis.post_id).where(mode_filter(Post, scope))
        ).all()
        reports = s.scalars(select(Report).where(mode_filter(Report, scope)).order_by(Report.received_at, Report.id)).all()
        incidents = s.execute(
            select(Incident.id, func.coalesce(func.min(Post.collected_at), Incident.first_at))
            .outerjoin(Post, Post.incident_id == Incident.id)
            .where(mode_filter(Incident, scope)).group_by(Incident.id, Incident.first_at)
        ).all()
        shares = s.execute(
            select(ShareEvent.item_type, ShareEvent.item_id, ShareEvent.shared_at, ShareEvent.actor)
            .where(mode_filter(ShareEvent, scope))
        ).all()
        alerts = s.scalar(select(func.count(OfficialAlert.id)).where(mode_filter(OfficialAlert, scope))) or 0

    by_label: Counter[str] = Counter()
    for post_labels in labels:
        by_label.update(post_labels)

    received = {("post", p.id): p.collected_at for p in posts}
    received.update({("report", r.id): r.received_at for r in reports})
    # an incident reached the system with its first post (as core.triage.received_times says)
    received.update({("incident", i_id): first for i_id, first in incidents})
    first_share: dict[tuple[str, int], datetime] = {}
    by_person: set[tuple[str, int]] = set()
    for item_type, item_id, shared_at, actor in shares:
        key = (item_type, item_id)
        if key not in first_share or shared_at < first_share[key]:
            first_share[key] = shared_at
        if actor != SCRIPT_ACTOR:
            by_person.add(key)
    to_share = [(at - received[key]).total_seconds() for key, at in first_share.items() if key in received]

    first_report: dict[str, float] = {}
    muster: list[dict[str, Any]] = []
    latest: dict[str, tuple[int, int]] = {}
    for report in reports:
        if report.ward and report.ward not in first_report:
            first_report[report.ward] = _round(secs(report.received_at))
        if report.kind == "muster":
            latest[report.payload["office"]] = (int(report.payload["arrived"]), int(report.payload["expected"]))
            muster.append({
                "t_s": _round(secs(report.received_at)),
                "arrived": sum(a for a, _ in latest.values()),
                "expected": sum(e for _, e in latest.values()),
            })

    ticks: dict[str, float] = {}
    tick_by: dict[str, str] = {}
    for event in events:
        if event.kind == "checklist":
            item = (event.data or {}).get("id")
            if item not in ticks:
                ticks[item] = event.t_s
                tick_by[item] = "scripted" if (event.data or {}).get("actor") == SCRIPT_ACTOR else "human"
    ids = list(checklist_ids) if checklist_ids is not None else list(ticks)
    latencies = [float(e.data["latency_ms"]) for e in injected if e.data.get("latency_ms") is not None]

    kinds = Counter(r.kind for r in reports)
    return {
        "scenario": run.scenario,
        "run_id": run.id,
        "speed": _speed(run.speed),
        "started_at": _iso(run.started_at),
        "ended_at": _iso(run.ended_at),
        "posts_injected": len(injected),
        "posts_collected": len(posts),
        "posts_relevant": sum(1 for post_labels in labels if list(post_labels) != ["none"]),
        "posts_by_label": dict(sorted(by_label.items())),
        "reports_received": {kind: kinds.get(kind, 0) for kind in REPORT_KINDS},
        "items_shared": len(first_share),
        "items_shared_by": {"human": len(by_person), "scripted": len(first_share) - len(by_person)},
        "alerts_received": alerts,
        "time_to_share_s": {
            "count": len(to_share),
            "median": _round(_median(to_share)),
            "p90": _round(nearest_rank(to_share, 0.9)),
            "max": _round(max(to_share, default=None)),
        },
        "time_to_first_report_s": first_report,
        "muster": muster,
        "checklist": [{"id": item, "done_at_s": _round(ticks.get(item)), "by": tick_by.get(item)} for item in ids],
        "pipeline_latency_ms": {
            "median": _round(_median(latencies)),
            "p95": _round(nearest_rank(latencies, 0.95)),
        },
    }, to_share
