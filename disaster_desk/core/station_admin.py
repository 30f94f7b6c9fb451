"""Station logins on the shared PostgreSQL database (``disaster-desk admin``), run as the database owner.

:func:`init` brings the schema to the newest migration, (re)installs the
triggers and policies (``core.pg_security``) and creates the group roles
``dd_hq``, ``dd_ward``, ``dd_collector``, ``dd_drill``, ``dd_viewer`` (with
the prefix of ``DD_ROLE_PREFIX``, so tests in a shared cluster use their own)
with their GRANTs; it is idempotent and is run again after an upgrade (new
tables get their grants). :func:`add_station` creates a LOGIN role with a
generated password (scram-sha-256) in one group and its ``stations`` row, and
returns the station's connection URL.

What a group may do: GRANTs name the tables and columns (a collector cannot
UPDATE ``posts.state``: no triage), row-level security the rows (a ward
login only its ward's reports and what was shared with it; a drill login only
drill rows); audit_log is INSERT and SELECT only, for everyone.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from disaster_desk.core.area import OSAKA_WARDS
from disaster_desk.core.db import Database
from disaster_desk.core.models import STATION_ROLES
from disaster_desk.errors import UserError, ValidationError

#: A station name is a PostgreSQL login name: lower-case ASCII, so it needs no quoting anywhere.
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,62}$")


def role_prefix() -> str:
    prefix = os.environ.get("DD_ROLE_PREFIX", "")
    if prefix and not re.fullmatch(r"[a-z][a-z0-9_]{0,30}", prefix):
        raise UserError(f"DD_ROLE_PREFIX {prefix!r}: lower-case letters, digits and _ only")
    return prefix


def group_role(role: str, prefix: str | None = None) -> str:
    """The group role of a station role: ``dd_ward`` (``<prefix>dd_ward``)."""
    return f"{role_prefix() if prefix is None else prefix}dd_{role}"


def _postgres(db: Database) -> None:
    if not db.is_postgres:
        raise UserError("admin commands need a PostgreSQL database (SQLite has one station and no logins)")


def _tables(conn: Connection) -> set[str]:
    return set(conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")))


def _columns(conn: Connection, table: str) -> list[str]:
    return list(conn.scalars(text(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
        "AND table_name = :t ORDER BY ordinal_position"), {"t": table}))


def grant_statements(conn: Connection, prefix: str | None = None) -> list[str]:
    """GRANT statements for the five groups on the tables that exist now."""
    tables = _tables(conn)
    g = {role: group_role(role, prefix) for role in STATION_ROLES}
    everyone = ", ".join(g.values())
    out = [f"GRANT USAGE ON SCHEMA public TO {everyone}",
           f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {g['hq']}, {g['ward']}, {g['collector']}, "
           f"{g['drill']}"]
    for table in sorted(tables):
        out.append(f"REVOKE ALL ON {table} FROM {everyone}")
        out.append(f"GRANT SELECT ON {table} TO {g['viewer']}, {g['hq']}, {g['drill']}, {g['collector']}")
    # hq and drill: write the desk's tables (rows limited by RLS for drill); audit only appended.
    # map_counts: written by its SECURITY DEFINER triggers only (migration 0021).
    writable = sorted(tables - {"audit_log", "stations", "alembic_version", "shelters", "map_counts"})
    for table in writable:
        out.append(f"GRANT INSERT, UPDATE ON {table} TO {g['hq']}, {g['drill']}")
    for table in ("changes", "incidents", "analyses", "drill_events"):
        if table in tables:
            out.append(f"GRANT DELETE ON {table} TO {g['hq']}, {g['drill']}")
    out.append(f"GRANT INSERT, UPDATE ON shelters TO {g['hq']}")
    out.append(f"GRANT INSERT ON audit_log TO {g['hq']}, {g['drill']}, {g['ward']}, {g['collector']}")
    # collector: posts without triage (no state/version), analyses, alerts, checkpoints, status.
    post_cols = [c for c in _columns(conn, "posts") if c not in ("state", "version")]
    out.append(f"GRANT INSERT ON posts TO {g['collector']}")
    out.append(f"GRANT UPDATE ({', '.join(post_cols)}) ON posts TO {g['collector']}")
    incident_cols = [c for c in _columns(conn, "incidents") if c != "state"]
    out.append(f"GRANT INSERT ON incidents TO {g['collector']}")
    out.append(f"GRANT UPDATE ({', '.join(incident_cols)}) ON incidents TO {g['collector']}")
    for table in ("analyses", "official_alerts", "collector_checkpoints", "collector_status", "changes",
                  "queue_counts"):
        if table in tables:
            out.append(f"GRANT INSERT, UPDATE ON {table} TO {g['collector']}")
    out.append(f"GRANT DELETE ON analyses, changes TO {g['collector']}")
    # ward: its reports (RLS), what was shared with it, shelters, alerts; it marks shares read.
    for table in ("posts", "analyses", "incidents", "reports", "share_events", "shelters", "official_alerts",
                  "audit_log", "stations", "changes", "drill_runs", "alembic_version", "collector_status",
                  "queue_counts"):
        if table in tables:
            out.append(f"GRANT SELECT ON {table} TO {g['ward']}")
    out.append(f"GRANT INSERT ON reports, changes TO {g['ward']}")
    out.append(f"GRANT UPDATE (payload, updated_at, version) ON reports TO {g['ward']}")
    receipt = [c for c in ("read_at", "received_at", "received_by", "received_name")
               if c in _columns(conn, "share_events")]
    out.append(f"GRANT UPDATE ({', '.join(receipt)}) ON share_events TO {g['ward']}")
    out.append(f"GRANT DELETE ON changes TO {g['ward']}")
    return out


#: Tables where a group's rows are all rows (the generic ``dd_station`` policy of core.pg_security
#: gives it ``true`` there too): (table, group, USING, WITH CHECK).
_WHOLE_TABLE = (
    *((t, "hq", "true", "true") for t in ("posts", "analyses", "incidents", "official_alerts", "reports",
                                          "share_events", "audit_log")),
    *((t, "collector", "true", "true") for t in ("posts", "analyses", "incidents", "official_alerts")),
)


def policy_statements(tables: set[str], prefix: str | None = None) -> list[str]:
    """Policies ``TO`` the hq and collector groups where they may see and write every row.

    The same rows as the generic policy says for them, but free: PostgreSQL adds a
    policy for the roles the login is a member of when it plans the statement, and
    ``true OR …`` is folded away, so none of the generic policy's per-statement
    function calls run. That matters where a statement is run once per row (the
    collector's ``INSERT … ON CONFLICT`` under executemany also applies the SELECT
    policy: bench stations). A revoked login is out of its group (``admin revoke``).
    """
    out = []
    for table, role, using, check in _WHOLE_TABLE:
        if table in tables:
            group = group_role(role, prefix)
            out.append(f"DROP POLICY IF EXISTS {group} ON {table}")
            out.append(f"CREATE POLICY {group} ON {table} TO {group} USING ({using}) WITH CHECK ({check})")
    return out


def init(url: str) -> list[str]:
    """Migrate, install triggers and policies, create the groups and grant; returns the group names."""
    from disaster_desk.core.pg_security import RECEIPT_SQL, SCHEMA_SQL

    db = Database.open(url)
    try:
        _postgres(db)
        names = [group_role(role) for role in STATION_ROLES]
        with db.engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(6464)"))
            conn.execute(text(SCHEMA_SQL))
            conn.execute(text(RECEIPT_SQL))
            for name in names:
                if conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}) is None:
                    conn.exec_driver_sql(f"CREATE ROLE {name} NOLOGIN")
            for statement in grant_statements(conn) + policy_statements(_tables(conn)):
                conn.exec_driver_sql(statement)
        return names
    finally:
        db.dispose()


@dataclass(frozen=True)
class StationInfo:
    name: str
    role: str
    ward: str | None
    display_name: str | None
    created_at: datetime
    revoked_at: datetime | None


def _check(name: str, role: str, ward: str | None) -> None:
    if not NAME_RE.match(name):
        raise ValidationError(f"{name!r}: lower-case letters, digits and _, starting with a letter", field="NAME")
    if role not in STATION_ROLES:
        raise ValidationError(f"{role!r} is not one of {', '.join(STATION_ROLES)}", field="--role")
    if role == "ward" and not ward:
        raise ValidationError("a ward station needs --ward (e.g. 北区)", field="--ward")
    if ward is not None and ward not in OSAKA_WARDS:
        raise ValidationError(f"{ward!r} is not one of the 24 wards ({'、'.join(OSAKA_WARDS[:3])}…)", field="--ward")
    if ward is not None and role != "ward":
        raise ValidationError(f"only a ward station has a ward (role {role})", field="--ward")


def station_url(admin_url: str, name: str, password: str) -> str:
    """The station's URL: the admin URL's host, port, database and options with the station's login."""
    url = make_url(admin_url).set(drivername="postgresql", username=name, password=password)
    return url.render_as_string(hide_password=False)


