"""The drill replay engine: injects enter through the real paths, on a scaled clock.

Posts go through :class:`~disaster_desk.core.ingest.IngestService` and
:class:`~disaster_desk.core.analysis.AnalysisService`, reports through
:class:`~disaster_desk.core.reports.ReportService`, scripted actions through
the triage service (:mod:`drills.actions`), JMA telegrams through the JMA
parser and :class:`~disaster_desk.core.alerts.AlertService` — all in
``Scope.drill(run_id)``.

Scripted actions (``action`` injects) run under :data:`SCRIPT_ACTOR`, so the
KPIs can tell them from a trainee's own actions. ``scripted_actions=False``
(the GUI's default: a GUI drill is for trainees) leaves them to the people:
each is logged as an expected action, not performed.

Time is a :class:`~disaster_desk.core.clock.ScaledClock`. Two ways to drive it:

* the GUI calls :meth:`DrillEngine.step_due` from a ``QTimer`` (each call does
  the injects that are due, so the GUI thread is never blocked for long);
* headless, :meth:`run_to_end` schedules a wake-up with APScheduler at the
  wall time of the next inject, ``(t_s - elapsed) / speed`` from now, and
  re-schedules on pause/resume/jump/speed change. ``speed=None`` ("max")
  jumps the clock to each inject in turn.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from disaster_desk.core import audit
from disaster_desk.core.alerts import AlertService
from disaster_desk.core.analysis import AnalysisService
from disaster_desk.core.clock import ScaledClock, SystemClock
from disaster_desk.core.db import Database
from disaster_desk.core.ingest import IngestService, RawPost
from disaster_desk.core.models import DrillEvent, DrillRun
from disaster_desk.core.modes import Scope
from disaster_desk.core.reports import ReportService
from disaster_desk.errors import UserError
from drills import actions, runs
from drills.metrics import SCRIPT_ACTOR, compute_metrics
from drills.scenario import Inject, Scenario

log = logging.getLogger(__name__)


_KIND_JA = {"post": "投稿", "report": "区報告", "action": "操作", "jma": "気象庁電文"}


def speed_label(speed: float | None) -> str:
    return "max" if speed is None else f"{speed:g}"


class DrillEngine:
    """One run of a scenario. Thread-safe: every public method takes the engine lock."""

    def __init__(
        self,
        scenario: Scenario,
        db: Database,
        *,
        speed: float | None,
        analyser: Any = None,
        actor: str = "drill",
        wall_clock: Any = None,
        scripted_actions: bool = True,
    ) -> None:
        if speed is not None and speed <= 0:
            raise UserError("speed must be positive (or max)")
        self.scenario = scenario
        self.db = db
        self.speed = speed
        self.actor = actor
        self.scripted_actions = scripted_actions
        self._analyser = analyser
        self.wall = wall_clock or SystemClock()
        now = self.wall.now()
        self.run_id = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
        self.scope = Scope.drill(self.run_id)
        self.clock = ScaledClock(scenario.start or now, speed)
        self.clock.pause()  # t=0 holds until start()
        self.on_inject: Callable[[int, Inject], None] | None = None
        self.on_finished: Callable[[], None] | None = None
        self._next = 0  # position in scenario.injects of the next inject to play
        self._started = False
        self.finished = False
        self.status = "ready"
        self.error: str | None = None
        self._lock = threading.RLock()
        self._done = threading.Event()
        self._scheduler: Any = None
        self._ingest = IngestService(db, self.clock, self.scope)
        self._reports = ReportService(db, self.clock, self.scope)

    # -- lifecycle ---------------------------------------------------------
    @property
    def analyser(self) -> Any:
        if self._analyser is None:
            from nlp.analyser import get_analyser

            self._analyser = get_analyser()
        return self._analyser

    @property
    def paused(self) -> bool:
        return self._started and self.clock.paused and not self.finished

    @property
    def remaining(self) -> int:
        return len(self.scenario.injects) - self._next

    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            _ = self.analyser  # load it before t=0 moves, not on the first post
            runs.mark_interrupted(self.db, self.wall.now())  # runs left running by a dead process
            with self.db.session() as s:
                run = DrillRun(
                    id=self.run_id, scenario=self.scenario.name, scenario_path=self.scenario.path,
                    speed=speed_label(self.speed), scenario_start=self.clock.now(), started_at=self.wall.now(),
                    status="running",
                )
                runs.claim(run, self.wall.now())
                s.add(run)
                s.flush()
                self._audit(s, "drill.start", {"scenario": self.scenario.name, "speed": speed_label(self.speed),
                                               "scripted_actions": self.scripted_actions})
            self._started = True
            self.status = "running"
            self._heartbeat = threading.Thread(target=self._beat, name=f"drill-heartbeat-{self.run_id}", daemon=True)
            self._heartbeat.start()
            self.clock.resume()
            log.info("drill %s started: %s at speed %s", self.run_id, self.scenario.name, speed_label(self.speed))
            self._schedule_next()

    def pause(self) -> None:
        with self._lock:
            self.clock.pause()
            self._audit_now("drill.pause")
            if self._scheduler is not None:
                self._scheduler.remove_all_jobs()

    def resume(self) -> None:
        with self._lock:
            self.clock.resume()
            self._audit_now("drill.resume")
            self._schedule_next()

    def set_speed(self, speed: float | None) -> None:
        with self._lock:
            if speed is not None and speed <= 0:
                raise UserError("speed must be positive (or max)")
            self.speed = speed
            self.clock.set_speed(speed)
            self._audit_now("drill.speed", {"speed": speed_label(speed)})
            self._schedule_next()

    def jump(self, t_s: float) -> None:
        """Fast-forward to scenario second ``t_s``; skipped injects play at their own times."""
        with self._lock:
            self._audit_now("drill.jump", {"to_s": t_s})
            was_paused = self.clock.paused
            self.clock.pause()  # hold time still so each skipped inject gets exactly its own time
            while self._started and not self.finished and self._next < len(self.scenario.injects):
                inject = self.scenario.injects[self._next]
                if inject.at_s > t_s:
                    break
                self.clock.jump(inject.at_s)
                self._play_next()
            self.clock.jump(t_s)
            if not was_paused:
                self.clock.resume()
            self._check_finished()
            self._schedule_next()

    def stop(self) -> None:
        """End the run now (remaining injects are not played)."""
        with self._lock:
            if self._started and not self.finished:
                self._audit_now("drill.stop")
                self._finish("stopped")
            self._shutdown_scheduler()

    # -- playing -------------------------------------------------------------
    def step_due(self) -> int:
        """Play every inject due at the current scenario time; returns how many.

        At max speed (``speed is None``) each call first jumps the clock to the
        next inject's time, so one call plays one moment of the scenario.
        """
        with self._lock:
            if not self._started or self.finished or self.clock.paused:
                return 0
            if self.speed is None and self._next < len(self.scenario.injects):
                self.clock.jump(self.scenario.injects[self._next].at_s)
            elapsed = self.clock.elapsed()
            played = 0
            while self._next < len(self.scenario.injects) and self.scenario.injects[self._next].at_s <= elapsed:
                self._play_next()
                played += 1
            self._check_finished()
            return played

    def run_to_end(self, timeout: float | None = None) -> dict[str, Any]:
        """Play the whole scenario headless; returns the final metrics."""
        self.start()
        if self.speed is None:
            while not self.finished:
                try:
                    self.step_due()
                except Exception as exc:  # recorded as the run's failure
                    self.fail(exc)
        else:
            self._ensure_scheduler()
            self._schedule_next()
            if not self._done.wait(timeout):
                self.stop()
        self._shutdown_scheduler()
        return self.metrics()

    def tick_checklist(self, item_id: str, actor: str) -> float:
        """Record a checklist item as done now; returns its scenario second."""
        with self._lock:
            if item_id not in {item.id for item in self.scenario.checklist}:
                raise UserError(f"no checklist item {item_id!r} in this scenario")
            if not self._started:
                raise UserError("the drill has not started")
            t_s = self.clock.elapsed()
            at = self.clock.now()
            with self.db.session() as s:
                s.add(DrillEvent(run_id=self.run_id, kind="checklist", at=at, t_s=t_s,
                                 data={"id": item_id, "actor": actor}))
                audit.record(s, at=at, actor=actor, action="drill.checklist", item_type="drill_run",
                             item_id=self.run_id, scope=self.scope, after={"item": item_id, "t_s": t_s})
            return t_s

    def metrics(self, *, access_log: Any = None) -> dict[str, Any]:
        return compute_metrics(self.db, self.run_id, [item.id for item in self.scenario.checklist],
                               access_log=access_log)

    # -- internals -------------------------------------------------------
    def _play_next(self) -> None:
        inject = self.scenario.injects[self._next]
        self._next += 1
        # started_s: the scenario time the play began (t_s of the event is when it ended)
        data: dict[str, Any] = {"index": inject.index, "kind": inject.kind, "scheduled_s": inject.at_s,
                                "started_s": round(self.clock.elapsed(), 3)}
        finding = None
        try:
            if inject.kind == "post":
                data.update(self._post(inject))
            elif inject.kind == "report":
                data.update(self._report(inject))
            elif inject.kind == "jma":
                data.update(self._jma(inject))
            elif not self.scripted_actions:  # left to the trainees: logged as what was expected
                data.update(action=inject.action, scripted=False, item=inject.item, match=inject.match,
                            to=list(inject.to))
            elif inject.action == "checklist":
                data.update(action="checklist", item=inject.item, scripted=True)
                self.tick_checklist(inject.item or "", SCRIPT_ACTOR)
            else:
                extra, finding = actions.perform(self.db, self.clock, self.scope, inject, SCRIPT_ACTOR)
                data.update(extra, to=list(inject.to), scripted=True)
        except UserError as exc:
            finding = f"{_KIND_JA.get(inject.kind, inject.kind)}: {exc}"
        self._event("inject", data)
        if finding:
            log.info("drill %s finding at inject %d: %s", self.run_id, inject.index, finding)
            self._event("finding", {"index": inject.index, "message": finding})
        if self.on_inject is not None:
            self.on_inject(inject.index, inject)

    def _post(self, inject: Inject) -> dict[str, Any]:
        began = time.perf_counter()
        raw = RawPost(
            source=inject.source or "x", external_id=f"inject-{inject.index}", text=inject.text or "",
            author=inject.author, created_at=self.clock.now(), raw={"drill_inject": inject.index},
            geo_lat=inject.geo[0] if inject.geo else None, geo_lon=inject.geo[1] if inject.geo else None,
        )
        new_ids = self._ingest.ingest([raw]).new_ids
        if new_ids:
            AnalysisService(self.db, self.analyser, self.clock).analyse_ids(new_ids)
        latency_ms = (time.perf_counter() - began) * 1000
        return {"post_id": new_ids[0] if new_ids else None, "latency_ms": round(latency_ms, 3)}

    def _report(self, inject: Inject) -> dict[str, Any]:
        result = self._reports.submit(
            inject.report or "", inject.ward, dict(inject.data),
            author=inject.author or f"drill:{inject.ward or 'city'}",
            client_uuid=f"{self.run_id}:{inject.index}",
        )
        return {"report": inject.report, "ward": inject.ward, "report_id": result.report_id}

    def _jma(self, inject: Inject) -> dict[str, Any]:
        """A 防災情報XML telegram through the real parser into the drill's official alerts."""
        from collectors.jma_xml import parse_report

        alert = parse_report(inject.telegram or b"", f"drill-inject-{inject.index}", exercise=True)
        if alert is None:  # checked at load time; kept as a finding should the parser change
            raise UserError("the telegram does not concern the city")
        alert.data = {**(alert.data or {}), "telegram_time": alert.issued_at.isoformat()}
        alert.issued_at = self.clock.now()  # the telegram arrives at the inject's moment of the scenario
        stored = AlertService(self.db, self.clock, self.scope).store([alert])
        return {"alert": alert.kind, "title": alert.title, "stored": stored}

    def _audit(self, session: Any, action: str, after: dict[str, Any] | None = None) -> None:
        """Controller actions are changes by a person: they go to the audit log (ARCHITECTURE rule 7)."""
        audit.record(session, at=self.clock.now(), actor=self.actor, action=action, item_type="drill_run",
                     item_id=self.run_id, scope=self.scope, after={"t_s": self.clock.elapsed(), **(after or {})})

    def _audit_now(self, action: str, after: dict[str, Any] | None = None) -> None:
        if self._started and not self.finished:
            with self.db.session() as s:
                self._audit(s, action, after)

    def _event(self, kind: str, data: dict[str, Any]) -> None:
        with self.db.session() as s:
            s.add(DrillEvent(run_id=self.run_id, kind=kind, at=self.clock.now(), t_s=self.clock.elapsed(), data=data))

    def _check_finished(self) -> None:
        if self._started and not self.finished and self._next >= len(self.scenario.injects):
            self._finish("finished")

    def _beat(self) -> None:
        """Refresh the run's heartbeat until it ends (drills.runs judges runs of other hosts by it)."""
        while not self._done.wait(runs.HEARTBEAT_S):
            try:
                with self.db.session() as s:
                    run = s.get(DrillRun, self.run_id)
                    if run is not None and run.status == "running":
                        run.heartbeat_at = self.wall.now()
            except Exception:  # a lost database shows in the run itself; the beat tries again
                log.warning("drill %s: heartbeat not written", self.run_id, exc_info=True)

    def _finish(self, status: str) -> None:
        self.clock.pause()
        self.finished = True
        self.status = status
        with self.db.session() as s:
            run = s.get(DrillRun, self.run_id)
            run.status = status
            run.ended_at = self.wall.now()
        final = self.metrics()
        with self.db.session() as s:
            s.get(DrillRun, self.run_id).metrics = final
        log.info("drill %s %s", self.run_id, status)
        self._done.set()
        if self.on_finished is not None:
            self.on_finished()

    # -- APScheduler (headless runs at a finite speed) -------------------
    def _ensure_scheduler(self) -> None:
        if self._scheduler is None:
            from apscheduler.executors.pool import ThreadPoolExecutor
            from apscheduler.schedulers.background import BackgroundScheduler

            self._scheduler = BackgroundScheduler(
                executors={"default": ThreadPoolExecutor(1)},
                job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
                timezone="UTC",
            )
            self._scheduler.start()

    def _schedule_next(self) -> None:
        """Wake at the wall time of the next inject: (t_s - elapsed) / speed from now."""
        with self._lock:
            if self._scheduler is None or self.finished or self.clock.paused:
                return
            self._scheduler.remove_all_jobs()
            if self._next >= len(self.scenario.injects):
                return
            delay = 0.0
            if self.speed is not None:
                delay = max(0.0, (self.scenario.injects[self._next].at_s - self.clock.elapsed()) / self.speed)
            self._scheduler.add_job(self._wake, "date", run_date=self.wall.now() + timedelta(seconds=delay))

    def _wake(self) -> None:
        try:
            self.step_due()
        except Exception as exc:  # a failure must not leave run_to_end waiting forever
            self.fail(exc)
            return
        self._schedule_next()

    def fail(self, exc: Exception) -> None:
        """End the run as ``failed`` after an unexpected error (e.g. the database went away)."""
        log.exception("drill %s: inject failed", self.run_id)
        self.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        with self._lock:
            if self._started and not self.finished:
                try:
                    self._finish("failed")
                except Exception:  # the database may be what failed
                    log.exception("drill %s: could not store the failed run", self.run_id)
                    self.finished, self.status = True, "failed"
                    self._done.set()

    def _shutdown_scheduler(self) -> None:
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            scheduler.shutdown(wait=False)
