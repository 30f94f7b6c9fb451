"""Scripted ``action`` injects: run as the scenario (counted apart from people) or left to the trainees."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from disaster_desk.cli import main
from disaster_desk.core.models import DrillEvent, ShareEvent
from disaster_desk.core.triage import TriageService
from drills.engine import DrillEngine
from drills.metrics import SCRIPT_ACTOR, bulletin_accesses

DATA = Path(__file__).parent / "data"


def test_scripted_shares_and_ticks_are_counted_apart_from_a_persons(sqlite_db, small_scenario, keyword_analyser):
    engine = DrillEngine(small_scenario, sqlite_db, speed=1.0, analyser=keyword_analyser)
    engine.start()
    engine.jump(180)  # the three posts are in; nothing scripted yet
    triage = TriageService(sqlite_db, engine.clock, engine.scope)
    with sqlite_db.session() as s:
        post_id = s.scalar(select(DrillEvent.data["post_id"].as_integer()).where(
            DrillEvent.run_id == engine.run_id, DrillEvent.data["index"].as_integer() == 2))
    triage.acknowledge("post", post_id, actor="trainee")
    triage.share("post", post_id, ["淀川区"], actor="trainee")
    engine.tick_checklist("sns", "trainee")
    engine.jump(16 * 60)
    m = engine.metrics()
    assert m["items_shared"] == 4 and m["items_shared_by"] == {"human": 1, "scripted": 3}
    by = {c["id"]: c["by"] for c in m["checklist"]}
    assert by == {"net": "scripted", "hq-open": "scripted", "sns": "human"}
    with sqlite_db.session() as s:
        actors = set(s.scalars(select(ShareEvent.actor).where(ShareEvent.run_id == engine.run_id)))
    assert actors == {"trainee", SCRIPT_ACTOR}


def test_with_scripted_actions_off_nothing_is_shared_for_the_trainee(sqlite_db, small_scenario, keyword_analyser):
    engine = DrillEngine(small_scenario, sqlite_db, speed=None, analyser=keyword_analyser, scripted_actions=False)
    m = engine.run_to_end()
    assert m["items_shared"] == 0 and m["items_shared_by"] == {"human": 0, "scripted": 0}
    assert all(c["done_at_s"] is None for c in m["checklist"])
    with sqlite_db.session() as s:
        expected = [e.data for e in s.scalars(select(DrillEvent).where(DrillEvent.run_id == engine.run_id,
                                                                         DrillEvent.kind == "inject"))
                    if e.data["kind"] == "action"]
    assert len(expected) == 7 and all(d["scripted"] is False for d in expected)  # logged as what was expected
    assert {d["action"] for d in expected} == {"share", "acknowledge", "checklist"}


def _log(tmp_path: Path, run_id: str) -> Path:
    page = f"/b/drill-{run_id}-20260117-060000-1.html"
    lines = [
        f'10.0.0.1 - - [17/Jan/2026:06:00:00 +0900] "GET {page} HTTP/1.1" 200 512',
        f'10.0.0.2 - - [17/Jan/2026:06:00:05 +0900] "GET {page} HTTP/1.1" 304 0',
        f'10.0.0.2 - - [17/Jan/2026:06:01:00 +0900] "GET {page} HTTP/1.1" 404 0',  # not served: not counted
        '10.0.0.3 - - [17/Jan/2026:06:02:00 +0900] "GET /b/20260117-060000-1.html HTTP/1.1" 200 512',  # real
        '10.0.0.3 - - [17/Jan/2026:06:02:00 +0900] "GET /b/drill-other-run-1.html HTTP/1.1" 200 512',
        "garbage",
    ]
    path = tmp_path / "access.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bulletin_accesses_count_only_this_runs_pages(tmp_path):
    counted = bulletin_accesses("20260117-000000-abcdef", _log(tmp_path, "20260117-000000-abcdef"))
    assert (counted["hits"], counted["visitors"], counted["malformed_lines"]) == (2, 2, 1)
    assert counted["bulletins"] == {"drill-20260117-000000-abcdef-20260117-060000-1": 2}


def test_drill_run_access_log_adds_the_count_to_metrics(tmp_path, sqlite_url, capsys):
    out = tmp_path / "out"
    log = _log(tmp_path, "some-earlier-run")
    assert main(["drill", "run", str(DATA / "small.yaml"), "--speed", "max", "--db", sqlite_url,
                 "--out", str(out), "--access-log", str(log)]) == 0, capsys.readouterr().err
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["bulletin_accesses"] == {"hits": 0, "visitors": 0, "bulletins": {}, "log_lines": 6,
                                            "malformed_lines": 1}  # another run's pages are not this run's
    assert metrics["items_shared"] == 3  # the contract's keys are unchanged
    assert '<td>発信情報へのアクセス数</td><td class="actual">0件</td>' in (out / "report.html").read_text("utf-8")


def test_a_missing_access_log_is_a_user_error(tmp_path, sqlite_url, capsys):
    assert main(["drill", "run", str(DATA / "small.yaml"), "--speed", "max", "--db", sqlite_url,
                 "--access-log", str(tmp_path / "nope.log")]) == 2
    assert "access log not found" in capsys.readouterr().err
