"""``disaster-desk export FORMAT --out PATH`` (docs/cli.md)."""

from __future__ import annotations

import argparse
from typing import Any

from disaster_desk.commands import add_common_options, open_database
from disaster_desk.core.exports import FORMATS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="CAP / GeoJSON / CSV / SIP4D-ZIP に書き出す / export data")
    add_common_options(p)
    p.add_argument("format", choices=FORMATS, metavar="FORMAT", help="cap | geojson | csv | sip4d")
    p.add_argument("--mode", choices=["real", "drill"], default="real")
    p.add_argument("--run", dest="run_id", default=None, help="drill run id (default: every run)")
    p.add_argument("--out", required=True, help="file (geojson, csv, sip4d .zip) or folder (cap, sip4d)")
    p.add_argument("--keep-personal", action="store_true",
                   help="keep author handles and exact addresses (not for the public)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from disaster_desk.core.exports.privacy import INTERNAL, PUBLIC
    from disaster_desk.core.modes import scope_for
    from disaster_desk.errors import UserError

    privacy = INTERNAL if args.keep_personal else PUBLIC
    scope = scope_for(args.mode, args.run_id)
    _settings, db = open_database(args)
    try:
        return _export(args, db, scope, privacy)
    except OSError as exc:
        raise UserError(f"cannot write {exc.filename or args.out}: {exc.strerror}") from None
    finally:
        db.dispose()


def _export(args: argparse.Namespace, db: Any, scope: Any, privacy: Any) -> int:
    from disaster_desk.core.clock import SystemClock

    if args.format == "cap":
        from disaster_desk.core.exports.cap import export_cap

        print(f"{len(export_cap(db, scope, args.out, privacy=privacy))} CAP alerts written to {args.out}")
    elif args.format == "geojson":
        from disaster_desk.core.exports.geojson import export_geojson

        print(f"{export_geojson(db, scope, args.out, privacy=privacy)} features written to {args.out}")
    elif args.format == "csv":
        from disaster_desk.core.exports.csv_export import export_csv

        print(f"{export_csv(db, scope, args.out, privacy=privacy)} rows written to {args.out}")
    else:
        from disaster_desk.core.exports.sip4d import export_sip4d

        result = export_sip4d(db, scope, args.out, SystemClock(), privacy=privacy)
        note = f" ({result.without_position} without a position left out)" if result.without_position else ""
        print(f"{result.shelters} shelters written to {result.path}{note}")
    return 0
