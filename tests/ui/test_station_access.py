"""The window follows its station's login (PostgreSQL) or settings (SQLite), never saved
window state: a ward station cannot become HQ, the role menu offers only what is allowed,
a refused login is a Japanese dialog."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt

from disaster_desk.core.access import Access, LoginRefused
from disaster_desk.core.db import Database
from tests.station_logins import station_login


def _menu_roles(window) -> list[str]:
    return sorted(window.role_actions)


def test_a_ward_station_cannot_switch_to_hq_by_menu_or_keys(make_main_window, ward_settings, qtbot):
    window = make_main_window(settings=ward_settings)
    assert window.role == "ward" and _menu_roles(window) == ["ward"]
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.role == "ward"
    assert window.set_role("hq") is False and window.role == "ward"
    assert not window.triage_actions["acknowledge"].isEnabled()
    assert not window.docks["ward_form"].isHidden() and window.docks["queue"].isHidden()


def test_an_hq_station_may_run_drills_but_is_not_a_ward_station(make_main_window, qtbot):
    window = make_main_window()
    assert _menu_roles(window) == ["drill", "hq"]
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.role == "drill"
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # no 区 entry, no shortcut
    assert window.role == "drill"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.role == "hq"


def test_saved_window_state_never_gives_the_role(make_main_window, ward_settings, qtbot):
    hq = make_main_window()
    hq.close()  # saves an HQ layout, role hq
    assert hq.qsettings.value("role") == "hq"
    ward = make_main_window(settings=ward_settings)
    assert ward.role == "ward"
    assert "queue" not in {n for n, d in ward.docks.items() if not d.isHidden()}  # the HQ layout is not restored


def test_the_login_fixes_role_and_ward_over_settings(make_main_window, settings, qtbot):
    access = Access(role="ward", ward="淀川区", login="st_yodogawa", display_name="淀川区役所", source="login")
    window = make_main_window(settings=settings.model_copy(update={"role": "hq"}), access=access)
    assert window.role == "ward" and _menu_roles(window) == ["ward"]
    assert window.ward_form.ward == "淀川区" and window.inbox.ward == "淀川区"
    assert "淀川区" in window.windowTitle() and "淀川区役所" in window.windowTitle()


def test_a_viewer_sees_hq_without_triage(make_main_window, settings, qtbot):
    window = make_main_window(access=Access(role="viewer", login="st_view", source="login"))
    assert window.role == "hq" and _menu_roles(window) == ["hq"]
    assert not window.triage_actions["acknowledge"].isEnabled()
    assert window.detail.buttons["acknowledge"].isHidden()


def test_a_ward_login_on_postgres_opens_its_ward_station(make_main_window, settings, pg_url, qtbot):
    from disaster_desk.ui.station_login import open_station_in_background
    from disaster_desk.ui.workers import ThreadRunner

    Database.open(pg_url).dispose()
    with station_login(pg_url, "ward", "北区", display_name="北区役所") as (name, url):
        db, access = open_station_in_background(settings.model_copy(update={"db_url": url}), ThreadRunner(1))
        try:
            assert (access.role, access.ward, access.login) == ("ward", "北区", name)
            window = make_main_window(db=db, access=access)
            assert window.role == "ward" and _menu_roles(window) == ["ward"]
            assert window.inbox.ward == "北区"
            window.close()
        finally:
            db.dispose()


def test_a_revoked_login_gets_a_japanese_dialog_not_a_traceback(settings, pg_url, qtbot):
    from disaster_desk.ui.station_login import login_refused_dialog, open_station_in_background
    from disaster_desk.ui.workers import ThreadRunner

    Database.open(pg_url).dispose()
    with station_login(pg_url, "ward", "北区", revoked=True) as (name, url):
        try:
            open_station_in_background(settings.model_copy(update={"db_url": url}), ThreadRunner(1))
        except LoginRefused as exc:
            refused = exc
    dialog = login_refused_dialog(None, refused)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "ログインできません"
    assert "失効" in dialog.text() and name in dialog.text()
    assert "Traceback" not in dialog.text()


def test_a_viewer_login_starts_although_it_may_not_mark_dead_drill_runs(make_main_window, settings, cluster, qtbot,
                                                                         caplog):
    """The start marks drill runs whose process died (ui.app); a viewer login may not, and still opens."""
    from datetime import datetime, timedelta, timezone

    from disaster_desk.core.models import DrillRun
    from disaster_desk.ui.app import _mark_interrupted_runs
    from disaster_desk.ui.station_login import open_station_in_background, run_in_background
    from disaster_desk.ui.workers import ThreadRunner
    from drills import runs

    now = datetime.now(timezone.utc)
    with cluster.open(cluster.url).session() as s:
        s.add(DrillRun(id="dead-run", scenario="t", speed="1", scenario_start=now, started_at=now - timedelta(hours=1),
                       status="running", host=runs.this_host(), pid=2**22 + 12345, heartbeat_at=now))
    url = cluster.station("view", "viewer")
    runner = ThreadRunner(1)
    db, access = open_station_in_background(settings.model_copy(update={"db_url": url}), runner)
    try:
        with caplog.at_level("WARNING"):
            run_in_background(runner, lambda: _mark_interrupted_runs(db))
        logged = [(r.name, r.levelname, r.getMessage()) for r in caplog.records if r.levelno >= logging.WARNING]
        assert [(name, level) for name, level, _ in logged] == [("drills.runs", "WARNING")], logged
        assert "dead-run" in logged[0][2] and "may not mark them" in logged[0][2]
        with cluster.open(cluster.url).session() as s:
            assert s.get(DrillRun, "dead-run").status == "running"
        window = make_main_window(db=db, access=access)
        assert (access.role, window.role) == ("viewer", "hq") and not window.triage_actions["acknowledge"].isEnabled()
        window.close()
    finally:
        db.dispose()
