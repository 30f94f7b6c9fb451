"""database.timeout_s: every PostgreSQL connection is bounded (connect, statement, lock)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from disaster_desk.core.db import Database, pg_timeouts
from disaster_desk.core.settings import Settings, load_settings


def test_the_setting_defaults_to_ten_seconds_and_is_read_from_the_file(tmp_path):
    assert Settings().database.timeout_s == 10
    path = tmp_path / "settings.yaml"
    path.write_text("database:\n  timeout_s: 3\n", encoding="utf-8")
    assert load_settings(path).database.timeout_s == 3


def test_pg_timeouts_bound_connecting_statements_locks_and_dead_peers():
    args = pg_timeouts(2.5)
    assert args["connect_timeout"] == 2 and args["tcp_user_timeout"] == 2500
    assert "statement_timeout=2500" in args["options"] and "lock_timeout=2500" in args["options"]


@pytest.mark.postgres
def test_a_statement_past_the_timeout_is_ended_by_the_server(pg_url):
    db = Database.open(pg_url, timeout_s=1)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SHOW statement_timeout")).scalar() == "1s"
            assert conn.execute(text("SHOW lock_timeout")).scalar() == "1s"
        with pytest.raises(OperationalError, match="statement timeout"), db.engine.connect() as conn:
            conn.execute(text("SELECT pg_sleep(3)"))
    finally:
        db.dispose()


@pytest.mark.postgres
def test_callers_options_are_kept_next_to_the_timeouts(pg_url):
    db = Database.open(pg_url, migrate=False, connect_args={"options": "-c enable_bitmapscan=off"})
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SHOW enable_bitmapscan")).scalar() == "off"
            assert conn.execute(text("SHOW statement_timeout")).scalar() == "10s"
    finally:
        db.dispose()