def _password() -> str:
    return secrets.token_urlsafe(24)  # [A-Za-z0-9_-]: safe inside a SQL literal and a URL


def _set_password(conn: Connection, name: str, password: str) -> None:
    conn.exec_driver_sql("SET LOCAL password_encryption = 'scram-sha-256'")
    conn.exec_driver_sql(f"ALTER ROLE {name} LOGIN PASSWORD '{password}'")


def _open(url: str) -> Database:
    db = Database.open(url, migrate=False)
    try:
        _postgres(db)
    except UserError:
        db.dispose()
        raise
    return db


def add_station(url: str, name: str, role: str, ward: str | None = None,
                display_name: str | None = None) -> str:
    """Create the station's login and stations row; returns its connection URL."""
    _check(name, role, ward)
    db = _open(url)
    try:
        password = _password()
        with db.engine.begin() as conn:
            group = group_role(role)
            if conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": group}) is None:
                raise UserError(f"group role {group} does not exist: run 'disaster-desk admin init' first")
            if conn.scalar(text("SELECT 1 FROM stations WHERE name = :n"), {"n": name}) is not None:
                raise UserError(f"station {name} exists (admin rotate {name} gives it a new password)")
            if conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}) is not None:
                raise UserError(f"a PostgreSQL role {name} exists already; choose another station name")
            conn.exec_driver_sql(f"CREATE ROLE {name} NOLOGIN IN ROLE {group}")
            _set_password(conn, name, password)
            conn.execute(text("INSERT INTO stations (name, role, ward, display_name, created_at) "
                              "VALUES (:n, :r, :w, :d, now())"),
                         {"n": name, "r": role, "w": ward, "d": display_name})
        return station_url(url, name, password)
    finally:
        db.dispose()


