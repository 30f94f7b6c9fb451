"""The ward station's offline outbox, against a PostgreSQL server stopped and restarted for real."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from disaster_desk.core.db import Database
from disaster_desk.core.models import Report
from disaster_desk.core.outbox import HELD, QUEUED, SENT, Outbox, link_problem_ja
from disaster_desk.core.reports import ReportService
from disaster_desk.core.retry import Backoff, Reconnect
from disaster_desk.errors import ValidationError
from tests.stoppable_pg import start_cluster

MUSTER = {"office": "北区役所", "arrived": 12, "expected": 80}


def no_wait() -> Reconnect:
    """The retry policy with no wait between tries (tests that are not about the wait)."""
    return Reconnect(Backoff(attempts=0, base_s=0.0))


@pytest.fixture
def cluster():
    c = start_cluster()
    if c is None:
        pytest.skip("no PostgreSQL binaries for a throwaway cluster")
    yield c
    c.stop()


def _stored(url):
    db = Database.open(url)
    try:
        with db.session() as s:
            return s.scalars(select(Report).order_by(Report.id)).all(), s.scalar(
                select(func.count(func.distinct(Report.client_uuid))))
    finally:
        db.dispose()


@pytest.mark.postgres
def test_reports_queue_while_the_server_is_down_and_are_sent_once_when_it_returns(cluster, tmp_path, clock):
    outbox = Outbox(tmp_path / "outbox.sqlite", cluster.url, clock, author="kita", station_ward="北区",
                    retry=no_wait())
    first = outbox.submit("muster", None, MUSTER)
    assert first.state == SENT and outbox.link_up

    cluster.halt()
    clock.advance(300)
    queued = [outbox.submit("muster", "北区", {**MUSTER, "arrived": n}) for n in (20, 30)]
    assert [q.state for q in queued] == [QUEUED, QUEUED]
    assert outbox.link_up is False and outbox.last_error
    assert outbox.flush().queued == 2  # still down: nothing lost, nothing sent

    cluster.resume()
    result = outbox.flush()
    assert (result.sent, result.queued, result.link_up) == (2, 0, True)
    assert outbox.flush().sent == 0  # sent once each
    reports, distinct = _stored(cluster.url)
    assert [r.payload["arrived"] for r in reports] == [12, 20, 30]
    assert distinct == 3
    # created_at is the station's time of entry, not the time the link came back
    assert reports[1].created_at == queued[0].created_at
    outbox.close()


@pytest.mark.postgres
def test_a_resend_after_a_lost_acknowledgement_is_stored_once(cluster, tmp_path, clock):
    outbox = Outbox(tmp_path / "outbox.sqlite", cluster.url, clock, author="kita", station_ward="北区",
                    retry=no_wait())
    cluster.halt()
    item = outbox.submit("shelter", None, {"name": "扇町小学校", "status": "open"})
    cluster.resume()
    # The server got the report but the station never heard back (e.g. the link dropped mid-reply).
    db = Database.open(cluster.url)
    ReportService(db, clock).submit(item.kind, item.ward, item.data, author="kita", client_uuid=item.client_uuid)
    db.dispose()
    assert outbox.flush().sent == 1
    reports, _ = _stored(cluster.url)
    assert len(reports) == 1 and outbox.item(item.client_uuid).report_id == reports[0].id
    outbox.close()


@pytest.mark.postgres
def test_a_frozen_server_counts_as_down_within_the_timeout(cluster, tmp_path, clock):
    """SIGSTOPped postmaster and backends: the kernel accepts, nothing answers; the flush must not hang."""
    import time

    outbox = Outbox(tmp_path / "outbox.sqlite", cluster.url, clock, author="kita", station_ward="北区",
                    timeout_s=2, retry=no_wait())
    assert outbox.submit("muster", None, MUSTER).state == SENT  # a pooled connection to the server is open
    fresh = Outbox(tmp_path / "fresh.sqlite", cluster.url, clock, author="kita", station_ward="北区",
                   timeout_s=2, retry=no_wait())  # a station starting while HQ is frozen
    cluster.freeze()
    try:
        for station in (outbox, fresh):
            started = time.monotonic()
            item = station.submit("muster", None, {**MUSTER, "arrived": 20}, send=False)
            result = station.flush()
            took = time.monotonic() - started
            assert took < 2 + 3, f"flush took {took:.1f} s against a frozen server"
            assert (result.link_up, result.queued, station.link_up) == (False, 1, False)
            assert "タイムアウト" in link_problem_ja(result.error)
            assert station.item(item.client_uuid).state == QUEUED
    finally:
        cluster.thaw()
    assert outbox.flush(force=True).sent == 1 and fresh.flush(force=True).sent == 1
    reports, distinct = _stored(cluster.url)
    assert len(reports) == distinct == 3  # an abandoned send that completed on thaw is not stored twice
    outbox.close()
    fresh.close()


def test_after_a_link_failure_the_next_try_waits_as_the_retry_policy_says(tmp_path, clock):
    now = [100.0]
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    down = Outbox(tmp_path / "o.sqlite", f"sqlite:///{blocker / 'shared.sqlite'}", clock, author="k",
                  retry=Reconnect(Backoff(attempts=0, base_s=8.0, cap_s=8.0)), monotonic=lambda: now[0])
    down.retry.backoff.rng.seed(1)
    item = down.submit("system", None, {"system": "区LAN", "status": "down"})
    assert down.item(item.client_uuid).attempts == 1
    result = down.flush()  # within the jittered wait: not tried
    assert result.retry_in_s is not None and 0 <= result.retry_in_s <= 8.0
    assert down.item(item.client_uuid).attempts == 1 and result.link_up is False
    down.flush(force=True)  # an operator's 再送信 tries at once
    assert down.item(item.client_uuid).attempts == 2
    now[0] += 8.0 * 2 ** 1 + 0.1  # past the longest second wait
    down.flush()
    assert down.item(item.client_uuid).attempts == 3
    assert down.retry.failures == 3


def test_bad_input_is_refused_at_once_and_not_queued(tmp_path, clock):
    outbox = Outbox(tmp_path / "o.sqlite", f"sqlite:///{tmp_path / 'shared.sqlite'}", clock, author="k",
                    station_ward="北区")
    with pytest.raises(ValidationError) as err:
        outbox.submit("muster", "北区", {**MUSTER, "arrived": "many"})
    assert err.value.field == "arrived"
    with pytest.raises(ValidationError) as err:
        outbox.submit("muster", "淀川区", MUSTER)
    assert err.value.field == "ward"
    assert outbox.items() == []


def test_queue_survives_a_restart_of_the_station(tmp_path, clock):
    """An unreachable database at startup: the queue is kept on disk and sent by the next process."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    url = f"sqlite:///{blocker / 'shared.sqlite'}"
    down = Outbox(tmp_path / "o.sqlite", url, clock, author="k")
    down.submit("system", None, {"system": "区LAN", "status": "down"})
    assert down.link_up is False and len(down.pending()) == 1
    blocker.unlink()
    blocker.mkdir()  # the shared folder is back
    up = Outbox(tmp_path / "o.sqlite", url, clock, author="k")
    assert up.flush().sent == 1 and up.pending() == []
    up.close()


