"""``disaster-desk shelters import --format gsi FILE… [--db URL]``: update the shelter registry."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from disaster_desk.commands import add_common_options, open_database
from disaster_desk.errors import UserError

#: Problems listed on stderr before "... and N more".
SHOWN = 50


def register(sub) -> None:
    parser = sub.add_parser("shelters", help="manage the shelter registry (指定避難所)")
    ssub = parser.add_subparsers(dest="shelters_command", metavar="ACTION", required=True)
    imp = ssub.add_parser("import", help="import GSI 指定避難所 / 指定緊急避難場所 CSV files")
    imp.add_argument("--format", required=True, choices=["gsi"])
    imp.add_argument("files", nargs="+", metavar="FILE", help="GSI CSV file(s), UTF-8 or Shift_JIS")
    add_common_options(imp)
    imp.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    from disaster_desk.core.shelter_registry import REQUIRED, import_gsi_csv

    for name in args.files:
        if not Path(name).is_file():
            raise UserError(f"{name}: no such file")
    _, db = open_database(args)
    refused = False
    try:
        for name in args.files:
            result = import_gsi_csv(db, name)
            problems = result.problems()
            if problems and problems[0].line == 1 and problems[0].column in REQUIRED:
                print(f"{name}: {problems[0].message}", file=sys.stderr)
                refused = True
                continue
            for problem in problems[:SHOWN]:
                print(f"{name} {problem}", file=sys.stderr)
            if len(problems) > SHOWN:
                print(f"{name}: ... and {len(problems) - SHOWN} more", file=sys.stderr)
            print(f"{name}: {result.summary()}")
    finally:
        db.dispose()
    return 1 if refused else 0
