"""``disaster-desk admin``: station logins, roles and the audit chain on the shared PostgreSQL database."""

from __future__ import annotations

import argparse
import sys

from disaster_desk.commands import add_common_options
from disaster_desk.core.models import STATION_ROLES
from disaster_desk.errors import UserError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("admin", help="端末ログインと監査ログ / station logins and the audit chain (PostgreSQL)")
    cmds = p.add_subparsers(dest="admin_command", metavar="ADMIN_COMMAND", required=True)

    c = cmds.add_parser("init", help="migrations, group roles, grants, row-level security (as the owner)")
    add_common_options(c)
    c.set_defaults(func=_init)

    c = cmds.add_parser("add-station", help="create a station login; prints its connection URL")
    add_common_options(c)
    c.add_argument("name")
    c.add_argument("--role", required=True, choices=STATION_ROLES)
    c.add_argument("--ward", default=None, help="the ward of a ward station (e.g. 北区)")
    c.add_argument("--display-name", default=None, help="e.g. 北区役所")
    c.set_defaults(func=_add)

    c = cmds.add_parser("list", help="the stations")
    add_common_options(c)
    c.set_defaults(func=_list)

    c = cmds.add_parser("revoke", help="the station's login can no longer connect")
    add_common_options(c)
    c.add_argument("name")
    c.set_defaults(func=_revoke)

    c = cmds.add_parser("rotate", help="a new password; prints the new URL")
    add_common_options(c)
    c.add_argument("name")
    c.set_defaults(func=_rotate)

    c = cmds.add_parser("store-url", help="store this station's URL in the OS keyring")
    add_common_options(c)
    c.add_argument("args", nargs="+", metavar="[NAME] URL")
    c.set_defaults(func=_store)

    c = cmds.add_parser("verify-audit", help="check the audit log's hash chain (exit 1 naming the first bad row)")
    add_common_options(c)
    c.add_argument("--expect-head", default=None, metavar="SEQ:HASH",
                   help="the head an after-action report recorded (metrics.json audit_chain_head): "
                        "exit 1 when the chain no longer reaches it (rows deleted at the end) or differs there")
    c.set_defaults(func=_verify)


def _url(args: argparse.Namespace) -> str:
    from disaster_desk.core.settings import load_settings

    url = getattr(args, "db", None)
    if url:
        return url
    return load_settings(getattr(args, "config", None)).db_url


def _init(args: argparse.Namespace) -> int:
    from disaster_desk.core.station_admin import init

    names = init(_url(args))
    print(f"initialised: groups {', '.join(names)}; row-level security and audit triggers installed")
    return 0


def _add(args: argparse.Namespace) -> int:
    from disaster_desk.core.station_admin import add_station

    print(add_station(_url(args), args.name, args.role, args.ward, args.display_name))
    return 0


def _list(args: argparse.Namespace) -> int:
    from disaster_desk.core.station_admin import list_stations

    for s in list_stations(_url(args)):
        state = f"revoked {s.revoked_at:%Y-%m-%d %H:%M}" if s.revoked_at else "active"
        print("\t".join([s.name, s.role, s.ward or "-", s.display_name or "-", state]))
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from disaster_desk.core.station_admin import revoke

    revoke(_url(args), args.name)
    print(f"revoked {args.name}")
    return 0


def _rotate(args: argparse.Namespace) -> int:
    from disaster_desk.core.station_admin import rotate

    print(rotate(_url(args), args.name))
    return 0


def _store(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from disaster_desk.core.secrets import store_database_url

    if len(args.args) > 2:
        raise UserError("store-url takes [NAME] URL")
    url = args.args[-1]
    try:
        user = make_url(url).username
    except Exception:
        raise UserError(f"not a database URL: {url[:20]}…") from None
    if len(args.args) == 2 and user != args.args[0]:
        raise UserError(f"the URL's login is {user!r}, not {args.args[0]!r}")
    try:
        store_database_url(url)
    except Exception as exc:  # no keyring backend
        raise UserError(f"cannot store the URL in the OS keyring: {exc}") from None
    print(f"stored the URL of {user} in the OS keyring")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from disaster_desk.core import audit_chain
    from disaster_desk.core.db import Database

    expected = audit_chain.parse_head(args.expect_head) if args.expect_head else None
    db = Database.open(_url(args), migrate=False)
    try:
        with db.engine.connect() as conn:
            result = audit_chain.verify(conn)
            if expected is not None:
                result = audit_chain.check_expected_head(conn, result, expected)
    finally:
        db.dispose()
    if not result.ok:
        print(f"disaster-desk: audit chain broken: {result.problem}", file=sys.stderr)
        return 1
    reaches = f"; it holds the expected head seq {expected.seq}" if expected is not None else ""
    print(f"audit chain intact: {result.rows} rows, head {result.head}{reaches}")
    return 0
