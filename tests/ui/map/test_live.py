"""Several stations, one picture: a report saved at a ward station appears on the HQ map
through LISTEN/NOTIFY (the window's ChangeHub), on two real PostgreSQL connections, without
reloading the page."""

from __future__ import annotations

import pytest

from disaster_desk.core.db import Database
from disaster_desk.core.models import Shelter
from disaster_desk.core.modes import Scope
from disaster_desk.core.reports import ReportService
from tests.ui.webpage import js

pytestmark = [pytest.mark.gui, pytest.mark.postgres]


def test_ward_report_appears_on_the_hq_map(make_main_window, settings, qtbot, pg_url, clock):
    from disaster_desk.ui.workers import ThreadRunner

    hq_db = Database.open(pg_url)
    station_db = Database.open(pg_url)  # the ward office: its own engine and connection
    with hq_db.session() as s:
        s.add(Shelter(common_id="E1", name="扇町小学校", ward="北区", lat=34.70, lon=135.51, kinds=["shelter"]))
    window = make_main_window(db=hq_db, settings=settings.model_copy(update={"db_url": pg_url}), watch=True,
                              runner=ThreadRunner())
    view = window.map_view
    try:
        qtbot.waitUntil(lambda: view.is_ready, timeout=60_000)
        js(qtbot, view, "window.ddSentinel = 'same page'")
        assert window.hub.subscriber.listening.wait(10)
        station = ReportService(station_db, clock, station_ward="北区")
        drill = ReportService(station_db, clock, Scope.drill("r1")).submit(
            "damage", "北区", {"type": "gas", "severity": "critical", "lat": 34.7, "lon": 135.5},
            author="drill").report_id
        rid = station.submit("shelter", None, {"name": "扇町小学校", "status": "open", "evacuees": 100,
                                               "capacity": 400}, author="kita").report_id
        key = f"report:{rid}"
        qtbot.waitUntil(lambda: js(qtbot, view, f"!!ddMarker('{key}')"), timeout=15_000)
        assert js(qtbot, view, f"ddMarker('{key}').options.color") == "#2ca25f"

        station.edit(rid, {"status": "full", "evacuees": 400}, actor="kita", expected_version=1)
        qtbot.waitUntil(lambda: js(qtbot, view, f"ddMarker('{key}').options.color") == "#d7191c", timeout=15_000)
        assert not js(qtbot, view, f"!!ddMarker('report:{drill}')")  # the drill's damage never reached the real map
        assert js(qtbot, view, "window.ddSentinel") == "same page"
    finally:
        window.close()
        window.runner.wait(5000)
        hq_db.dispose()
        station_db.dispose()
