"""The change hub: changes of the window's scope reach the GUI thread; the markers of changed keys are re-read."""

from __future__ import annotations

import pytest

from disaster_desk.core.changes import STORED, TRIAGED
from disaster_desk.core.items import ItemKey
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.reports import ReportService
from disaster_desk.core.triage import TriageService

pytestmark = pytest.mark.gui

SHELTER = {"name": "扇町小学校", "status": "open", "evacuees": 120}


def test_poll_delivers_only_the_hubs_scope(qtbot, sqlite_db, clock, sync_runner):
    from disaster_desk.ui.change_hub import ChangeHub

    hub = ChangeHub(sqlite_db, sync_runner, REAL_SCOPE)
    heard: list = []
    hub.changed.connect(heard.append)
    ReportService(sqlite_db, clock, Scope.drill("r1")).submit("shelter", "北区", SHELTER, author="drill")
    rid = ReportService(sqlite_db, clock, station_ward="北区").submit("shelter", None, SHELTER, author="kita").report_id
    TriageService(sqlite_db, clock).acknowledge("report", rid, actor="op")
    hub.poll()
    assert [[(c.kind, c.keys) for c in batch] for batch in heard] == [
        [(STORED, (ItemKey.report(rid),)), (TRIAGED, (ItemKey.report(rid),))]]
    heard.clear()
    hub.poll()
    assert heard == []


def test_started_hub_hears_another_station(qtbot, db, clock):
    """Both engines: a report stored on another connection arrives in the GUI thread without polling there."""
    from disaster_desk.core.db import Database
    from disaster_desk.ui.change_hub import ChangeHub
    from disaster_desk.ui.workers import ThreadRunner

    station = Database.open(db.engine.url.render_as_string(hide_password=False))
    hub = ChangeHub(db, ThreadRunner(), REAL_SCOPE)
    hub.start()
    try:
        qtbot.waitUntil(lambda: hub.subscriber.listening.is_set(), timeout=10_000)
        with qtbot.waitSignal(hub.changed, timeout=10_000) as got:
            rid = ReportService(station, clock, station_ward="北区").submit("shelter", None, SHELTER,
                                                                           author="kita").report_id
        assert got.args[0][0].keys == (ItemKey.report(rid),)
    finally:
        hub.stop()
        station.dispose()


def test_changes_heard_close_together_are_delivered_as_one_batch(qtbot, sqlite_db, sync_runner):
    from datetime import datetime, timezone

    from disaster_desk.core.changes import ANALYSED, GROUPED, Change
    from disaster_desk.ui.change_hub import ChangeHub

    hub = ChangeHub(sqlite_db, sync_runner, REAL_SCOPE)
    heard: list = []
    hub.changed.connect(heard.append)
    at = datetime(2026, 12, 6, tzinfo=timezone.utc)
    stored, analysed, grouped = (Change(kind, (ItemKey.post(1),), REAL_SCOPE, at, n)
                                 for n, kind in enumerate((STORED, ANALYSED, GROUPED), 1))
    hub._heard.emit([stored])  # as the subscriber thread does: one NOTIFY after another
    hub._heard.emit([analysed])
    hub._heard.emit([grouped])
    qtbot.waitUntil(lambda: len(heard) >= 1, timeout=5_000)
    assert heard == [[stored]]  # the first at once
    qtbot.waitUntil(lambda: len(heard) == 2, timeout=5_000)
    assert heard[1] == [analysed, grouped]  # the rest after the quiet spell, together
    qtbot.wait(2 * ChangeHub.COALESCE_MS)
    assert len(heard) == 2
