"""``disaster-desk gazetteer import --format geolonia|mlit|gsi-shelters|n03 PATH [--gazetteer-dir DIR]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from disaster_desk.commands import add_common_options


def register(sub) -> None:
    parser = sub.add_parser("gazetteer", help="manage the place gazetteer")
    gsub = parser.add_subparsers(dest="gazetteer_command", metavar="ACTION", required=True)
    imp = gsub.add_parser("import", help="import towns or shelters from public data")
    imp.add_argument("--format", required=True, choices=["geolonia", "mlit", "gsi-shelters", "n03"])
    imp.add_argument("path", help="file or folder to import")
    imp.add_argument("--gazetteer-dir", default=None, help="target dir (default: the user's gazetteer dir)")
    imp.add_argument("--city", default=None,
                     help="n03: keep the wards of this city (N03_003; default: the area pack's city, 大阪市)")
    add_common_options(imp)
    imp.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    from nlp.analyser import default_gazetteer_dir
    from nlp.importers import import_file

    out_dir = args.gazetteer_dir or default_gazetteer_dir()
    if args.format == "n03":
        return run_n03(Path(args.path), Path(out_dir), args.city)
    result = import_file(args.format, args.path, out_dir)
    for problem in result.problems[:20]:
        print(f"skipped: {problem}", file=sys.stderr)
    if len(result.problems) > 20:
        print(f"... and {len(result.problems) - 20} more", file=sys.stderr)
    print(result.summary())
    return 0


def run_n03(path: Path, out_dir: Path, city: str | None) -> int:
    """国土数値情報 行政区域 N03 GeoJSON (a file or a folder) → the user's ``wards.geojson``."""
    from disaster_desk.core.area_pack import USER_WARDS_FILE, load_pack
    from disaster_desk.core.boundaries import write_wards
    from disaster_desk.errors import UserError

    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in {".geojson", ".json"})
    elif path.is_file():
        files = [path]
    else:
        raise UserError(f"{path}: no such file or folder")
    if not files:
        raise UserError(f"{path}: no .geojson or .json files")
    city = load_pack().name if city is None else city
    outside: list[str] = []
    out = out_dir / USER_WARDS_FILE
    count, problems = write_wards(files, out, city=city, outside=outside)
    for problem in problems[:20]:
        print(f"skipped: {problem}", file=sys.stderr)
    if len(problems) > 20:
        print(f"... and {len(problems) - 20} more", file=sys.stderr)
    print(f"n03: {count} wards of {city or 'every city'}, {len(outside)} features of other cities left out, "
          f"{len(problems)} skipped -> {out}")
    return 0
