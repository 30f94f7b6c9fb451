"""Several stations, one picture: a report saved at a ward station appears on the HQ map
through LISTEN/NOTIFY, on two real PostgreSQL connections, without reloading the page."""

from __future__ import annotations

import pytest

from disaster_desk.core.db import Database
from disaster_desk.core.models import Shelter
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.reports import ReportService
from disaster_desk.core.settings import MapSettings
from tests.ui.webpage import js

pytestmark = [pytest.mark.gui, pytest.mark.postgres]


def test_ward_report_appears_on_the_hq_map(qtbot, pg_url, clock):
    from disaster_desk.ui.map.live import MapFeed
    from disaster_desk.ui.map.view import MapView

    hq_db = Database.open(pg_url)
    station_db = Database.open(pg_url)  # the ward office: its own engine and connection
    with hq_db.session() as s:
        s.add(Shelter(common_id="E1", name="扇町小学校", ward="北区", lat=34.70, lon=135.51, kinds=["shelter"]))
    view = MapView(MapSettings())
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=60_000):
        view.show()
    js(qtbot, view, "window.ddSentinel = 'same page'")
    feed = MapFeed(view, hq_db, REAL_SCOPE).start()
    try:
        assert feed.subscriber.listening.wait(10)
        station = ReportService(station_db, clock, station_ward="北区")
        ReportService(station_db, clock, Scope.drill("r1")).submit(
            "damage", "北区", {"type": "gas", "severity": "critical", "lat": 34.7, "lon": 135.5}, author="drill")
        with qtbot.waitSignal(feed.applied, timeout=15_000) as got:
            rid = station.submit("shelter", None, {"name": "扇町小学校", "status": "open", "evacuees": 100,
                                                   "capacity": 400}, author="kita").report_id
        assert got.args == [f"report:{rid}"]
        qtbot.waitUntil(lambda: js(qtbot, view, "ddCount()") == 1, timeout=10_000)
        assert js(qtbot, view, f"ddMarker('report:{rid}').options.color") == "#2ca25f"

        with qtbot.waitSignal(feed.applied, timeout=15_000):
            station.edit(rid, {"status": "full", "evacuees": 400}, actor="kita", expected_version=1)
        qtbot.waitUntil(lambda: js(qtbot, view, f"ddMarker('report:{rid}').options.color") == "#d7191c",
                        timeout=10_000)
        assert js(qtbot, view, "ddCount()") == 1  # the drill's damage never reached the real map
        assert js(qtbot, view, "window.ddSentinel") == "same page"
    finally:
        feed.stop()
        hq_db.dispose()
        station_db.dispose()
