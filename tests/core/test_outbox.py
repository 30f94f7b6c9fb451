"""The ward station's offline outbox, against a PostgreSQL server stopped and restarted for real."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from disaster_desk.core.db import Database
from disaster_desk.core.models import Report
from disaster_desk.core.outbox import QUEUED, SENT, Outbox
from disaster_desk.core.reports import ReportService
from disaster_desk.errors import ValidationError
from tests.stoppable_pg import start_cluster

MUSTER = {"office": "北区役所", "arrived": 12, "expected": 80}


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
    outbox = Outbox(tmp_path / "outbox.sqlite", cluster.url, clock, author="kita", station_ward="北区")
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
    outbox = Outbox(tmp_path / "outbox.sqlite", cluster.url, clock, author="kita", station_ward="北区")
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
