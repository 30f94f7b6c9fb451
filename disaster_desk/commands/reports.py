"""``disaster-desk reports import|template`` (docs/cli.md): ward reports as CSV from the command line.

The same path as the GUI's CSV import (:mod:`disaster_desk.core.report_csv` over
:class:`~disaster_desk.core.reports.ReportService`). Who may store which ward's
report is decided by the database on PostgreSQL (the login's role and
row-level security): a refused line is listed with its reason and the other
lines are kept. On SQLite (one station) a ward station's ward from settings is
checked by the service.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from disaster_desk.commands import add_common_options, open_database

KINDS = ("shelter", "damage", "muster", "system")

#: Exit codes (docs/cli.md): every line stored; some lines refused (the others kept);
#: nothing could be imported (unreadable file, bad header, unreachable database) is 2 (UserError).
OK, SOME_REFUSED, UNUSABLE = 0, 1, 2


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("reports", help="区報告のCSV取込・様式 / ward reports as CSV")
    rsub = parser.add_subparsers(dest="reports_command", metavar="ACTION", required=True)
    imp = rsub.add_parser("import", help="CSVの区報告を取り込む / import reports from a CSV file")
    imp.add_argument("--kind", required=True, choices=KINDS)
    imp.add_argument("file", help="CSV file (UTF-8 with or without BOM, or Shift_JIS)")
    add_common_options(imp)
    imp.set_defaults(func=run_import)
    tpl = rsub.add_parser("template", help="空の様式CSVを出力 / print an empty template")
    tpl.add_argument("--kind", required=True, choices=KINDS)
    tpl.add_argument("-o", "--out", default=None, help="write to a file instead of stdout")
    add_common_options(tpl)
    tpl.set_defaults(func=run_template)


def run_template(args: argparse.Namespace) -> int:
    from disaster_desk.core.report_csv import template
    from disaster_desk.errors import UserError

    data = template(args.kind)
    if args.out:
        try:
            Path(args.out).write_bytes(data)
        except OSError as exc:
            raise UserError(f"cannot write {args.out}: {exc.strerror}") from None
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return OK


def run_import(args: argparse.Namespace) -> int:
    from disaster_desk.core.clock import SystemClock
    from disaster_desk.core.report_csv import import_reports
    from disaster_desk.core.reports import ReportService
    from disaster_desk.errors import UserError

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {args.file}: {exc.strerror}") from None
    settings, db = open_database(args)
    try:
        author, station_ward, default_ward = _who(settings, db)
        service = ReportService(db, SystemClock(), station_ward=station_ward)
        result = import_reports(service, args.kind, data, author=author, default_ward=default_ward)
    finally:
        db.dispose()
    for error in result.errors:
        print(f"{args.file}: {error}", file=sys.stderr)
    print(f"{args.kind}: {len(result.created)} stored, {len(result.duplicates)} already stored, "
          f"{len(result.errors)} refused")
    if not result.errors:
        return OK
    if not result.created and not result.duplicates and all(e.line == 1 for e in result.errors):
        return UNUSABLE  # the header (or an empty file): no line could be read
    return SOME_REFUSED


def _who(settings, db) -> tuple[str, str | None, str | None]:
    """Author, the ward the service checks, and the ward for rows without one.

    On PostgreSQL the login's station row names the author (its display name,
    e.g. 北区役所, else the login: the audit row's ``display_name`` beside the
    login as ``actor``) and fills an empty ward; the check itself is left to the
    database. On SQLite a ward station
    (settings ``role: ward``) is checked by the service.
    """
    from disaster_desk.core.stations import current_station

    with db.session() as session:
        station = current_station(session)
    if station is not None:
        return station.display_name or station.name, None, station.ward
    if db.is_postgres:
        return settings.actor, None, None
    ward = settings.station_ward if settings.role == "ward" else None
    return settings.actor, ward, ward
