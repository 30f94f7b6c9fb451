"""Safe triage in the window, by keyboard: a reason before a rescue is dismissed, reopen, Ctrl+Z,
sharing a new item in one step, where an item went, correcting its place, quitting with a question."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from disaster_desk.core.models import AuditEntry
from disaster_desk.core.modes import Scope
from tests.ui.ime import ime_type
from tests.ui.seed import FIRE_TEXT, RESCUE_TEXT, posts


def _audit(db, actor="tester"):
    with db.session() as s:
        return [(e.action, e.before.get("state"), e.after.get("state"), e.after.get("reason"))
                for e in s.scalars(select(AuditEntry).where(AuditEntry.who == actor).order_by(AuditEntry.id))]


def _state_text(window):
    from disaster_desk.ui.queue_model import COL_STATE

    model = window.queue.model
    return model.data(model.index(window.queue.model.row_of(window.queue.selected_row().key), COL_STATE))


def _open(window, qtbot):
    window.queue.focus_table()
    return window.queue.selected_row()


def test_d_on_a_rescue_asks_a_reason_and_esc_keeps_it(make_main_window, sqlite_db, clock, analyser, qtbot):
    [post_id] = posts(sqlite_db, clock, analyser, [RESCUE_TEXT])
    window = make_main_window()
    assert "rescue" in _open(window, qtbot).labels
    qtbot.keyClick(window.queue.table, Qt.Key.Key_D)
    dialog = window.dismiss_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.ok.isEnabled()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # no reason: nothing happens
    assert dialog.isVisible()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.dismiss_dialog is None)
    assert window.queue.selected_row().state == "new" and _audit(sqlite_db) == []

    qtbot.keyClick(window.queue.table, Qt.Key.Key_D)
    dialog = window.dismiss_dialog
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Down)  # a common reason, one key away
    assert dialog.reason_text() == "重複（同じ事案を対応中）"
    dialog.reason.clear()
    ime_type(dialog.reason, "消防局が救出済")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dismiss_dialog is None)
    assert window.queue.selected_row().state == "dismissed"
    assert _audit(sqlite_db) == [("triage.dismiss", "new", "dismissed", "消防局が救出済")]
    assert RESCUE_TEXT[:10] in window.statusBar().currentMessage() and "post:" not in \
        window.statusBar().currentMessage()

    qtbot.keyClick(window.queue.table, Qt.Key.Key_R)  # reopen
    assert window.queue.selected_row().state == "acknowledged"
    qtbot.keyClick(window.queue.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the reopen
    assert window.queue.selected_row().state == "dismissed" and window.queue.selected_row().item_id == post_id
    assert [a[0] for a in _audit(sqlite_db)] == ["triage.dismiss", "triage.reopen", "triage.undo"]
    assert "再開を取り消しました" in window.statusBar().currentMessage()


def test_d_on_other_items_is_one_key_and_ctrl_z_brings_it_back(make_main_window, sqlite_db, clock, analyser, qtbot):
    posts(sqlite_db, clock, analyser, [FIRE_TEXT])
    window = make_main_window()
    _open(window, qtbot)
    qtbot.keyClick(window.queue.table, Qt.Key.Key_D)
    assert getattr(window, "dismiss_dialog", None) is None
    assert window.queue.selected_row().state == "dismissed"
    assert "却下しました: 「福島区の野田阪神駅前で火事" in window.statusBar().currentMessage()
    qtbot.keyClick(window.queue.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.queue.selected_row().state == "new"
    qtbot.keyClick(window.queue.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # nothing left
    box = window.error_dialog
    assert box is not None and "取り消せる操作がありません" in box.text()


def test_s_on_a_new_item_shares_in_one_step_and_shows_where_it_went(make_main_window, sqlite_db, clock, analyser,
                                                                    qtbot):
    posts(sqlite_db, clock, analyser, [RESCUE_TEXT])
    window = make_main_window()
    assert _open(window, qtbot).state == "new"
    qtbot.keyClick(window.queue.table, Qt.Key.Key_S)
    dialog = window.share_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.filter, "shobo")  # romaji, no IME needed
    ime_type(dialog.note, "北区中崎町2丁目 倒壊家屋")
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.share_dialog is None)
    row = window.queue.selected_row()
    assert row.state == "shared" and set(row.shared_to) == {"北区", "消防局"}  # 北区: the post's ward, preselected
    assert [a[:3] for a in _audit(sqlite_db)] == [("triage.acknowledge", "new", "acknowledged"),
                                                   ("triage.share", "acknowledged", "shared")]
    assert _state_text(window).startswith("共有済→") and "消防局" in _state_text(window)
    history = [window.detail.history.item(i).text() for i in range(window.detail.history.count())]
    assert any("→消防局" in h and "tester" in h and "倒壊家屋" in h and "未受領" in h for h in history), history
    message = window.statusBar().currentMessage()
    assert message.startswith("共有しました: 「北区中崎町") and "消防局" in message and "post:" not in message


def test_a_refused_share_says_why_before_the_dialog_opens(make_main_window, sqlite_db, clock, analyser, qtbot):
    posts(sqlite_db, clock, analyser, [FIRE_TEXT])
    window = make_main_window()
    _open(window, qtbot)
    qtbot.keyClick(window.queue.table, Qt.Key.Key_D)
    assert window.queue.selected_row().state == "dismissed"
    qtbot.keyClick(window.queue.table, Qt.Key.Key_S)
    assert window.share_dialog is None  # no targets picked for nothing
    assert "却下のため共有できません" in window.error_dialog.text()
    assert window.error_dialog.standardButtons() == QMessageBox.StandardButton.Ok


def test_p_corrects_the_place_and_the_queue_follows(make_main_window, sqlite_db, clock, analyser, qtbot):
    posts(sqlite_db, clock, analyser, [RESCUE_TEXT])
    window = make_main_window()
    _open(window, qtbot)
    qtbot.keyClick(window.queue.table, Qt.Key.Key_P)
    dialog = window.place_dialog
    assert dialog is not None and dialog.ward.currentData() == "北区"
    dialog.ward.setCurrentIndex(dialog.ward.findData("中央区"))
    dialog.place.clear()
    ime_type(dialog.place, "天満橋駅前")
    dialog.lat.setValue(40.0)  # clamped to the city: the dialog cannot carry a point far away
    assert dialog.value().lat <= 34.80
    dialog.lat.setValue(dialog.lat.minimum())  # latitude emptied, longitude kept: refused, the dialog stays
    qtbot.keyClick(dialog.place, Qt.Key.Key_Return)
    assert window.place_dialog is dialog and "緯度と経度は両方" in dialog.message.text()
    dialog.lon.setValue(dialog.lon.minimum())  # no coordinates: the ward's centre
    qtbot.keyClick(dialog.place, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.place_dialog is None)
    row = window.queue.selected_row()
    assert (row.ward, row.place) == ("中央区", "天満橋駅前")
    assert "天満橋駅前" in window.detail.meta["place"].text()
    assert [a[0] for a in _audit(sqlite_db)] == ["place.correct"]


def test_triage_buttons_are_above_the_fold_and_follow_the_state(make_main_window, sqlite_db, clock, analyser, qtbot):
    posts(sqlite_db, clock, analyser, [RESCUE_TEXT])
    window = make_main_window()
    _open(window, qtbot)
    detail = window.detail
    buttons = detail.buttons
    assert all(b.geometry().bottom() < detail.text.geometry().top() for b in buttons.values())
    assert buttons["acknowledge"].isEnabled() and buttons["share"].isEnabled()
    assert not buttons["verify"].isEnabled() and not buttons["reopen"].isEnabled()


def test_the_rescue_banner_starts_from_zero_in_each_drill_run(make_main_window, sqlite_db, clock, analyser, qtbot):
    window = make_main_window()
    posts(sqlite_db, clock, analyser, [RESCUE_TEXT], scope=Scope.drill("run-a"), prefix="a")
    window.set_scope(Scope.drill("run-a"), clock)
    posts(sqlite_db, clock, analyser, ["淀川区十三のマンションでエレベーターに閉じ込められています。助けてください"],
          scope=Scope.drill("run-a"), prefix="b")
    window.hub.poll()
    assert window.rescue_banner.count == 1 and window.rescue_banner.isVisible()
    window.rescue_banner.show_button.click()  # 表示 selects the announced item
    window.queue.focus_table()
    assert window.queue.selected_row().key == window.rescue_banner.key
    qtbot.keyClick(window.queue.table, Qt.Key.Key_A)  # handled: the banner counts it no more
    assert window.rescue_banner.count == 0 and window.rescue_banner.isHidden()
    window.set_scope(Scope.drill("run-b"), clock)
    assert window.rescue_banner.count == 0 and window.rescue_banner.isHidden()


def test_quitting_asks_first_and_enter_keeps_the_desk_open(make_main_window, qtbot):
    window = make_main_window(confirm_close=True)
    window.close()
    box = window.quit_dialog
    assert box is not None and box.isVisible() and window.isVisible()
    qtbot.keyClick(box, Qt.Key.Key_Return)  # the default answer is 続ける
    qtbot.waitUntil(lambda: window.quit_dialog is None)
    assert window.isVisible()
    window.close()
    window.quit_dialog.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not window.isVisible())