def _sqlite_reports(url):
    db = Database.open(url)
    try:
        with db.session() as s:
            return s.scalars(select(Report).order_by(Report.id)).all()
    finally:
        db.dispose()


def test_a_report_queued_in_a_drill_is_stored_as_that_drill_runs(tmp_path, clock):
    from disaster_desk.core.modes import Scope

    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    outbox = Outbox(tmp_path / "o.sqlite", url, clock, author="北区役所 田中", author_login="kita",
                    author_name="北区役所 田中", station_ward="北区")
    outbox.set_scope(Scope.drill("run-7"))
    drill = outbox.submit("muster", None, MUSTER, send=False)
    outbox.set_scope(Scope())  # the drill ends before the link is up: the report keeps its scope
    real = outbox.submit("muster", None, {**MUSTER, "arrived": 40}, send=False)
    assert (drill.scope, drill.target, drill.author_login) == (Scope.drill("run-7"), outbox.target, "kita")
    assert outbox.flush().sent == 2
    reports = _sqlite_reports(url)
    assert [(r.mode, r.run_id, r.payload["arrived"], r.author) for r in reports] == [
        ("drill", "run-7", 12, "北区役所 田中"), ("real", "", 40, "北区役所 田中")]
    assert [i.client_uuid for i in outbox.items(scope=Scope.drill("run-7"))] == [drill.client_uuid]
    assert [i.client_uuid for i in outbox.items(scope=Scope())] == [real.client_uuid]
    outbox.close()


