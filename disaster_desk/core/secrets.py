"""Secrets (API tokens, the station's database URL with its password) from the
environment or the OS keyring, never a file."""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)

KEYRING_SERVICE = "disaster-desk"
#: The station's database URL (``postgresql://LOGIN:PASSWORD@host:port/db``): ``DD_DATABASE_URL``
#: or the keyring entry written by ``disaster-desk admin store-url``.
DATABASE_URL_SECRET = "database_url"


def get_secret(name: str) -> str | None:
    """``DD_<NAME>`` from the environment, else the keyring entry ``name``."""
    env = os.environ.get(f"DD_{name.upper()}")
    if env:
        return env
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, name)
    except Exception as exc:  # no keyring backend on a headless server
        log.info("keyring unavailable for %s: %s", name, exc)
        return None


def set_secret(name: str, value: str) -> None:
    import keyring

    keyring.set_password(KEYRING_SERVICE, name, value)


def store_database_url(url: str) -> None:
    """Keep this station's database URL in the OS keyring (what ``admin store-url`` does)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from disaster_desk.errors import UserError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UserError(f"not a database URL: {url[:30]}...") from None
    if parsed.get_backend_name() != "postgresql":
        raise UserError("only a PostgreSQL URL is stored in the keyring (SQLite needs no password)")
    try:
        set_secret(DATABASE_URL_SECRET, url)
    except Exception as exc:  # no keyring backend (a headless server): say so, in one line
        raise UserError(f"cannot store the URL in the OS keyring ({exc}); set DD_DATABASE_URL instead") from None
