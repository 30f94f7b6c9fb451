"""``disaster-desk collect``: headless collection (+ analysis) into the configured database.

Modes: ``--status`` prints each collector's last status (from the database)
as JSON; ``--replay FILE [--rate N]`` feeds one file and exits; ``--once``
runs each configured collector once; otherwise the collectors run on their
intervals until SIGINT/SIGTERM, which let the current batch finish and exit 0.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from typing import Any

from disaster_desk.commands import add_common_options, open_database

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("collect", help="SNS・気象庁情報を収集 / run the collectors headless")
    add_common_options(p)
    p.add_argument("--once", action="store_true", help="run each configured collector once and exit")
    p.add_argument("--replay", metavar="FILE", help="feed a JSONL/CSV file of posts through the ingest path")
    p.add_argument("--rate", type=float, default=None, metavar="N", help="replay at N posts/s (default: max)")
    p.add_argument("--status", action="store_true", help="print each collector's state as JSON and exit")
    p.add_argument("--no-analyse", dest="analyse", action="store_false", help="store only; leave analysis to another process")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from disaster_desk.errors import UserError

    if args.rate is not None and not args.replay:
        raise UserError("--rate needs --replay FILE")
    if args.rate is not None and args.rate <= 0:
        raise UserError(f"--rate must be positive, not {args.rate:g}")
    settings, db = open_database(args)
    try:
        if args.status:
            return _print_status(db)
        return _collect(args, settings, db)
    finally:
        db.dispose()


def _print_status(db: Any) -> int:
    from collectors.status import StatusStore
    from disaster_desk.core.clock import SystemClock

    statuses = StatusStore(db, SystemClock()).load_all()
    print(json.dumps([s.to_json() for s in statuses], ensure_ascii=False, indent=2))
    return 0


def _analyser_provider(settings: Any):
    def provide():
        from nlp.analyser import get_analyser
        from nlp.progress import stderr_reporter

        return get_analyser(settings.gazetteer_dir, progress=stderr_reporter())

    return provide


def _collect(args: argparse.Namespace, settings: Any, db: Any) -> int:
    stop = threading.Event()
    restore = _install_signal_handlers(stop)
    try:
        return _collect_until_done(args, settings, db, stop)
    finally:
        restore()


def _collect_until_done(args: argparse.Namespace, settings: Any, db: Any, stop: threading.Event) -> int:
    from pathlib import Path

    from collectors.config import build_collectors
    from collectors.pipeline import Pipeline
    from collectors.replay import ReplayCollector
    from collectors.scheduler import CollectorScheduler, PendingAnalysis
    from disaster_desk.core.clock import SystemClock
    from disaster_desk.errors import UserError

    if args.replay and not Path(args.replay).is_file():
        raise UserError(f"replay file not found: {args.replay}")
    pipeline = Pipeline(db, SystemClock(), analyser_provider=_analyser_provider(settings) if args.analyse else None)
    if args.analyse:
        pipeline.analyse_pending()

    if args.replay:
        replay = ReplayCollector(args.replay, rate=args.rate)
        scheduler = CollectorScheduler([replay], pipeline, stop=stop)
        status = scheduler.run_once(replay.name)
        if status.state == "error":
            raise UserError(status.last_error or "replay failed")
        report = replay.report
        for problem in report.problems:
            print(f"disaster-desk: {args.replay}: {problem.message}", file=sys.stderr)
        print(
            json.dumps(
                {
                    "file": args.replay,
                    "stored": report.stored,
                    "duplicates": report.duplicates,
                    "skipped": len(report.problems),
                    "resumed_at_line": report.resumed_at_line,
                    "stopped": stop.is_set(),
                },
                ensure_ascii=False,
            )
        )
        return 0

    collectors = build_collectors(settings)
    if not collectors:
        raise UserError("no collector is enabled: set collectors.x/mastodon/jma.enabled in the settings file")
    if args.analyse and not args.once:
        collectors.append(PendingAnalysis())
    scheduler = CollectorScheduler(collectors, pipeline, stop=stop)
    if args.once:
        statuses = scheduler.run_all_once()
        print(json.dumps([s.to_json() for s in statuses], ensure_ascii=False, indent=2))
        failed = [s for s in statuses if s.state == "error"]
        if failed:
            detail = "; ".join(f"{s.name}: {s.last_error}" for s in failed)
            print(f"disaster-desk: error: collector failed: {detail}".replace("\n", " "), file=sys.stderr)
            return 1
        return 0
    scheduler.start()
    try:
        while not stop.wait(1.0):
            pass
    finally:
        scheduler.shutdown(wait=True)
    return 0


def _install_signal_handlers(stop: threading.Event):
    """SIGINT/SIGTERM set ``stop``: the running batch finishes, then the command exits 0.

    Returns a function restoring the previous handlers.
    """

    def handler(signum: int, _frame: Any) -> None:
        log.warning("signal %d: finishing the current batch", signum)
        stop.set()

    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore
