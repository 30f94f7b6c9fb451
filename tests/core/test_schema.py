"""The Alembic migrations build exactly the schema the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from disaster_desk.core.models import Base


def test_migrations_match_models(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_all_tables_exist(db):
    tables = set(inspect(db.engine).get_table_names())
    assert {"posts", "analyses", "reports", "share_events", "audit_log", "drill_runs",
            "collector_checkpoints", "official_alerts", "incidents", "shelters"} <= tables


def test_opening_twice_is_harmless(db_url):
    from disaster_desk.core.db import Database

    Database.open(db_url).dispose()
    Database.open(db_url).dispose()
