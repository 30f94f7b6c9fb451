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


def test_the_migrations_are_one_linear_chain():
    # Parallel branches each adding a migration must renumber on rebase: two heads
    # would let `upgrade heads` apply them in an order no station was tested with.
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from disaster_desk.core.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(cfg)
    assert len(script.get_heads()) == 1
    assert all(len(script.get_revision(rev.revision).nextrev) <= 1 for rev in script.walk_revisions())


def test_two_stations_opening_a_fresh_postgresql_database_at_once_both_start(pg_url):
    """The first upgrade holds an advisory lock; the other waits and finds the schema at head."""
    import threading

    from sqlalchemy import text

    from disaster_desk.core.db import Database

    start = threading.Barrier(3)
    outcomes: list[object] = []

    def station() -> None:
        start.wait()
        try:
            Database.open(pg_url).dispose()
            outcomes.append("open")
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test reads
            outcomes.append(exc)

    threads = [threading.Thread(target=station) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert outcomes == ["open", "open", "open"]
    db = Database.open(pg_url, migrate=False)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    db.dispose()
