"""``disaster-desk bulletin publish|stats``: public notices and their access counts."""

from __future__ import annotations

import argparse
import json
import sys

from disaster_desk.commands import add_common_options, open_database


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bulletin", help="公開お知らせ / public bulletins")
    bsub = p.add_subparsers(dest="bulletin_command", metavar="ACTION", required=True)

    pub = bsub.add_parser("publish", help="検証済み項目からお知らせを発行 / publish a bulletin")
    add_common_options(pub)
    pub.add_argument("--title", required=True)
    pub.add_argument("--body", default="", help="text (a file with @PATH)")
    pub.add_argument("--item", dest="items", action="append", default=[], metavar="post:ID|report:ID")
    pub.add_argument("--out", required=True, help="folder published by the web server")
    pub.add_argument("--mode", choices=["real", "drill"], default="real")
    pub.add_argument("--run", dest="run_id", default=None)
    pub.add_argument("--actor", required=True, help="operator name (audit log)")
    pub.set_defaults(func=publish)

    stats = bsub.add_parser("stats", help="アクセス数を集計 / count accesses per bulletin")
    add_common_options(stats)
    stats.add_argument("access_log", metavar="ACCESS_LOG", help="Common/Combined Log Format file")
    stats.set_defaults(func=run_stats)


def publish(args: argparse.Namespace) -> int:
    from pathlib import Path

    from disaster_desk.core.bulletin import BulletinService
    from disaster_desk.core.clock import SystemClock
    from disaster_desk.core.modes import scope_for
    from disaster_desk.errors import UserError

    body = args.body
    if body.startswith("@"):
        name = body[1:]
        try:
            data = Path(name).read_bytes()
        except OSError as exc:
            raise UserError(f"cannot read {name}: {exc.strerror}") from None
        try:
            body = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:  # name the place: line and column of the first bad byte
            line = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise UserError(f"{name}: line {line}, byte {column}: not UTF-8 text (0x{data[exc.start]:02x})") from None
    scope = scope_for(args.mode, args.run_id)
    if scope.is_any_drill:
        raise UserError("a drill bulletin needs --run RUN_ID")
    _settings, db = open_database(args)
    try:
        bulletin = BulletinService(db, SystemClock(), scope).publish(
            args.title, body, args.items, actor=args.actor, out_dir=args.out)
    except OSError as exc:
        raise UserError(f"cannot write {exc.filename or args.out}: {exc.strerror}") from None
    finally:
        db.dispose()
    print(f"published {bulletin.id} to {args.out}")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from disaster_desk.core.bulletin_stats import parse_access_log

    stats = parse_access_log(args.access_log)
    for number, reason in stats.malformed:
        print(f"{args.access_log}:{number}: {reason}; skipped", file=sys.stderr)
    print(json.dumps(stats.as_dict(), ensure_ascii=False))
    return 0
