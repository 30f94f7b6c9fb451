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


def _ingest_in_another_process(url, external_id, text):
    script = textwrap.dedent(f"""
        from disaster_desk.core.clock import ManualClock
        from disaster_desk.core.db import Database
        from disaster_desk.core.ingest import IngestService, RawPost
        db = Database.open({url!r})
        post = RawPost(source="x", external_id={external_id!r}, text={text!r}, author="u1",
                       geo_lat=34.6937, geo_lon=135.4718)
        print(IngestService(db, ManualClock()).ingest([post]).new_ids[0])
        db.dispose()
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return int(out.stdout.strip())


@pytest.mark.postgres
def test_on_postgresql_a_post_from_another_process_reaches_queue_and_map_and_a_closed_one_fades(
        make_main_window, settings, pg_url, clock, analyser, qtbot):
    """LISTEN/NOTIFY end to end: another process stores, another connection analyses and triages;
    the window's queue row and marker follow each step without a reload of the page."""
    from disaster_desk.core.db import Database
    from disaster_desk.ui.queue_model import COL_STATE
    from disaster_desk.ui.workers import ThreadRunner

    hq_db, other_db = Database.open(pg_url), Database.open(pg_url)
    window = make_main_window(db=hq_db, settings=settings.model_copy(update={"db_url": pg_url}), watch=True,
                              runner=ThreadRunner())
    view, model = window.map_view, window.queue.model
    try:
        qtbot.waitUntil(lambda: view.is_ready, timeout=60_000)
        assert window.hub.subscriber.listening.wait(10)
        js(qtbot, view, "window.ddSentinel = 'same page'")
        post_id = _ingest_in_another_process(pg_url, "pg-other-1", FIRE_TEXT)
        key = f"post:{post_id}"
        qtbot.waitUntil(lambda: js(qtbot, view, f"!!ddMarker('{key}')"), timeout=15_000)
        assert js(qtbot, view, f"ddMarker('{key}').ddItem.category") == "none"  # stored, not analysed yet

        AnalysisService(other_db, analyser, clock).analyse_ids([post_id])
        qtbot.waitUntil(lambda: model.row_of(key) >= 0, timeout=15_000)
        qtbot.waitUntil(lambda: js(qtbot, view, f"ddMarker('{key}').ddItem.category") == "fire", timeout=15_000)
        assert js(qtbot, view, f"ddMarker('{key}').options.opacity") == pytest.approx(0.9)

        triage = TriageService(other_db, clock)
        for step in (triage.acknowledge, triage.verify, triage.close):
            step("post", post_id, actor="other-station")
        qtbot.waitUntil(lambda: js(qtbot, view, f"ddMarker('{key}').options.opacity") < 0.5, timeout=15_000)
        assert "完了" in js(qtbot, view, f"ddMarker('{key}').ddItem.fields[4][1]")
        qtbot.waitUntil(lambda: model.row_of(key) >= 0 and
                        model.index(model.row_of(key), COL_STATE).data() == "完了", timeout=15_000)
        assert js(qtbot, view, "window.ddSentinel") == "same page"
    finally:
        window.hub.stop()
        window.runner.wait(5000)
        other_db.dispose()


def test_a_post_analysed_again_updates_its_row_and_marker_in_place(make_main_window, sqlite_db, clock, analyser,
                                                                   qtbot):
    from disaster_desk.core.analysis import PostAnalysis
    from disaster_desk.core.ingest import IngestService, RawPost
    from disaster_desk.ui.queue_model import COL_LABELS

    class FirstGuess:  # an older analyser version: the post read as a flood
        version = "older-analyser"

        def analyse(self, texts):
            return [PostAnalysis(["flood"], place="野田", ward="福島区", lat=34.6937, lon=135.4718, precision="town")
                    for _ in texts]

    [post_id] = IngestService(sqlite_db, clock).ingest(
        [RawPost(source="x", external_id="again-1", text=FIRE_TEXT, author="u1")]).new_ids
    AnalysisService(sqlite_db, FirstGuess(), clock).analyse_ids([post_id])
    [other] = IngestService(sqlite_db, clock).ingest(
        [RawPost(source="x", external_id="again-2", text="北区で停電しています", author="u2")]).new_ids
    AnalysisService(sqlite_db, FirstGuess(), clock).analyse_ids([other])
    window = make_main_window()
    view, model, key = window.map_view, window.queue.model, f"post:{post_id}"
    qtbot.waitUntil(lambda: view.is_ready, timeout=60_000)
    window.load_map_items()
    qtbot.waitUntil(lambda: js(qtbot, view, f"!!ddMarker('{key}') && ddMarker('{key}').ddItem.category") == "flood",
                    timeout=10_000)
    row = model.row_of(key)
    assert row >= 0 and "浸水" in model.index(row, COL_LABELS).data()
    resets, changed = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda top, _bottom, _roles=(): changed.append(top.row()))

    AnalysisService(sqlite_db, analyser, clock).reanalyse()  # the current analyser reads it again: a fire
    window.hub.poll()
    qtbot.waitUntil(lambda: "火災" in (model.index(model.row_of(key), COL_LABELS).data() or ""), timeout=10_000)
    qtbot.waitUntil(lambda: js(qtbot, view, f"ddMarker('{key}').ddItem.category") == "fire", timeout=10_000)
    assert resets == [] and changed  # updated where it is, not by a reset of the whole queue
    assert js(qtbot, view, f"ddMarker('{key}').options.color") == "#f46d43"
