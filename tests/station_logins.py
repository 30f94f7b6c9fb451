"""Test logins on the shared PostgreSQL server: one LOGIN role per test, named uniquely
(roles are cluster-wide and other runs share the server), dropped afterwards.

These logins get plain table privileges, not the ``admin init`` group roles: they
test what the *client* does with its login's stations row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from tests.pg_server import _conninfo


@contextmanager
def station_login(db_url: str, role: str | None, ward: str | None = None, *,
                  revoked: bool = False, display_name: str | None = None) -> Iterator[tuple[str, str]]:
    """``(login name, URL)`` of a new login of ``db_url``'s database; ``role=None``: no stations row."""
    name = f"ddt_{uuid.uuid4().hex[:10]}"
    password = uuid.uuid4().hex
    with psycopg.connect(_conninfo(db_url), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
        conn.execute(f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {name}")
        conn.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {name}")
        if role is not None:
            conn.execute(
                "INSERT INTO stations (name, role, ward, display_name, created_at, revoked_at) "
                "VALUES (%s, %s, %s, %s, now(), CASE WHEN %s THEN now() END)",
                (name, role, ward, display_name, revoked),
            )
    host_and_db = db_url.split("@", 1)[1]
    try:
        yield name, f"postgresql://{name}:{password}@{host_and_db}"
    finally:
        with psycopg.connect(_conninfo(db_url), autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (name,))
            conn.execute(f"DROP OWNED BY {name}")
            conn.execute(f"DROP ROLE {name}")
