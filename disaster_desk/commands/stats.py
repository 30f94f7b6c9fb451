"""``disaster-desk stats``: counts as one JSON object."""

from __future__ import annotations

import argparse
import json

from disaster_desk.commands import add_common_options, open_database
from disaster_desk.core.modes import scope_for


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="件数をJSONで表示 / print counts as JSON")
    add_common_options(p)
    p.add_argument("--mode", choices=["real", "drill"], default="real")
    p.add_argument("--run", dest="run_id", default=None, help="drill run id (default: every run)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from disaster_desk.core.stats import counts

    _settings, db = open_database(args)
    try:
        print(json.dumps(counts(db, scope_for(args.mode, args.run_id)), ensure_ascii=False))
    finally:
        db.dispose()
    return 0
