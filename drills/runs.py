"""Stored drill runs: who plays them, runs whose process died, reports of any run.

A run is played by one process. :func:`claim` records the host and pid in the
run's row, and the engine refreshes ``heartbeat_at`` every
:data:`HEARTBEAT_S` while it plays. A run still ``running`` whose process is
gone — same host and no such pid (or a zombie), or another host and no
heartbeat for :data:`STALE_S` — is marked ``interrupted`` by
:func:`mark_interrupted`, which the app, every ``drill`` command and
:meth:`drills.engine.DrillEngine.start` call first. A PostgreSQL login that
may not write drill runs (ward, viewer, collector) leaves them as they are
with one warning in the log. Its metrics are computed
from the stored rows (drills.metrics) and kept in the row, so
``drill report RUN_ID`` can build its report like that of a finished run.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from disaster_desk.core import audit
from disaster_desk.core.db import Database
from disaster_desk.core.models import DrillRun
from disaster_desk.core.modes import Scope
from disaster_desk.errors import UserError

log = logging.getLogger(__name__)

#: How often a playing engine writes its heartbeat (seconds).
HEARTBEAT_S = 30.0
#: A run of another host without a heartbeat for this long is taken as dead (seconds).
STALE_S = 180.0
INTERRUPTED = "interrupted"
#: Who marks a dead run (the audit log's actor).
ACTOR = "system:drill-recovery"


def this_host() -> str:
    return socket.gethostname()[:255]


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` runs on this host (a zombie — killed, not yet reaped — is dead)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    except OSError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    try:
        state = stat.read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (not Linux): the signal check is all we have
    return state not in ("Z", "X")


def claim(run: DrillRun, now: datetime) -> None:
    """Mark ``run`` as played by this process."""
    run.host, run.pid, run.heartbeat_at = this_host(), os.getpid(), now


def is_dead(run: DrillRun, now: datetime, *, host: str | None = None) -> bool:
    """Whether the process that plays ``run`` is gone."""
    host = host or this_host()
    if run.host == host and run.pid is not None:
        return run.pid != os.getpid() and not pid_alive(run.pid)
    last = run.heartbeat_at or run.started_at
    return last is None or now - last > timedelta(seconds=STALE_S)


def may_mark(db: Database) -> bool:
    """Whether this login may mark runs interrupted (on PostgreSQL a ward, viewer or collector login may not)."""
    if not db.is_postgres:
        return True
    with db.engine.connect() as conn:
        return bool(conn.scalar(text("SELECT has_table_privilege('drill_runs', 'UPDATE') "
                                     "AND has_table_privilege('audit_log', 'INSERT')")))


def mark_interrupted(db: Database, now: datetime) -> list[str]:
    """Mark every ``running`` run whose process is gone as ``interrupted``; returns their ids.

    The run's metrics are computed from its stored rows, so its report can be built.
    """
    from drills.metrics import compute_metrics

    with db.session() as s:
        running = s.scalars(select(DrillRun).where(DrillRun.status == "running")).all()
        dead = [run.id for run in running if is_dead(run, now)]
    if dead and not may_mark(db):
        log.warning("drill runs %s look interrupted (their process is gone), but this database login may not "
                    "mark them (no UPDATE on drill_runs): left running for an hq or drill station",
                    ", ".join(dead))
        return []
    marked: list[str] = []
    for run_id in dead:
        with db.session() as s:
            run = s.get(DrillRun, run_id, with_for_update=True)
            if run is None or run.status != "running":  # another process got there first
                continue
            run.status = INTERRUPTED
            run.ended_at = run.heartbeat_at or now
            audit.record(s, at=now, actor=ACTOR, action="drill.interrupted", item_type="drill_run", item_id=run_id,
                         scope=Scope.drill(run_id), after={"host": run.host, "pid": run.pid,
                                                           "last_heartbeat": run.heartbeat_at and
                                                           run.heartbeat_at.isoformat()})
        try:
            metrics = compute_metrics(db, run_id, _checklist_ids(db, run_id))
        except Exception:  # the status matters more than the figures; drill report recomputes them
            log.exception("drill %s: metrics of the interrupted run not computed", run_id)
        else:
            with db.session() as s:
                s.get(DrillRun, run_id).metrics = metrics
        log.warning("drill %s: its process is gone; marked interrupted", run_id)
        marked.append(run_id)
    return marked


def _scenario_of(db: Database, run_id: str) -> Any:
    """The run's scenario if its file is still there and valid, else None (the report does without)."""
    from drills.scenario import load_scenario

    with db.session() as s:
        run = s.get(DrillRun, run_id)
        path = run.scenario_path if run else None
    if not path or not Path(path).is_file():
        return None
    try:
        return load_scenario(path)
    except UserError:
        return None


def _checklist_ids(db: Database, run_id: str) -> list[str] | None:
    scenario = _scenario_of(db, run_id)
    return [c.id for c in scenario.checklist] if scenario else None


def build_report(db: Database, run_id: str, out_dir: str | Path, *, access_log: str | Path | None = None
                 ) -> tuple[dict[str, Any], Path]:
    """Write ``metrics.json`` and ``report.html`` of any stored run into ``out_dir``.

    The metrics are computed from the stored rows (a finished, stopped, failed or
    interrupted run alike); returns them and the report's path.
    """
    import json

    from drills.metrics import compute_metrics
    from drills.report import write_report

    with db.session() as s:
        if s.get(DrillRun, run_id) is None:
            raise UserError(f"no drill run {run_id!r}")
    scenario = _scenario_of(db, run_id)
    metrics = compute_metrics(db, run_id, [c.id for c in scenario.checklist] if scenario else None,
                              access_log=access_log)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    return metrics, write_report(db, run_id, out, scenario, metrics=metrics)
