"""LISTEN/NOTIFY: a report saved at a ward station reaches HQ on another connection."""

from __future__ import annotations

import queue
import threading

import pytest

from disaster_desk.core import changes
from disaster_desk.core.db import Database
from disaster_desk.core.items import ItemKey
from disaster_desk.core.listener import ChangeListener, conninfo, notifications
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.reports import ReportService
from tests.stoppable_pg import start_cluster

SHELTER = {"name": "扇町小学校", "status": "open", "evacuees": 120}


def test_conninfo_is_a_libpq_url():
    assert conninfo("postgresql+psycopg://u:p@h:5433/db") == "postgresql://u:p@h:5433/db"
    assert conninfo("postgres://h/db") == "postgresql://h/db"


@pytest.mark.postgres
def test_report_from_a_ward_station_is_heard_at_hq(pg_url, clock):
    station = Database.open(pg_url)  # the ward office's own connection
    heard: queue.Queue = queue.Queue()
    hq = ChangeListener(pg_url, heard.put).start()  # HQ's listening connection
    try:
        assert hq.listening.wait(10)
        rid = ReportService(station, clock, station_ward="北区").submit("shelter", None, SHELTER, author="kita").report_id
        ReportService(station, clock, Scope.drill("r1")).submit("shelter", "北区", SHELTER, author="drill")
        first, second = heard.get(timeout=10), heard.get(timeout=10)
    finally:
        hq.stop()
        station.dispose()
    assert (first["kind"], first["keys"], first["mode"], first["run_id"]) == ("stored", [f"report:{rid}"], "real", "")
    assert second["mode"] == "drill" and second["run_id"] == "r1"


@pytest.mark.postgres
def test_notifications_generator_ends_after_quiet_and_skips_rolled_back_work(pg_url, clock):
    db = Database.open(pg_url)
    ready = threading.Event()
    got: list = []
    reader = threading.Thread(target=lambda: got.extend(notifications(pg_url, timeout=2, on_listening=ready.set)))
    reader.start()
    assert ready.wait(10)
    with pytest.raises(RuntimeError), db.session() as s:
        changes.emit(s, changes.STORED, [ItemKey.report(1)], REAL_SCOPE, clock.now())
        raise RuntimeError("rolled back: never delivered")
    with db.session() as s:
        changes.emit(s, changes.STORED, [ItemKey.report(7)], REAL_SCOPE, clock.now())
    reader.join(15)
    db.dispose()
    assert [g["keys"] for g in got] == [["report:7"]]


@pytest.mark.postgres
def test_listener_reconnects_after_the_server_restarts(clock):
    cluster = start_cluster()
    if cluster is None:
        pytest.skip("no PostgreSQL binaries for a throwaway cluster")
    heard: queue.Queue = queue.Queue()
    listener = ChangeListener(cluster.url, heard.put, retry_s=0.2).start()
    try:
        assert listener.listening.wait(10)
        cluster.halt()
        cluster.resume()
        db = Database.open(cluster.url)
        # keep reporting until the reconnected listener hears one
        for n in range(50):
            ReportService(db, clock).submit("system", None, {"system": f"s{n}", "status": "up"}, author="hq")
            try:
                assert heard.get(timeout=0.5)["keys"][0].startswith("report:")
                break
            except queue.Empty:
                continue
        else:
            pytest.fail(f"listener never reconnected: {listener.last_error}")
        db.dispose()
    finally:
        listener.stop()
        cluster.stop()
