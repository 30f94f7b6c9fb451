"""``disaster-desk screenshot OUT.png [--demo] [--after SECONDS] [--size 1600x1000] [--role R] [--html FILE]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from disaster_desk.commands import add_common_options


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("screenshot", help="メイン画面のPNGを保存 / save a PNG of the main window")
    add_common_options(p)
    p.add_argument("out", type=Path, help="PNG file to write")
    p.add_argument("--demo", action="store_true", help="play the bundled demo scenario first")
    p.add_argument("--after", type=float, default=None, help="seconds to wait before the picture (default 3, demo 25)")
    p.add_argument("--size", default="1600x1000", help="window size WIDTHxHEIGHT")
    p.add_argument("--role", choices=["hq", "ward", "drill"], default=None)
    p.add_argument("--html", type=Path, default=None,
                   help="picture of a local HTML file instead of the window (e.g. a drill's report.html)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from disaster_desk.commands import open_database
    from disaster_desk.errors import UserError
    from disaster_desk.ui.screenshot import parse_size, take_screenshot

    size = parse_size(args.size)  # arguments first: a mistake is one line, before Qt starts
    if args.after is not None and args.after < 0:
        raise UserError("--after must be >= 0")
    if args.out.suffix.lower() != ".png":
        raise UserError(f"{args.out}: the output must be a .png file")
    if args.html is not None and not args.html.is_file():
        raise UserError(f"--html: {args.html} is not a file")
    from disaster_desk.ui.qtenv import prepare_qt_environment

    prepare_qt_environment()
    if args.html is not None:
        from disaster_desk.ui.screenshot import take_html_screenshot

        take_html_screenshot(args.html, args.out, after=args.after if args.after is not None else 1.0, size=size)
        print(args.out)
        return 0
    settings, db = open_database(args)
    if args.role:
        settings = settings.model_copy(update={"role": args.role})
    after = args.after if args.after is not None else (25.0 if args.demo else 3.0)
    try:
        take_screenshot(settings, db, args.out, demo=args.demo, after=after, size=size)
    finally:
        db.dispose()
    print(args.out)
    return 0
