"""Runs whose process died are ``interrupted`` at the next start, and any stored run gets its report.

The drill is played by a real subprocess that is killed with SIGKILL halfway
(no chance to clean up); the next start (``drill report``, here through the
CLI) finds its pid gone, marks the run interrupted and builds its report from
the stored rows. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from disaster_desk.cli import main
from disaster_desk.core.db import Database
from disaster_desk.core.models import AuditEntry, DrillEvent, DrillRun
from drills import runs

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]

PLAYER = """
import sys
from disaster_desk.core.db import Database
from drills.engine import DrillEngine
from drills.scenario import load_scenario
from tests.drills.conftest import KeywordAnalyser

db = Database.open(sys.argv[1])
engine = DrillEngine(load_scenario(sys.argv[2]), db, speed=30.0, analyser=KeywordAnalyser(), actor="drill:test")
engine.start()
print(engine.run_id, flush=True)
engine.run_to_end()
"""


def _injects_played(db: Database, run_id: str) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(DrillEvent).where(
            DrillEvent.run_id == run_id, DrillEvent.kind == "inject"))


def test_a_killed_drill_is_interrupted_at_the_next_start_and_gets_its_report(db_url, tmp_path):
    db = Database.open(db_url)  # migrated before the player opens it: two first migrations at once collide
    player = subprocess.Popen([sys.executable, "-c", PLAYER, db_url, str(DATA / "small.yaml")], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        run_id = player.stdout.readline().strip()
        assert run_id, player.stderr.read()
        deadline = time.monotonic() + 60
        while _injects_played(db, run_id) < 4:  # the first four injects are 2 s apart at speed 30
            assert time.monotonic() < deadline and player.poll() is None, player.stderr.read()
            time.sleep(0.2)
        player.send_signal(signal.SIGKILL)
        player.wait(10)
        with db.session() as s:
            run = s.get(DrillRun, run_id)
            assert (run.status, run.pid, run.host) == ("running", player.pid, runs.this_host())
        played = _injects_played(db, run_id)
        assert played < 17  # killed halfway

        out = tmp_path / "report"
        assert main(["drill", "report", run_id, "--out", str(out), "--db", db_url]) == 0
        with db.session() as s:
            run = s.get(DrillRun, run_id)
            assert run.status == "interrupted" and run.ended_at is not None and run.metrics is not None
            audited = s.scalars(select(AuditEntry.action).where(AuditEntry.item_id == run_id)).all()
        assert "drill.interrupted" in audited
        metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
        assert metrics["run_id"] == run_id
        with db.session() as s:
            kinds = [e.data["kind"] for e in s.scalars(select(DrillEvent).where(
                DrillEvent.run_id == run_id, DrillEvent.kind == "inject"))]
        assert metrics["posts_collected"] == kinds.count("post") >= 2  # the posts stored before the kill
        assert [c["id"] for c in metrics["checklist"]] == ["net", "hq-open", "sns"]  # the scenario file was found
        html = (out / "report.html").read_text(encoding="utf-8")
        assert "中断（プロセス停止）" in html and run_id in html
    finally:
        if player.poll() is None:
            player.kill()
            player.wait(10)
        db.dispose()


def _run(s, run_id: str, *, host: str, pid: int | None, beat_s_ago: float | None, now) -> None:
    s.add(DrillRun(id=run_id, scenario="t", speed="1", scenario_start=now, started_at=now - timedelta(hours=1),
                   status="running", host=host, pid=pid,
                   heartbeat_at=None if beat_s_ago is None else now - timedelta(seconds=beat_s_ago)))


def test_only_runs_whose_process_is_gone_are_marked(db, clock):
    now = clock.now()
    with db.session() as s:
        _run(s, "alive-here", host=runs.this_host(), pid=os.getpid(), beat_s_ago=3600, now=now)
        _run(s, "dead-here", host=runs.this_host(), pid=2**22 + 12345, beat_s_ago=1, now=now)
        _run(s, "beating-elsewhere", host="other-station", pid=1, beat_s_ago=runs.STALE_S / 2, now=now)
        _run(s, "silent-elsewhere", host="other-station", pid=1, beat_s_ago=runs.STALE_S * 2, now=now)
        _run(s, "legacy", host=None, pid=None, beat_s_ago=None, now=now)
    assert sorted(runs.mark_interrupted(db, now)) == ["dead-here", "legacy", "silent-elsewhere"]
    assert runs.mark_interrupted(db, now) == []  # once
    with db.session() as s:
        states = dict(s.execute(select(DrillRun.id, DrillRun.status)).all())
    assert states["alive-here"] == states["beating-elsewhere"] == "running"
    assert states["dead-here"] == "interrupted"


def test_report_of_an_unknown_run_is_one_line(sqlite_url, tmp_path, capsys):
    assert main(["drill", "report", "nope", "--out", str(tmp_path / "r"), "--db", sqlite_url]) == 2
    err = capsys.readouterr().err
    assert err == "disaster-desk: error: no drill run 'nope'\n"


@pytest.mark.parametrize("speed", ["max"])
def test_report_of_a_finished_run_matches_its_metrics(sqlite_url, tmp_path, speed, capsys):
    assert main(["drill", "run", str(DATA / "small.yaml"), "--speed", speed, "--db", sqlite_url,
                 "--out", str(tmp_path / "run")]) == 0
    first = json.loads((tmp_path / "run" / "metrics.json").read_text(encoding="utf-8"))
    assert main(["drill", "report", first["run_id"], "--out", str(tmp_path / "again"), "--db", sqlite_url]) == 0
    again = json.loads((tmp_path / "again" / "metrics.json").read_text(encoding="utf-8"))
    assert again == first
    assert "finished" in capsys.readouterr().out


@pytest.mark.parametrize("role", ["viewer", "ward", "collector"])
def test_a_login_that_may_not_write_drill_runs_leaves_them_with_one_warning(cluster, clock, role, tmp_path, caplog,
                                                                            capsys):
    now = clock.now()
    owner = cluster.open(cluster.url)
    with owner.session() as s:
        _run(s, "dead-here", host=runs.this_host(), pid=2**22 + 12345, beat_s_ago=1, now=now)
    url = cluster.station("s1", role, "北区" if role == "ward" else None)
    login = cluster.open(url)
    with caplog.at_level("WARNING", logger="drills.runs"):
        assert runs.mark_interrupted(login, now) == []
    (line,) = [r.getMessage() for r in caplog.records if r.name == "drills.runs"]
    assert "dead-here" in line and "may not mark them" in line and "hq or drill station" in line
    # the CLI starts the same way (drill report RUN_ID marks dead runs first) and does not fail over it
    if role == "ward":  # a ward may not read drill events: refused by the database, said in one line
        assert main(["drill", "report", "dead-here", "--out", str(tmp_path / "r"), "--db", url]) == 2
        assert capsys.readouterr().err == ("disaster-desk: error: the database refused this login: "
                                           "permission denied for table drill_events\n")
    else:
        assert main(["drill", "report", "dead-here", "--out", str(tmp_path / "r"), "--db", url]) == 0
        assert "dead-here running" in capsys.readouterr().out
    with owner.session() as s:
        assert s.get(DrillRun, "dead-here").status == "running"
    assert runs.mark_interrupted(owner, now) == ["dead-here"]  # an owner/hq/drill login marks it
