"""The ward role: its own report form (through the outbox) and an inbox of what HQ shared with it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from disaster_desk.core.models import Report
from disaster_desk.core.triage import TriageService
from tests.ui.seed import damage_reports


def test_ward_station_sends_a_report_from_its_form(make_main_window, ward_settings, sqlite_db, qtbot):
    window = make_main_window(settings=ward_settings)
    form = window.ward_form
    assert hasattr(form, "send"), "ward form module missing"
    assert not window.docks["ward_form"].isHidden()
    form.set_values("shelter", {"name": "扇町小学校", "status": "open", "evacuees": 120})
    assert form.send() is not None
    qtbot.waitUntil(lambda: len(_reports(sqlite_db)) == 1, timeout=10_000)
    [report] = _reports(sqlite_db)
    assert (report.kind, report.ward, report.payload["name"]) == ("shelter", "北区", "扇町小学校")


def _reports(db):
    with db.session() as s:
        return s.scalars(select(Report)).all()


def test_inbox_shows_shares_in_full_and_enter_opens_one(make_main_window, ward_settings, sqlite_db, clock, qtbot):
    [report_id] = damage_reports(sqlite_db, clock, 1)
    triage = TriageService(sqlite_db, clock)
    triage.acknowledge("report", report_id, actor="hq")
    triage.share("report", report_id, ["北区"], actor="本部 山田", note="通行止めを確認してください")
    window = make_main_window(settings=ward_settings)
    inbox = window.inbox
    assert inbox.unread() == 1 and inbox.unreceived() == 1
    row = [inbox.table.item(0, c).text() for c in range(inbox.table.columnCount())]
    assert row[0] == "未受領" and row[2] == "被害" and row[3].startswith("北区") and row[5] == "本部 山田"
    assert "通行止めを確認してください" in row[4] and "report:" not in " ".join(row)
    assert inbox.table.item(0, 0).font().bold()
    detail = inbox.detail.toPlainText()
    for expected in ("分類: 被害", "場所: 北区", "本部からのメモ: 通行止めを確認してください", "送信者: 本部 山田",
                     "共有日時: ", "未受領"):
        assert expected in detail
    inbox.table.setCurrentCell(0, 0)
    inbox.table.setFocus()
    with qtbot.waitSignal(inbox.item_opened) as opened:
        qtbot.keyClick(inbox.table, Qt.Key.Key_Return)
    assert opened.args == [f"report:{report_id}"]
    qtbot.waitUntil(lambda: inbox.unread() == 0)
    assert inbox.unreceived() == 1  # opened is not received: the badge stays until 受領


def test_receive_with_space_clears_the_badge_and_hq_sees_who_received(make_main_window, ward_settings, settings,
                                                                        sqlite_db, clock, qtbot):
    from tests.core.triage_items import add_post

    triage = TriageService(sqlite_db, clock)
    fire = add_post(sqlite_db, clock, "中崎町で火災 <b>煙</b>", ["fire"], ward="北区", place="中崎町")
    road = add_post(sqlite_db, clock, "天神橋で冠水", ["flood"], ward="北区", place="天神橋")
    triage.share("post", fire, ["北区"], actor="本部 山田", acknowledge_new=True)
    clock.advance(60)
    triage.share("post", road, ["北区", "消防局"], actor="本部 山田", acknowledge_new=True)
    window = make_main_window(settings=ward_settings)
    inbox, dock = window.inbox, window.docks["inbox"]
    assert inbox.unreceived() == 2 and dock.windowTitle() == "共有受信箱 (未受領 2)"
    assert inbox.table.item(0, 2).text() == "浸水・冠水" and inbox.table.item(1, 4).text() == "中崎町で火災 <b>煙</b>"
    assert "内容: 中崎町で火災 <b>煙</b>" in (inbox.table.setCurrentCell(1, 0) or inbox.detail.toPlainText())
    window.ward_form.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)  # Ctrl+I: to the inbox
    assert inbox.table.hasFocus() and inbox.current().received_at is None
    inbox.table.setCurrentCell(1, 0)
    with qtbot.waitSignal(inbox.received):
        qtbot.keyClick(inbox.table, Qt.Key.Key_Space)  # 受領 from the keyboard
    qtbot.waitUntil(lambda: inbox.unreceived() == 1)
    assert dock.windowTitle() == "共有受信箱 (未受領 1)"
    assert inbox.table.item(1, 0).text().startswith("受領済") and not inbox.table.item(1, 0).font().bold()
    assert "受領済: " in inbox.detail.toPlainText() and "北区役所 田中" in inbox.detail.toPlainText()
    assert not inbox.receive_button.isEnabled()  # the selected one is received: nothing to send again
    qtbot.keyClick(inbox.table, Qt.Key.Key_Up)
    assert inbox.receive_button.isEnabled()
    inbox.receive_button.click()
    qtbot.waitUntil(lambda: inbox.unreceived() == 0)
    assert dock.windowTitle() == "共有受信箱"
    # HQ: the share history of the item says who received it and when, per target
    hq = make_main_window(settings=settings)
    assert hq.queue.select_key(f"post:{road}")
    lines = [hq.detail.history.item(i).text() for i in range(hq.detail.history.count())]
    assert any("→北区" in line and "受領済" in line and "北区役所 田中" in line for line in lines), lines
    assert any("→消防局" in line and "未受領" in line for line in lines), lines


def test_a_report_sent_from_the_ward_form_during_a_drill_is_stored_as_the_drill(make_main_window, ward_settings,
                                                                               sqlite_db, clock, qtbot):
    from disaster_desk.core.modes import REAL_SCOPE, Scope

    window = make_main_window(settings=ward_settings)
    form = window.ward_form
    window.set_scope(Scope.drill("drill-run-42"), clock)
    assert form.outbox.scope == Scope.drill("drill-run-42") and not form.scope_label.isHidden()
    assert "drill-run-42" in form.scope_label.text()
    form.set_values("shelter", {"name": "扇町小学校", "status": "open", "evacuees": 120})
    assert form.send() is not None
    qtbot.waitUntil(lambda: len(_reports(sqlite_db)) == 1, timeout=10_000)
    [report] = _reports(sqlite_db)
    assert (report.mode, report.run_id) == ("drill", "drill-run-42")  # not real

    window.set_scope(REAL_SCOPE, clock)
    assert form.scope_label.isHidden() and form.history() == []  # the drill's report is not in the real list
    form.set_values("shelter", {"name": "扇町小学校", "status": "open", "evacuees": 120})
    assert form.send() is not None  # not a duplicate of the drill's report
    qtbot.waitUntil(lambda: len(_reports(sqlite_db)) == 2, timeout=10_000)
    assert [(r.mode, r.run_id) for r in _reports(sqlite_db)] == [("drill", "drill-run-42"), ("real", "")]


def test_a_receipt_that_cannot_be_sent_opens_a_dialog_and_can_be_sent_again(make_main_window, ward_settings,
                                                                            sqlite_db, clock, qtbot, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from disaster_desk.core.sharing import SharingService
    from tests.core.triage_items import add_post

    post = add_post(sqlite_db, clock, "中崎町で火災", ["fire"], ward="北区")
    TriageService(sqlite_db, clock).share("post", post, ["北区"], actor="本部 山田", acknowledge_new=True)
    window = make_main_window(settings=ward_settings)
    inbox = window.inbox
    real = SharingService.receive

    def link_down(self, *args, **kwargs):
        raise OperationalError("UPDATE share_events", {}, Exception("connection refused"))

    monkeypatch.setattr(SharingService, "receive", link_down)
    inbox.table.setFocus()
    qtbot.keyClick(inbox.table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.error_dialog is not None)
    text = window.error_dialog.text() + window.error_dialog.informativeText()
    assert "受領を送れませんでした" in text and "本部のデータベースに接続できません" in text, text
    window.error_dialog.done(0)
    qtbot.waitUntil(lambda: window.error_dialog is None)
    assert inbox.unreceived() == 1 and inbox.receive_button.isEnabled()  # nothing lost: send it again
    monkeypatch.setattr(SharingService, "receive", real)
    inbox.receive_button.click()
    qtbot.waitUntil(lambda: inbox.unreceived() == 0)
