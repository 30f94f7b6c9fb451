"""core.stations: the client reads its role and ward from the stations row of its login."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import text

from disaster_desk.core.stations import Station, current_station


def test_sqlite_has_no_station(tmp_path):
    from disaster_desk.core.db import Database

    db = Database.open(f"sqlite:///{tmp_path / 'dd.sqlite'}")
    try:
        with db.session() as session:
            assert current_station(session) is None
    finally:
        db.dispose()


def test_postgres_reads_the_row_of_the_login(pg_db):
    with pg_db.session() as session:
        assert current_station(session) is None  # the owner has no row
        session.execute(
            text("INSERT INTO stations (name, role, ward, display_name, created_at) "
                 "VALUES (session_user, 'ward', '北区', '北区役所', :now)"),
            {"now": datetime(2026, 12, 4, tzinfo=timezone.utc)},
        )
    with pg_db.engine.connect() as conn:
        assert current_station(conn) == Station(
            name=conn.execute(text("SELECT session_user")).scalar_one(),
            role="ward", ward="北区", display_name="北区役所",
        )
    with pg_db.session() as session:
        session.execute(text("UPDATE stations SET revoked_at = now()"))
        assert current_station(session) is None