def test_a_report_queued_for_one_database_is_never_delivered_to_another(tmp_path, clock):
    url_a = f"sqlite:///{tmp_path / 'a.sqlite'}"
    url_b = f"sqlite:///{tmp_path / 'b.sqlite'}"
    a = Outbox(tmp_path / "o.sqlite", url_a, clock, author="kita-tanaka", station_ward="北区")
    item = a.submit("muster", None, MUSTER, send=False)
    b = Outbox(tmp_path / "o.sqlite", url_b, clock, author="operator", station_ward="北区")  # reconfigured
    result = b.flush()
    assert (result.sent, result.queued, result.held) == (0, 0, 1)
    held = b.item(item.client_uuid)
    assert held.state == HELD and "別のデータベース宛て" in held.last_error and "a.sqlite" in held.last_error
    assert _sqlite_reports(url_b) == []
    b.close()
    again = Outbox(tmp_path / "o.sqlite", url_a, clock, author="operator", station_ward="北区")
    assert again.flush().sent == 1  # to its own database, under its own author
    [report] = _sqlite_reports(url_a)
    assert (report.client_uuid, report.author) == (item.client_uuid, "kita-tanaka")
    again.close()


def test_an_outbox_file_of_an_older_version_gets_the_columns_and_its_rows_are_held(tmp_path, clock):
    import sqlite3

    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("""CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, client_uuid TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL, ward TEXT, data TEXT NOT NULL, created_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'queued', attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
        report_id INTEGER, sent_at TEXT)""")
    conn.execute("INSERT INTO outbox (client_uuid, kind, ward, data, created_at) VALUES "
                 "('u-old', 'muster', '北区', '{\"office\": \"北区役所\", \"arrived\": 3}', '2026-01-01T00:00:00+00:00')")
    conn.commit()
    conn.close()
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    outbox = Outbox(path, url, clock, author="kita", station_ward="北区")
    [old] = outbox.items()
    assert (old.scope.mode, old.target, old.author) == ("real", None, None)
    fresh = outbox.submit("muster", None, MUSTER, send=False)
    result = outbox.flush()
    assert (result.sent, result.held) == (1, 1)
    assert outbox.item("u-old").state == HELD and "宛先の記録がない" in outbox.item("u-old").last_error
    assert [r.client_uuid for r in _sqlite_reports(url)] == [fresh.client_uuid]
    outbox.close()


def test_database_identity_drops_the_password_and_the_driver(tmp_path):
    from disaster_desk.core.db import database_identity

    assert database_identity("postgresql://kita:s3cret@hq:5432/desk") == "postgresql://kita@hq:5432/desk"
    assert database_identity("postgresql+psycopg://kita:x@hq/desk") == "postgresql://kita@hq:5432/desk"
    assert database_identity("postgresql://kita@hq/other") != database_identity("postgresql://kita@hq/desk")
    assert "s3cret" not in database_identity("postgresql://kita:s3cret@hq/desk")
    assert database_identity(f"sqlite:///{tmp_path}/x/../d.sqlite") == f"sqlite:///{tmp_path.resolve()}/d.sqlite"
