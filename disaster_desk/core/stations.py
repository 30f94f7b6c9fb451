"""Who this station is: the ``stations`` row of the database login (PostgreSQL).

On PostgreSQL every station connects with its own login
(``disaster-desk admin add-station``); its role and ward live in the
``stations`` table and are read here, so the client follows what the database
enforces (row-level security keys on the same row). On SQLite there is one
station and no login: :func:`current_station` returns ``None`` and the caller
takes role and ward from settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from disaster_desk.core.models import STATION_ROLES

__all__ = ["STATION_ROLES", "Station", "current_station"]


@dataclass(frozen=True)
class Station:
    """A station's login name, role (``STATION_ROLES``), ward (ward stations) and display name."""

    name: str
    role: str
    ward: str | None = None
    display_name: str | None = None


_CURRENT = text(
    "SELECT name, role, ward, display_name FROM stations "
    "WHERE name = session_user AND revoked_at IS NULL"
)


def current_station(session_or_conn: Session | Connection | Any) -> Station | None:
    """The station of the connected login, or ``None`` (SQLite, or a login with no row, e.g. the owner)."""
    bind = session_or_conn.get_bind() if isinstance(session_or_conn, Session) else session_or_conn
    dialect = bind.dialect if hasattr(bind, "dialect") else bind.engine.dialect
    if dialect.name != "postgresql":
        return None
    row = session_or_conn.execute(_CURRENT).first()
    if row is None:
        return None
    return Station(name=row.name, role=row.role, ward=row.ward, display_name=row.display_name)
