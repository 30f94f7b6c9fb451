"""Each small panel on its own: alerts, collectors, log, share dialog, banner, help overlay."""

from __future__ import annotations

import logging
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from collectors.status import CollectorStatus
from disaster_desk.core.alerts import AlertRecord, AlertService
from disaster_desk.core.area import SHARE_TARGETS
from disaster_desk.core.modes import Scope
from disaster_desk.ui.alerts_panel import AlertsPanel
from disaster_desk.ui.attention import RescueBanner
from disaster_desk.ui.collector_panel import CollectorPanel
from disaster_desk.ui.help_overlay import HelpOverlay
from disaster_desk.ui.log_panel import LogPanel
from disaster_desk.ui.share_dialog import ShareDialog
from tests.ui.ime import ime_type

EVIL = "<b>太字</b><script>alert(1)</script>"


def test_alerts_panel_lists_newest_first_as_plain_text(qtbot, db, clock):
    service = AlertService(db, clock)
    service.store([AlertRecord(external_id="a1", kind="intensity", title="震度速報", issued_at=clock.now(),
                               data={"max_intensity": "6-", "ward_intensity": {"北区": "5+"}})])
    clock.advance(60)
    service.store([AlertRecord(external_id="a2", kind="warning", title=EVIL, issued_at=clock.now(),
                               headline="大雨警報")])
    AlertService(db, clock, Scope.drill("run-1")).store(
        [AlertRecord(external_id="d1", kind="tsunami", title="訓練の津波警報", issued_at=clock.now())])
    panel = AlertsPanel(db)  # its own runner: the read runs on a pool thread, the table follows
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2)  # the drill alert stays out of the real view
    assert panel.table.item(0, 2).text() == EVIL  # shown as the literal text
    assert panel.table.item(0, 1).text() == "警報・注意報"
    assert "最大震度6-" in panel.table.item(1, 3).text() and "北区5+" in panel.table.item(1, 3).text()
    panel.set_scope(Scope.drill("run-1"))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1)
    assert panel.table.item(0, 2).text() == "訓練の津波警報"
    panel.reads.runner.wait()


def test_collector_panel_shows_state_and_errors(qtbot, clock):
    statuses = [
        CollectorStatus("x", "ok", last_run=clock.now(), items=12, next_run=clock.now() + timedelta(seconds=60)),
        CollectorStatus("mastodon", "error", last_run=clock.now(), last_error="HTTP 503"),
    ]
    panel = CollectorPanel(lambda: statuses)
    qtbot.addWidget(panel)
    assert panel.table.rowCount() == 2
    assert panel.table.item(0, 3).text() == "12"
    assert panel.table.item(1, 5).text() == "HTTP 503"
    assert panel.summary() == "x ●  mastodon ✕"


def test_collector_panel_survives_a_failing_provider(qtbot):
    def broken():
        raise ConnectionError("database unreachable")

    panel = CollectorPanel(broken)
    qtbot.addWidget(panel)
    assert "database unreachable" in panel.table.item(0, 5).text()


def test_log_panel_receives_records_from_other_threads(qtbot):
    import threading

    panel = LogPanel()
    qtbot.addWidget(panel)
    logger = logging.getLogger("dd.test.thread")
    panel.attach(logger)
    try:
        thread = threading.Thread(target=lambda: logger.warning("別スレッドから"))
        with qtbot.waitSignal(panel.handler.emitter.record):
            thread.start()
        thread.join()
        qtbot.waitUntil(lambda: "別スレッドから" in panel.text())
    finally:
        panel.detach()


def test_share_dialog_by_keyboard(qtbot):
    dialog = ShareDialog(SHARE_TARGETS, preselect=["北区"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Space)  # ticks the second ward
    ime_type(dialog.filter, "水道")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    assert dialog.targets() == ["北区", "都島区", "水道局"]


def test_share_dialog_stays_open_with_nothing_chosen(qtbot):
    dialog = ShareDialog(SHARE_TARGETS)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.targets() == []


def test_rescue_banner_counts_unhandled_items_and_never_takes_focus(qtbot, clock):
    from disaster_desk.core.queue import QueueRow

    host = QWidget()
    qtbot.addWidget(host)
    banner = RescueBanner(host)
    host.show()

    def row(item_id, text):
        return QueueRow("post", item_id, text, ["rescue"], 9, "淀川区", None, None, None, "x", "new",
                        clock.now(), None, None)

    banner.announce([row(7, "淀川区で閉じ込め " + EVIL)])
    banner.announce([row(7, "淀川区で閉じ込め " + EVIL)])  # the same item twice is one item
    banner.announce([row(8, "十三で下敷き")])
    assert banner.isVisible() and banner.count == 2
    assert "救助要請 未対応 2件" in banner.message.text() and "十三で下敷き" in banner.message.text()
    assert banner.message.textFormat() == Qt.TextFormat.PlainText
    assert QApplication.focusWidget() is not banner.show_button
    banner.retain({"post:7"})  # post 8 was shared meanwhile: 表示 must not jump to it
    assert banner.count == 1 and "<b>" in banner.message.text()
    with qtbot.waitSignal(banner.show_requested) as signal:
        banner.show_button.click()
    assert signal.args == ["post:7"]
    banner.close_button.click()
    assert not banner.isVisible()
    banner.retain(set())
    assert banner.count == 0 and not banner.isVisible()
    banner.announce([row(9, "別の救助")])
    banner.reset()  # a new drill run starts from zero
    assert banner.count == 0 and not banner.isVisible()


def test_help_overlay_covers_its_window_and_closes_on_a_key(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(800, 600)
    overlay = HelpOverlay(host)
    overlay.set_shortcuts([("A", "確認"), ("V", "検証")])
    host.show()
    overlay.toggle()
    assert overlay.isVisible() and overlay.geometry() == host.rect()
    qtbot.keyClick(overlay, Qt.Key.Key_Q)
    assert not overlay.isVisible()
