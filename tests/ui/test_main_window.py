"""Main flows of the window: start, roles, layout persistence, keyboard triage, attention."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from disaster_desk.core.models import AuditEntry, ShareEvent
from tests.ui.ime import ime_type
from tests.ui.seed import FIRE_TEXT, RESCUE_TEXT, posts


def visible_docks(window):
    return {name for name, dock in window.docks.items() if not dock.isHidden()}


def test_window_starts_with_hq_panels(main_window):
    assert main_window.windowTitle().startswith("災害情報デスク")
    assert visible_docks(main_window) == {"queue", "detail", "map", "reports", "alerts", "drill", "collectors", "log"}
    assert main_window.drill_band.isHidden()


def test_role_switch_changes_panels_and_permissions(make_main_window, ward_settings, qtbot):
    ward = make_main_window(settings=ward_settings)
    assert {"ward_form", "inbox", "map"} <= visible_docks(ward)
    assert "queue" not in visible_docks(ward)
    assert not ward.triage_actions["acknowledge"].isEnabled()
    assert ward.detail.buttons["acknowledge"].isHidden()
    hq = make_main_window()
    hq.set_role("drill")
    assert {"drill", "queue", "map"} <= visible_docks(hq)
    assert hq.triage_actions["acknowledge"].isEnabled()


def test_layout_font_size_and_role_persist(make_main_window, qtbot):
    first = make_main_window()
    first.resize(1300, 950)
    first.set_role("drill")
    first.role_actions["hq"].trigger()
    first.docks["log"].hide()
    qtbot.keyClick(first, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    scale = first.font_scale
    assert scale > 1.0
    size = first.size()
    first.close()
    second = make_main_window()
    assert second.size() == size
    assert second.role == "hq"
    assert second.font_scale == scale
    assert second.docks["log"].isHidden()
    assert "ui-state.ini" in second.qsettings.fileName() and "dd-home" in second.qsettings.fileName()


def test_triage_by_keyboard_alone(make_main_window, sqlite_db, clock, analyser, qtbot):
    [post_id] = posts(sqlite_db, clock, analyser, [FIRE_TEXT])
    window = make_main_window()
    window.queue.focus_table()
    assert window.queue.selected_row().item_id == post_id
    qtbot.keyClick(window.queue.table, Qt.Key.Key_A)
    assert window.queue.selected_row().state == "acknowledged"
    qtbot.keyClick(window.queue.table, Qt.Key.Key_V)
    assert window.queue.selected_row().state == "verified"
    qtbot.keyClick(window.queue.table, Qt.Key.Key_S)
    dialog = window.share_dialog
    assert dialog is not None and dialog.isVisible()
    ime_type(dialog.filter, "消防")
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.share_dialog is None)
    assert window.queue.selected_row().state == "shared"
    with sqlite_db.session() as s:
        actions = [(a.action, a.who) for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        targets = sorted(e.target for e in s.scalars(select(ShareEvent).where(ShareEvent.item_id == post_id)))
    transitions = [a for a, actor in actions if actor == "tester"]
    assert transitions[:2] == ["triage.acknowledge", "triage.verify"] or transitions[:2] == ["acknowledge", "verify"]
    assert any("share" in a for a in transitions[2:])
    assert "消防局" in targets


def test_refused_action_is_reported_not_raised(make_main_window, sqlite_db, clock, analyser, qtbot):
    posts(sqlite_db, clock, analyser, [FIRE_TEXT])
    window = make_main_window()
    window.queue.focus_table()
    qtbot.keyClick(window.queue.table, Qt.Key.Key_V)  # verify needs acknowledge first
    assert window.queue.selected_row().state == "new"
    box = window.error_dialog  # an error a person must act on stays on screen until read
    assert box is not None and box.isVisible() and "新規のため検証できません" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.error_dialog is None)


def test_new_rescue_item_raises_a_non_modal_banner(make_main_window, sqlite_db, clock, analyser, qtbot):
    window = make_main_window()
    assert window.rescue_banner.isHidden()
    [post_id] = posts(sqlite_db, clock, analyser, [RESCUE_TEXT])
    window.hub.poll()
    assert window.rescue_banner.isVisible()
    assert RESCUE_TEXT[:10] in window.rescue_banner.message.text()
    assert QApplication.activeModalWidget() is None
    assert window.queue.model.row_of(f"post:{post_id}") >= 0
    window.rescue_banner.show_button.click()
    assert window.queue.selected_row().item_id == post_id


def test_help_overlay_lists_every_triage_shortcut(main_window, qtbot):
    qtbot.keyClick(main_window, Qt.Key.Key_F1)
    assert main_window.help_overlay.isVisible()
    keys = {k for k, _ in main_window.help_overlay.entries}
    assert {"A", "V", "S", "D", "C", "/"} <= keys
    qtbot.keyClick(main_window.help_overlay, Qt.Key.Key_Escape)
    assert not main_window.help_overlay.isVisible()


def test_slash_focuses_search_and_filters(make_main_window, sqlite_db, clock, analyser, qtbot):
    posts(sqlite_db, clock, analyser, [FIRE_TEXT, RESCUE_TEXT])
    window = make_main_window()
    window.queue.focus_table()
    qtbot.keyClick(window.queue.table, Qt.Key.Key_Slash)
    assert window.queue.search.hasFocus()
    ime_type(window.queue.search, "野田阪神")
    qtbot.waitUntil(lambda: window.queue.model.rowCount() == 1)
    assert "野田阪神" in window.queue.model.row_at(0).text


def test_log_panel_shows_log_records(main_window):
    import logging

    logging.getLogger("disaster_desk.test").warning("ログ表示の確認")
    assert "ログ表示の確認" in main_window.log_panel.text()


def test_demo_plays_into_the_queue_in_drill_mode(make_main_window, analyser, qtbot):
    window = make_main_window(analyser_provider=lambda: analyser)
    window.start_demo()
    assert window.scope.is_drill and window.drill_band.isVisible()
    assert "EXERCISE" in window.drill_band.label.text()
    window.hub.start()
    qtbot.waitUntil(lambda: window.queue.model.rowCount() >= 3, timeout=30_000)
    row = window.queue.model.row_at(0)
    assert row.labels and row.labels != ["none"]
    assert "訓練中" in window.windowTitle()


def test_drill_panel_start_switches_the_window_to_the_drill(make_main_window, analyser, qtbot):
    window = make_main_window(analyser_provider=lambda: analyser)
    window.set_role("drill")
    panel = window.drill_panel
    assert hasattr(panel, "run_started"), "drill panel module missing"
    with qtbot.waitSignal(panel.run_started, timeout=30_000):
        panel.start()
    assert window.scope == panel.engine.scope
    assert window.drill_band.isVisible()
    panel.end_now()


def test_collector_status_written_by_another_process_shows_in_the_window(make_main_window, sqlite_db, clock):
    from collectors.status import CollectorStatus, StatusStore

    StatusStore(sqlite_db, clock).save(CollectorStatus("jma", "error", last_run=clock.now(), last_error="timeout"))
    window = make_main_window()
    window.refresh_collectors()
    assert window.collectors.table.item(0, 0).text() == "jma"
    assert "jma ✕" in window.collector_label.text()


def test_no_enabled_collector_means_no_in_process_collection(settings, sqlite_db):
    from disaster_desk.ui.collection import start_collection

    assert start_collection(settings, sqlite_db) is None


def test_demo_start_can_be_cancelled_while_the_model_loads(make_main_window, sqlite_db, analyser, qtbot):
    import threading

    from disaster_desk.core.models import DrillRun
    from disaster_desk.ui.workers import ThreadRunner

    release = threading.Event()

    def slow_analyser():
        release.wait(10)
        return analyser

    runner = ThreadRunner()
    window = make_main_window(analyser_provider=slow_analyser, runner=runner)
    window.start_demo()
    assert window.progress.isVisible() and window.cancel_button.isVisible()
    assert window.queue.isVisible()  # the window stays usable meanwhile
    loading = window.demo.loading
    window.cancel_button.click()
    release.set()
    qtbot.waitUntil(lambda: loading.done, timeout=10_000)  # the task ended and reported back
    assert not window.scope.is_drill and window.drill_band.isHidden()
    with sqlite_db.session() as s:
        assert s.scalars(select(DrillRun)).all() == []


def test_triage_keys_do_nothing_while_typing_elsewhere(make_main_window, sqlite_db, clock, analyser, qtbot):
    posts(sqlite_db, clock, analyser, [FIRE_TEXT])
    window = make_main_window()
    window.queue.focus_table()
    window.queue.ward_box.setFocus()  # a filter box, not the queue
    qtbot.keyClick(window.queue.ward_box, Qt.Key.Key_D)
    assert window.queue.selected_row().state == "new"
    assert "Esc" in window.statusBar().currentMessage()
    qtbot.keyClick(window.queue.ward_box, Qt.Key.Key_Escape)
    qtbot.keyClick(window.queue.table, Qt.Key.Key_D)
    assert window.queue.selected_row().state == "dismissed"
