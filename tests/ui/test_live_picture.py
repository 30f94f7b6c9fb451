"""The live picture in the real window: a post stored by another process reaches the map, its analysis
updates the queue and the marker, a dismissed post leaves the map — heard through the change contract."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from disaster_desk.core.analysis import AnalysisService
from disaster_desk.core.triage import TriageService
from tests.ui.seed import FIRE_TEXT
from tests.ui.webpage import js

pytestmark = pytest.mark.gui


def test_post_from_another_process_reaches_queue_and_map_and_leaves_when_dismissed(
        make_main_window, sqlite_db, sqlite_url, clock, analyser, qtbot):
    from disaster_desk.ui.workers import ThreadRunner

    window = make_main_window(watch=True, runner=ThreadRunner())
    qtbot.waitUntil(lambda: window.map_view.is_ready, timeout=60_000)
    view = window.map_view
    script = textwrap.dedent(f"""
        from disaster_desk.core.clock import ManualClock
        from disaster_desk.core.db import Database
        from disaster_desk.core.ingest import IngestService, RawPost
        db = Database.open({sqlite_url!r})
        post = RawPost(source="x", external_id="other-1", text={FIRE_TEXT!r}, author="u1",
                       geo_lat=34.6937, geo_lon=135.4718)
        print(IngestService(db, ManualClock()).ingest([post]).new_ids[0])
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    post_id = int(out.stdout.strip())
    key = f"post:{post_id}"
    # stored, not analysed yet: its own coordinates put it on the map, the queue waits for the analysis
    qtbot.waitUntil(lambda: js(qtbot, view, f"!!ddMarker('{key}')"), timeout=10_000)
    assert js(qtbot, view, f"ddMarker('{key}').ddItem.category") == "none"
    assert window.queue.model.row_of(key) < 0

    AnalysisService(sqlite_db, analyser, clock).analyse_ids([post_id])
    qtbot.waitUntil(lambda: window.queue.model.row_of(key) >= 0, timeout=10_000)
    qtbot.waitUntil(lambda: js(qtbot, view, f"ddMarker('{key}').ddItem.category") == "fire", timeout=10_000)

    TriageService(sqlite_db, clock).dismiss("post", post_id, actor="other-station", reason="重複")
    qtbot.waitUntil(lambda: not js(qtbot, view, f"!!ddMarker('{key}')"), timeout=10_000)
    model = window.queue.model
    qtbot.waitUntil(lambda: model.row_of(key) < 0 or model.rows[model.row_of(key)].state == "dismissed",
                    timeout=10_000)


def test_map_draws_its_time_window_and_counts_older_posts_per_ward(make_main_window, sqlite_db, clock, analyser,
                                                                   qtbot):
    from tests.ui.seed import RESCUE_TEXT, posts

    [old] = posts(sqlite_db, clock, analyser, [RESCUE_TEXT], prefix="old")
    clock.advance(hours=7)
    [recent] = posts(sqlite_db, clock, analyser, [FIRE_TEXT], prefix="new")
    window = make_main_window()
    view = window.map_view
    qtbot.waitUntil(lambda: view.is_ready, timeout=60_000)
    window.load_map_items()
    qtbot.waitUntil(lambda: js(qtbot, view, f"!!ddMarker('post:{recent}')"), timeout=10_000)
    # the rescue call of 7 hours ago is outside the default 6-hour window: a count on its ward, no marker
    assert not js(qtbot, view, f"!!ddMarker('post:{old}')")
    wards = "JSON.stringify(ddCountsShown().wards.map(function (c) { return c.name + ':' + c.n; }))"
    qtbot.waitUntil(lambda: js(qtbot, view, wards) == '["北区:1"]', timeout=10_000)  # counts follow the markers
    qtbot.waitUntil(lambda: js(qtbot, view, "document.querySelectorAll('.dd-count-ward').length") == 1,
                    timeout=10_000)
    assert "ほか1件" in view.count_label.text()

    view.window_box.setCurrentIndex(view.window_box.findData(0))  # 全期間
    qtbot.waitUntil(lambda: js(qtbot, view, f"!!ddMarker('post:{old}')"), timeout=10_000)
    assert js(qtbot, view, "ddCountsShown().wards.length") == 0
    # a change re-reads only its key, with the window of now: the old post stays drawn in 全期間
    TriageService(sqlite_db, clock).acknowledge("post", old, actor="op")
    window.hub.poll()
    qtbot.waitUntil(lambda: "確認済" in js(qtbot, view, f"ddMarker('post:{old}').ddItem.fields[4][1]"),
                    timeout=10_000)


def test_a_picture_read_before_a_marker_update_leaves_that_marker_as_updated(make_main_window, sqlite_db, clock,
                                                                              analyser, qtbot):
    from disaster_desk.core.map_items import map_item_for, map_picture
    from tests.ui.seed import RESCUE_TEXT, posts

    [first, second] = posts(sqlite_db, clock, analyser, [FIRE_TEXT, RESCUE_TEXT], prefix="seq")
    window = make_main_window()
    view = window.map_view
    qtbot.waitUntil(lambda: view.is_ready and f"post:{first}" in window._map_items, timeout=60_000)
    scope, map_window = window.scope, view.window
    seq = window._marker_seq
    old_picture = map_picture(sqlite_db, scope, window=map_window, now=clock.now())  # read before the update
    triage = TriageService(sqlite_db, clock)
    triage.dismiss("post", second, actor="op", reason="重複")
    window._apply_markers(scope, {f"post:{second}": None})  # the change: the dismissed post leaves
    triage.acknowledge("post", first, actor="op")
    newer = map_item_for(sqlite_db, f"post:{first}", scope)
    assert newer != next(i for i in old_picture.items if i.key == f"post:{first}")
    window._apply_markers(scope, {f"post:{first}": newer})
    window._apply_map_picture(scope, map_window, old_picture, seq)  # arrives late: older than both updates
    assert f"post:{second}" not in window._map_items
    assert window._map_items[f"post:{first}"] == newer
    qtbot.waitUntil(lambda: not js(qtbot, view, f"!!ddMarker('post:{second}')"), timeout=10_000)
    window._apply_map_picture(scope, map_window, map_picture(sqlite_db, scope, window=map_window, now=clock.now()),
                              window._marker_seq)  # a picture read after them applies in full
    assert f"post:{second}" not in window._map_items and f"post:{first}" in window._map_items
