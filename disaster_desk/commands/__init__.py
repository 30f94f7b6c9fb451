"""Subcommands of ``disaster-desk``; each module exposes ``register(subparsers)``."""

from __future__ import annotations

import argparse


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """Let ``--db``/``--config``/``-v`` also follow the subcommand.

    Defaults are suppressed so a value given before the subcommand is kept.
    """
    parser.add_argument("--db", dest="db", default=argparse.SUPPRESS, help="SQLAlchemy database URL")
    parser.add_argument("--config", dest="config", default=argparse.SUPPRESS, help="settings file (YAML)")
    parser.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS)


def open_database(args: argparse.Namespace):
    """Settings + migrated database for a command, honouring ``--db``/``--config``."""
    from disaster_desk.core.db import Database
    from disaster_desk.core.settings import load_settings

    settings = load_settings(getattr(args, "config", None), db_url=getattr(args, "db", None))
    return settings, Database.open(settings.db_url, timeout_s=settings.database.timeout_s)
