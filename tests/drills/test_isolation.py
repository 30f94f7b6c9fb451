"""Drill data and real data in one database never mix, in either direction."""

from __future__ import annotations

from datetime import timedelta

from disaster_desk.core.analysis import AnalysisService
from disaster_desk.core.clock import ManualClock
from disaster_desk.core.ingest import IngestService, RawPost
from disaster_desk.core.map_items import map_items
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.queue import QueueFilter, QueueService
from disaster_desk.core.reports import ReportService
from disaster_desk.core.stats import counts
from disaster_desk.core.triage import TriageService
from drills.engine import DrillEngine


def add_real_data(db, analyser, start):
    """Real items that a careless drill query would pick up: same texts, earlier times."""
    clock = ManualClock(start - timedelta(minutes=30))
    ids = IngestService(db, clock).ingest([
        RawPost("x", "real-1", "北区中崎町で火事。本物の通報", author="citizen"),
        RawPost("x", "real-2", "住民情報システムの件 (本物)", author="citizen"),
    ]).new_ids
    AnalysisService(db, analyser, clock).analyse_ids(ids)
    ReportService(db, clock).submit("muster", "北区", {"office": "北区役所", "arrived": 70, "expected": 80}, author="kita")
    ReportService(db, clock).submit("damage", "淀川区", {"type": "road", "severity": "major", "place": "十三大橋"},
                                    author="yodo")
    triage = TriageService(db, clock)
    triage.acknowledge("post", ids[0], actor="op")
    triage.share("post", ids[0], ["北区"], actor="op")
    return ids


def test_drill_metrics_ignore_real_data(db, small_scenario, keyword_analyser):
    add_real_data(db, keyword_analyser, small_scenario.start)
    m = DrillEngine(small_scenario, db, speed=None, analyser=keyword_analyser).run_to_end()
    # the same hand-worked figures as on an empty database (test_metrics.py)
    assert (m["posts_collected"], m["posts_relevant"], m["items_shared"]) == (4, 3, 3)
    assert m["reports_received"] == {"shelter": 1, "damage": 1, "muster": 3, "system": 1}
    assert m["time_to_share_s"] == {"count": 3, "median": 300.0, "p90": 420.0, "max": 420.0}
    assert m["muster"][-1] == {"t_s": 660.0, "arrived": 50, "expected": 140}
    assert m["time_to_first_report_s"] == {"北区": 240.0, "淀川区": 360.0}


def test_real_views_ignore_drill_data(db, small_scenario, keyword_analyser):
    add_real_data(db, keyword_analyser, small_scenario.start)
    before = counts(db, REAL_SCOPE)
    queue_before = QueueService(db, REAL_SCOPE).count(QueueFilter(include_none=True))
    map_before = {item.key for item in map_items(db, REAL_SCOPE, registry=False)}

    engine = DrillEngine(small_scenario, db, speed=None, analyser=keyword_analyser)
    engine.run_to_end()

    assert counts(db, REAL_SCOPE) == before == {
        "posts": 2, "posts_analysed": 2, "posts_analysis_failed": 0, "reports": {"shelter": 0, "damage": 1, "muster": 1, "system": 0}, "shared": 1,
    }
    assert QueueService(db, REAL_SCOPE).count(QueueFilter(include_none=True)) == queue_before
    assert {item.key for item in map_items(db, REAL_SCOPE, registry=False)} == map_before
    drill = counts(db, Scope.drill(engine.run_id))
    assert drill["posts"] == 4 and drill["shared"] == 3
    assert QueueService(db, Scope.drill(engine.run_id)).count(QueueFilter(include_none=True)) >= 4 + 6


def test_two_drill_runs_do_not_mix(sqlite_db, small_scenario, keyword_analyser):
    first = DrillEngine(small_scenario, sqlite_db, speed=None, analyser=keyword_analyser).run_to_end()
    second = DrillEngine(small_scenario, sqlite_db, speed=None, analyser=keyword_analyser).run_to_end()
    assert first["run_id"] != second["run_id"]
    for m in (first, second):
        assert (m["posts_collected"], m["items_shared"], m["reports_received"]["muster"]) == (4, 3, 3)
