"""A database refusal is classified once (core.db_errors), on both engines, from real errors."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine, text

from disaster_desk.core.db_errors import database_problem
from disaster_desk.core.reports import ReportService


def raised(call):
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - the error is the result
        return exc
    raise AssertionError("no error")


def test_a_ward_login_writing_another_wards_report_is_a_permission_problem(cluster, clock):
    ward_db = cluster.open(cluster.station("kita", "ward", "北区"))
    exc = raised(lambda: ReportService(ward_db, clock).submit("damage", "西成区", {"type": "road", "severity": "major"},
                                                              author="北区役所"))
    problem = database_problem(exc)
    assert problem is not None and problem.kind == "permission" and problem.sqlstate == "42501"
    assert "row-level security" in problem.detail


def test_a_statement_timeout_on_postgresql_is_a_timeout_not_a_lost_connection(pg_db):
    def slow():
        with pg_db.engine.connect() as conn:
            conn.execute(text("SET statement_timeout = 50"))
            conn.execute(text("SELECT pg_sleep(5)"))

    problem = database_problem(raised(slow))
    assert problem is not None and (problem.kind, problem.sqlstate) == ("timeout", "57014")


def test_a_locked_sqlite_file_is_a_timeout(tmp_path):
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.05})
    try:
        def write():
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO t VALUES (1)"))

        problem = database_problem(raised(write))
        assert problem is not None and problem.kind == "timeout" and problem.sqlstate is None
    finally:
        holder.close()
        engine.dispose()


@pytest.mark.parametrize("engine_name", ["sqlite", "postgres"])
def test_a_unique_violation_is_a_constraint_and_a_closed_port_unreachable(engine_name, request):
    db = request.getfixturevalue("sqlite_db" if engine_name == "sqlite" else "pg_db")

    def twice():
        with db.engine.begin() as conn:
            conn.execute(text("CREATE TEMPORARY TABLE u (x INTEGER PRIMARY KEY)"))
            conn.execute(text("INSERT INTO u VALUES (1)"))
            conn.execute(text("INSERT INTO u VALUES (1)"))

    assert database_problem(raised(twice)).kind == "constraint"
    if engine_name == "postgres":
        gone = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
        try:
            problem = database_problem(raised(lambda: gone.connect()))
        finally:
            gone.dispose()
        assert problem is not None and problem.kind == "unreachable"


def test_other_errors_are_not_database_problems():
    assert database_problem(ValueError("x")) is None and database_problem(OSError(28, "full")) is None
