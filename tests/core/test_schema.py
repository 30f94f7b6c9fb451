"""The Alembic migrations build exactly the schema the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from disaster_desk.core.models import Base
from disaster_desk.core.queue_text import is_search_object


def test_migrations_match_models(db):
    # The free-text search index (FTS5 tables / a pg_trgm index) is not declared in the models.
    opts = {"include_name": lambda name, _type, _parent: not is_search_object(name)}
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)
    assert diff == []


def test_all_tables_exist(db):
    tables = set(inspect(db.engine).get_table_names())
    assert {"posts", "analyses", "reports", "share_events", "audit_log", "drill_runs",
            "collector_checkpoints", "official_alerts", "incidents", "shelters"} <= tables


def test_opening_twice_is_harmless(db_url):
    from disaster_desk.core.db import Database

    Database.open(db_url).dispose()
    Database.open(db_url).dispose()
