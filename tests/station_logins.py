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


class GroupCluster:
    """A test database as its owner after ``admin init`` (group roles with a unique ``DD_ROLE_PREFIX``),
    plus the station logins ``admin add-station`` made in it (the ``cluster`` fixture of tests/conftest.py)."""

    def __init__(self, url: str, prefix: str) -> None:
        self.url = url
        self.prefix = prefix
        self.opened: list = []

    def station(self, short: str, role: str, ward: str | None = None) -> str:
        from disaster_desk.core import station_admin

        return station_admin.add_station(self.url, f"{self.prefix}{short}", role, ward, f"{short} 担当")

    def open(self, url: str):
        from disaster_desk.core.db import Database

        db = Database.open(url)
        self.opened.append(db)
        return db

    def drop(self) -> None:
        """Dispose the opened databases, then drop every role of the prefix (logins first)."""
        for db in self.opened:
            db.dispose()
        with psycopg.connect(_conninfo(self.url), autocommit=True) as conn:
            like = self.prefix + "%"
            roles = [r for (r,) in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (like,))]
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename LIKE %s", (like,))
            logins = [r for r in roles if "_dd_" not in r]
            for role in logins + [r for r in roles if r not in logins]:
                conn.execute(f"DROP OWNED BY {role}")
                conn.execute(f"DROP ROLE {role}")


def raw(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    """Run one statement as the station's own login (raw SQL, no app), committed."""
    with psycopg.connect(url) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else []
