"""LISTEN for changes on the shared PostgreSQL database (:data:`CHANGES_CHANNEL`).

Services emit changes (:func:`disaster_desk.core.changes.emit`) in the transaction
that stores a row; PostgreSQL delivers the NOTIFY payloads when it commits. This module
turns those notifications into payload dicts:

- :func:`notifications` — a generator for one connection (tests, tools);
- :class:`ChangeListener` — a daemon thread that reconnects after a lost link
  and hands each payload to a callback (the UI wraps it in a signal).

Qt-free; SQLite stations have no listener (one station, nothing to hear).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from disaster_desk.core.db import CHANGES_CHANNEL, normalise_url
from disaster_desk.core.retry import Backoff, Reconnect

log = logging.getLogger(__name__)

#: The longest wait between two reconnection attempts of a listening station.
MAX_RECONNECT_S = 60.0


def reconnect_policy(retry_s: float = 2.0) -> Reconnect:
    """The retry policy of a listening link: up to ``retry_s`` × 2^failures (jittered), at most a minute."""
    return Reconnect(Backoff(attempts=0, base_s=retry_s, cap_s=MAX_RECONNECT_S))


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def conninfo(url: str) -> str:
    """A libpq URL from an SQLAlchemy one (``postgresql+psycopg://`` → ``postgresql://``)."""
    parsed = make_url(normalise_url(url)).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def is_postgres_url(url: str) -> bool:
    return normalise_url(url).startswith("postgresql+psycopg://")


def notifications(
    url: str,
    *,
    timeout: float | None = None,
    stop: threading.Event | None = None,
    channel: str = CHANGES_CHANNEL,
    on_listening: Callable[[], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield change payloads as they arrive; end after ``timeout`` seconds of quiet or when ``stop`` is set."""
    with psycopg.connect(conninfo(url), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'LISTEN "{channel}"')
        if on_listening:
            on_listening()
        while stop is None or not stop.is_set():
            got = False
            for note in conn.notifies(timeout=0.5 if stop is not None else timeout, stop_after=1):
                got = True
                try:
                    payload = json.loads(note.payload)
                except json.JSONDecodeError:
                    log.warning("ignoring a non-JSON notification on %s: %r", channel, note.payload[:100])
                    continue
                yield payload if isinstance(payload, dict) else {"payload": payload}
            if not got and stop is None:
                return


class ChangeListener:
    """A background thread calling ``callback(payload)`` for every change; reconnects with backoff."""

    def __init__(self, url: str, callback: Callable[[dict[str, Any]], None], *, retry_s: float = 2.0) -> None:
        self.url = url
        self.callback = callback
        self.retry_s = retry_s
        self._stop = threading.Event()
        self.listening = threading.Event()
        self.last_error: str | None = None
        self._thread = threading.Thread(target=self._run, name="dd-listener", daemon=True)

    def start(self) -> ChangeListener:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        policy = reconnect_policy(self.retry_s)

        def connected() -> None:
            policy.connected()
            self.listening.set()

        while not self._stop.is_set():
            try:
                for payload in notifications(self.url, stop=self._stop, on_listening=connected):
                    try:
                        self.callback(payload)
                    except Exception:  # a bad consumer must not kill the listener
                        log.exception("change callback failed for %r", payload)
            except (psycopg.Error, OSError) as exc:
                self.listening.clear()
                self.last_error = first_line(exc)
                delay = policy.failed()
                log.warning("change listener: %s; retrying in %.1f s", self.last_error, delay)
                self._stop.wait(delay)
