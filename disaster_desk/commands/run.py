"""The desktop app (default command) and ``disaster-desk gui``."""

from __future__ import annotations

import argparse

from disaster_desk.commands import add_common_options


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="デスクトップアプリを起動 / start the desktop app (default)")
    add_common_options(p)
    p.add_argument("--demo", action="store_true", help="play the bundled demo drill scenario")
    p.add_argument("--role", choices=["hq", "ward", "drill"], default=None)
    p.add_argument("--no-collect", dest="no_collect", action="store_true",
                   help="do not run the configured collectors in this process")
    p.set_defaults(func=run_gui)


def run_gui(args: argparse.Namespace) -> int:
    from disaster_desk.ui.app import run_app

    return run_app(args)
