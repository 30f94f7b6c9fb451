"""``disaster-desk drill run SCENARIO.yaml [--speed N|max] [--db URL] [--out DIR] [--access-log FILE]`` and ``drill list``.

``--access-log`` (additive): the bulletin web server's Common/Combined Log
Format file; metrics.json gains ``bulletin_accesses`` (hits on this run's
bulletin pages, the KPI 発信情報へのアクセス数) and the report judges it.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from disaster_desk.commands import add_common_options, open_database
from disaster_desk.errors import UserError

log = logging.getLogger(__name__)


def parse_speed(value: str) -> float | None:
    """``max`` → None (as fast as possible), else a positive factor."""
    if value.strip().lower() == "max":
        return None
    try:
        speed = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"speed must be a number or 'max', not {value!r}") from None
    if not speed > 0 or speed != speed or speed == float("inf"):
        raise argparse.ArgumentTypeError("speed must be a positive number or 'max'")
    return speed


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("drill", help="訓練シナリオの再生 / drill scenario replay")
    add_common_options(p)
    drill_sub = p.add_subparsers(dest="drill_command", metavar="ACTION", required=True)
    run_p = drill_sub.add_parser("run", help="シナリオをヘッドレスで再生 / replay a scenario headless")
    add_common_options(run_p)
    run_p.add_argument("scenario", help="scenario YAML (or the name of a bundled one, e.g. uemachi)")
    run_p.add_argument("--speed", type=parse_speed, default=1.0, help="N times real time, or 'max' (default 1)")
    run_p.add_argument("--out", default=None, help="output folder (default ./drill-<run_id>)")
    run_p.add_argument("--gazetteer-dir", default=None, help="extra gazetteer data for the analyser")
    run_p.add_argument("--access-log", default=None, metavar="FILE",
                       help="bulletin web server access log (CLF): counts accesses to this run's bulletins")
    run_p.set_defaults(func=run)
    report_p = drill_sub.add_parser("report", help="保存された訓練の事後検証報告 / build the report of a stored run")
    add_common_options(report_p)
    report_p.add_argument("run_id", metavar="RUN_ID", help="the run's id (drill-<run_id> folders, metrics.json)")
    report_p.add_argument("--out", required=True, help="output folder (metrics.json, report.html)")
    report_p.add_argument("--access-log", default=None, metavar="FILE",
                          help="bulletin web server access log (CLF): counts accesses to this run's bulletins")
    report_p.set_defaults(func=report)
    validate_p = drill_sub.add_parser("validate", help="シナリオの検査 / check a scenario without running it")
    validate_p.add_argument("scenario", help="scenario YAML (or the name of a bundled one)")
    validate_p.set_defaults(func=validate)
    list_p = drill_sub.add_parser("list", help="同梱シナリオの一覧 / list bundled scenarios")
    list_p.set_defaults(func=list_bundled)


def resolve_scenario(name: str) -> Path:
    from drills.scenario import bundled_scenarios

    path = Path(name)
    if path.exists():
        return path
    for bundled in bundled_scenarios():
        if bundled.stem == name or bundled.name == name:
            return bundled
    raise UserError(f"scenario not found: {name}")


def list_bundled(args: argparse.Namespace) -> int:
    from drills.scenario import bundled_scenarios, load_scenario

    for path in bundled_scenarios():
        scenario = load_scenario(path)
        print(f"{path.stem}\t{scenario.name}\t{len(scenario.injects)} injects\t{scenario.duration_s / 60:.0f} min")
    return 0


def report(args: argparse.Namespace) -> int:
    """metrics.json and report.html of any stored run (finished, stopped, failed or interrupted)."""
    from disaster_desk.core.clock import SystemClock
    from drills.runs import build_report, mark_interrupted

    if args.access_log is not None and not Path(args.access_log).is_file():
        raise UserError(f"access log not found: {args.access_log}")
    _settings, db = open_database(args)
    try:
        mark_interrupted(db, SystemClock().now())
        metrics, path = build_report(db, args.run_id, args.out, access_log=args.access_log)
        status = _run_status(db, args.run_id)
    finally:
        db.dispose()
    print(f"drill {args.run_id} {status}: {metrics['posts_collected']} posts, {metrics['items_shared']} shared "
          f"-> {Path(args.out) / 'metrics.json'}, {path}")
    return 0


def _run_status(db, run_id: str) -> str:
    from disaster_desk.core.models import DrillRun

    with db.session() as s:
        return s.get(DrillRun, run_id).status


def validate(args: argparse.Namespace) -> int:
    """Check a scenario completely; every problem is printed, one a line (exit 2), else a summary (exit 0)."""
    from drills.scenario import load_scenario

    path = resolve_scenario(args.scenario)
    scenario = load_scenario(path)
    print(f"{path.name}: ok, {len(scenario.injects)} injects, {scenario.duration_s / 60:.0f} min")
    return 0


def run(args: argparse.Namespace) -> int:
    from drills.engine import DrillEngine
    from drills.report import write_report
    from drills.scenario import load_scenario

    scenario = load_scenario(resolve_scenario(args.scenario))  # validate before touching the database
    access_log = getattr(args, "access_log", None)
    if access_log is not None and not Path(access_log).is_file():
        raise UserError(f"access log not found: {access_log}")
    try:
        from nlp.analyser import get_analyser
        from nlp.progress import stderr_reporter
    except ImportError as exc:
        raise UserError(f"the NLP analyser is not available: {exc}") from None

    settings, db = open_database(args)
    try:
        analyser = get_analyser(args.gazetteer_dir or settings.gazetteer_dir, progress=stderr_reporter())
        engine = DrillEngine(scenario, db, speed=args.speed, analyser=analyser, actor=f"drill:{settings.actor}")
        try:
            metrics = engine.run_to_end()
        except KeyboardInterrupt:
            engine.stop()
            metrics = engine.metrics()
        if access_log is not None:
            metrics = engine.metrics(access_log=access_log)
        out = Path(args.out or f"drill-{engine.run_id}")
        out.mkdir(parents=True, exist_ok=True)
        (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
        report = write_report(db, engine.run_id, out, scenario, metrics=metrics)
    finally:
        db.dispose()
    if engine.error:
        print(f"disaster-desk: error: drill {engine.run_id} failed: {engine.error} (partial results in {out})",
              file=sys.stderr)
        return 1
    print(f"drill {engine.run_id} {engine.status}: {metrics['posts_collected']} posts, "
          f"{metrics['items_shared']} shared -> {out / 'metrics.json'}, {report}")
    return 0
