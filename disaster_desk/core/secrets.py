"""Secrets (API tokens) from the environment or the OS keyring, never a file."""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)

KEYRING_SERVICE = "disaster-desk"


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