def list_stations(url: str) -> list[StationInfo]:
    db = _open(url)
    try:
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT name, role, ward, display_name, created_at, revoked_at "
                                     "FROM stations ORDER BY name")).all()
        return [StationInfo(*row) for row in rows]
    finally:
        db.dispose()


def _station(conn: Connection, name: str) -> tuple[str, datetime | None]:
    row = conn.execute(text("SELECT role, revoked_at FROM stations WHERE name = :n"), {"n": name}).first()
    if row is None or not NAME_RE.match(name):
        raise UserError(f"no station {name!r} (admin list shows them)")
    return row.role, row.revoked_at


def revoke(url: str, name: str) -> None:
    """The login can no longer connect nor act: NOLOGIN, no password, out of its group, row marked revoked."""
    db = _open(url)
    try:
        with db.engine.begin() as conn:
            role, revoked = _station(conn, name)
            if revoked is None:
                conn.exec_driver_sql(f"ALTER ROLE {name} NOLOGIN PASSWORD NULL")
                conn.exec_driver_sql(f"REVOKE {group_role(role)} FROM {name}")
                conn.execute(text("UPDATE stations SET revoked_at = now() WHERE name = :n"), {"n": name})
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :n"),
                         {"n": name})
    finally:
        db.dispose()


def rotate(url: str, name: str) -> str:
    """A new password for a station; returns its new URL (the old one stops working)."""
    db = _open(url)
    try:
        password = _password()
        with db.engine.begin() as conn:
            _role, revoked = _station(conn, name)
            if revoked is not None:
                raise UserError(f"station {name} was revoked; add a new station instead")
            _set_password(conn, name, password)
        return station_url(url, name, password)
    finally:
        db.dispose()
