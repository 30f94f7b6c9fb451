"""The ``disaster-desk`` entry point: GUI by default, subcommands for the rest.

Each subcommand lives in ``disaster_desk/commands/<name>.py`` and exposes
``register(subparsers)``, which adds its parser and sets ``func`` (a callable
taking the parsed ``argparse.Namespace`` and returning an exit code). This
keeps the entry point small and lets each area own its commands.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from disaster_desk import __version__
from disaster_desk.errors import UserError

log = logging.getLogger(__name__)

#: Subcommand modules under ``disaster_desk.commands``, in help order.
COMMAND_MODULES = (
    "run",
    "nlp",
    "gazetteer",
    "shelters",
    "collect",
    "export",
    "bulletin",
    "drill",
    "stats",
    "reports",
    "screenshot",
    "admin",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="disaster-desk",
        description="災害情報デスク — Disaster Desk for a city's disaster headquarters.",
    )
    add_global_options(parser)
    parser.add_argument("--version", action="version", version=f"disaster-desk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"disaster_desk.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"disaster_desk.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """Options accepted before the subcommand (and repeated after it by commands)."""
    parser.add_argument("--db", dest="db", default=None, help="SQLAlchemy database URL")
    parser.add_argument("--config", dest="config", default=None, help="settings file (YAML)")
    parser.add_argument("-v", "--verbose", action="count", default=0)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose > 1 else logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    func = getattr(args, "func", None)
    if func is None:
        from disaster_desk.commands.run import run_gui

        func = run_gui
    try:
        return int(func(args) or 0)
    except UserError as exc:
        # An error that lists several problems (a scenario checked completely) prints one a line.
        problems = [p for p in getattr(exc, "problems", None) or () if isinstance(p, UserError)]
        for problem in problems or [exc]:
            print(f"disaster-desk: error: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        refusal = database_refusal(exc)
        if refusal is None:
            raise
        # a PostgreSQL login doing what its role may not (docs/cli.md): one line, not a traceback
        print(f"disaster-desk: error: the database refused this login: {refusal}", file=sys.stderr)
        return 2


def database_refusal(exc: BaseException) -> str | None:
    """The database's first line when it refused the login (SQLSTATE 42501: permission denied,
    row-level security), else None."""
    from disaster_desk.core.db_errors import database_problem

    problem = database_problem(exc)
    return problem.detail if problem is not None and problem.kind == "permission" else None


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
