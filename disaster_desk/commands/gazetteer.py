"""``disaster-desk gazetteer import --format geolonia|mlit|gsi-shelters PATH [--gazetteer-dir DIR]``."""

from __future__ import annotations

import argparse
import sys

from disaster_desk.commands import add_common_options


def register(sub) -> None:
    parser = sub.add_parser("gazetteer", help="manage the place gazetteer")
    gsub = parser.add_subparsers(dest="gazetteer_command", metavar="ACTION", required=True)
    imp = gsub.add_parser("import", help="import towns or shelters from public data")
    imp.add_argument("--format", required=True, choices=["geolonia", "mlit", "gsi-shelters"])
    imp.add_argument("path", help="file or folder to import")
    imp.add_argument("--gazetteer-dir", default=None, help="target dir (default: the user's gazetteer dir)")
    add_common_options(imp)
    imp.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    from nlp.analyser import default_gazetteer_dir
    from nlp.importers import import_file

    out_dir = args.gazetteer_dir or default_gazetteer_dir()
    result = import_file(args.format, args.path, out_dir)
    for problem in result.problems[:20]:
        print(f"skipped: {problem}", file=sys.stderr)
    if len(result.problems) > 20:
        print(f"... and {len(result.problems) - 20} more", file=sys.stderr)
    print(result.summary())
    return 0
