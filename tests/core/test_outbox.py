"""The ward station's offline outbox, against a PostgreSQL server stopped and restarted for real."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from disaster_desk.core.db import Database
from disaster_desk.core.models import Report
from disaster_desk.core.outbox import QUEUED, SENT, Outbox, link_problem_ja
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
    down = Outbox(tmp_path / "o.sqlite", f"sqlite:///{blocker / 'shared.sqlite'}", clock, author="k")
    down.submit("system", None, {"system": "区LAN", "status": "down"})
    assert down.link_up is False and len(down.pending()) == 1
    up = Outbox(tmp_path / "o.sqlite", f"sqlite:///{tmp_path / 'shared.sqlite'}", clock, author="k")
    assert up.flush().sent == 1 and up.pending() == []
    up.close()
