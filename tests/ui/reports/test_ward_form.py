"""The ward station form driven by keyboard, with its offline outbox."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from disaster_desk.core.db import Database
from disaster_desk.core.models import Report, Shelter
from disaster_desk.core.outbox import Outbox
from disaster_desk.core.settings import Settings
from disaster_desk.ui.reports.ward_form import WardReportForm
from disaster_desk.ui.workers import SyncRunner, ThreadRunner
from tests.stoppable_pg import start_cluster
from tests.ui.boxes import answer_with_key

pytestmark = pytest.mark.gui


def make_form(qtbot, db, url, clock, tmp_path, runner=None, retry_ms=60_000):
    settings = Settings(db_url=url, actor="kita-tanaka", role="ward", station_ward="北区")
    outbox = Outbox(tmp_path / "outbox.sqlite", url, clock, author=settings.actor, station_ward="北区")
    form = WardReportForm(db, settings, clock, outbox=outbox, runner=runner or SyncRunner(), retry_ms=retry_ms)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()  # shortcuts act in the active window
    qtbot.waitUntil(form.isActiveWindow, timeout=5_000)
    return form


def type_shelter(qtbot, form, name, evacuees):
    _activate(qtbot, form)
    qtbot.keyClick(form, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    w = form.widgets["shelter"]
    w["name"].setCurrentText("")
    w["name"].lineEdit().insert(name)  # Japanese comes through the IME, not key events
    w["status"].setCurrentIndex(w["status"].findData("open"))
    w["evacuees"].selectAll()
    qtbot.keyClicks(w["evacuees"], str(evacuees))
    w["needs"].boxes["water"].setChecked(True)
    qtbot.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def _activate(qtbot, form):
    """Shortcuts act in the active window (a closed dialog may leave none active)."""
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow, timeout=5_000)


def stored(db):
    with db.session() as s:
        return s.scalars(select(Report).order_by(Report.id)).all()


def test_keyboard_entry_sends_clears_the_form_and_lists_what_was_sent(qtbot, sqlite_db, sqlite_url, clock, tmp_path):
    with sqlite_db.session() as s:
        s.add(Shelter(common_id="E1", name="扇町小学校", ward="北区", lat=34.7, lon=135.51, kinds=["shelter"]))
    form = make_form(qtbot, sqlite_db, sqlite_url, clock, tmp_path)
    assert not form.ward_box.isEnabled() and form.ward_box.currentText() == "北区"
    assert form.widgets["shelter"]["name"].findText("扇町小学校") >= 0  # registry names offered
    type_shelter(qtbot, form, "扇町小学校", 120)
    [report] = stored(sqlite_db)
    assert (report.ward, report.author, report.payload) == ("北区", "kita-tanaka", {
        "name": "扇町小学校", "status": "open", "evacuees": 120, "needs": ["water"]})
    # cleared after sending: a second Ctrl+Enter cannot send the same report again
    assert form.values("shelter") == {"name": "", "needs": []}
    assert form.widgets["shelter"]["status"].currentData() is None
    assert form.widgets["muster"]["office"].text() == "北区役所"  # the station's own office stays
    [(state, text)] = form.history()
    assert state == "送信済" and "扇町小学校" in text and "避難者120人" in text
    assert "送信済 1件" in form.queue_title.text()
    qtbot.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(stored(sqlite_db)) == 1 and "避難所名を入力してください" in form.status.text()


def test_defaults_are_neutral_not_the_worst_value(qtbot, sqlite_db, sqlite_url, clock, tmp_path):
    form = make_form(qtbot, sqlite_db, sqlite_url, clock, tmp_path)
    w = form.widgets
    assert w["damage"]["severity"].currentData() is None and w["damage"]["type"].currentData() is None
    assert w["damage"]["status"].currentData() == "reported"
    assert w["system"]["status"].currentData() is None and w["shelter"]["status"].currentData() is None
    form.kind.setCurrentIndex(list(form.widgets).index("system"))
    w["system"]["system"].setText("住民情報システム")
    assert form.send() is None  # a status must be chosen, never assumed 停止
    assert form.errors["system"]["status"].text() == "稼働状況を選択してください"


def test_every_invalid_value_is_named_at_its_field_in_japanese(qtbot, sqlite_db, sqlite_url, clock, tmp_path):
    form = make_form(qtbot, sqlite_db, sqlite_url, clock, tmp_path)
    qtbot.keyClick(form, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    w = form.widgets["shelter"]
    qtbot.keyClicks(w["evacuees"], "-")  # an invalid number is an error, never dropped
    w["capacity"].insert("５００")  # full-width digits (typed through the IME) are a number
    qtbot.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    errors = form.errors["shelter"]
    assert errors["name"].text() == "避難所名を入力してください"
    assert errors["status"].text() == "状態を選択してください"
    assert errors["evacuees"].text() == "避難者数は0以上の整数で入力してください（「-」は数として読めません）"
    assert errors["capacity"].isHidden()
    assert "d7191c" in w["evacuees"].styleSheet() and "d7191c" in w["status"].styleSheet()
    assert "入力を確認してください（3件）" in form.status.text()
    assert "field" not in form.status.text() and "String should" not in form.status.text()
    assert stored(sqlite_db) == [] and form.outbox.items() == []


def test_muster_above_expected_is_refused_at_the_field(qtbot, sqlite_db, sqlite_url, clock, tmp_path):
    form = make_form(qtbot, sqlite_db, sqlite_url, clock, tmp_path)
    qtbot.keyClick(form, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert form.current_kind() == "muster"
    w = form.widgets["muster"]
    w["arrived"].setText("90")
    w["expected"].setText("80")
    assert form.send() is None
    assert form.errors["muster"]["arrived"].text() == "参集人数が参集予定人数を超えています"
    w["arrived"].setText("12")
    assert form.send() is not None
    assert [r.payload["arrived"] for r in stored(sqlite_db)] == [12]


def _answer_duplicate(qtbot, form, key, *, again=False):
    answer_with_key(qtbot, lambda: form._dup_box, key, (lambda: form._dup_again) if again else None)


def test_a_duplicate_is_sent_only_after_a_question_keyboard(qtbot, sqlite_db, sqlite_url, clock, tmp_path):
    form = make_form(qtbot, sqlite_db, sqlite_url, clock, tmp_path)
    type_shelter(qtbot, form, "扇町小学校", 120)
    _answer_duplicate(qtbot, form, Qt.Key.Key_Escape)
    type_shelter(qtbot, form, "扇町小学校", 120)  # the same values again
    assert len(stored(sqlite_db)) == 1 and "送信しませんでした" in form.status.text()
    _answer_duplicate(qtbot, form, Qt.Key.Key_Return)  # Enter: the default is 送信しない
    _activate(qtbot, form)
    qtbot.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(stored(sqlite_db)) == 1
    assert "送信しませんでした" in form.status.text()
    _answer_duplicate(qtbot, form, Qt.Key.Key_Space, again=True)  # もう一度送信する
    _activate(qtbot, form)
    qtbot.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(stored(sqlite_db)) == 2
    type_shelter(qtbot, form, "扇町小学校", 150)  # new values: no question
    assert [r.payload["evacuees"] for r in stored(sqlite_db)] == [120, 120, 150]


def test_choosing_a_shelter_shows_its_last_values(qtbot, sqlite_db, sqlite_url, clock, tmp_path):
    form = make_form(qtbot, sqlite_db, sqlite_url, clock, tmp_path)
    type_shelter(qtbot, form, "扇町小学校", 120)
    form.widgets["shelter"]["name"].textActivated.emit("扇町小学校")
    assert form.values("shelter")["evacuees"] == "120" and "前回の報告" in form.status.text()


def test_the_damage_location_is_picked_not_typed(qtbot, sqlite_db, sqlite_url, clock, tmp_path):
    form = make_form(qtbot, sqlite_db, sqlite_url, clock, tmp_path)
    qtbot.keyClick(form, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert "lon" not in form.widgets["damage"] and not form.pick_button.isEnabled()  # no map: nothing to pick
    form.set_map_available(True)
    with qtbot.waitSignal(form.pick_requested):
        qtbot.keyClick(form, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    form.set_location((34.7162345, 135.4871234))  # what the map hands back
    assert form.location_label.text() == "北緯 34.71623 / 東経 135.48712"
    w = form.widgets["damage"]
    w["type"].setCurrentIndex(w["type"].findData("road"))
    w["severity"].setCurrentIndex(w["severity"].findData("major"))
    w["place"].setText("十三大橋")
    assert form.send() is not None
    [report] = stored(sqlite_db)
    assert (report.payload["lat"], report.payload["lon"], report.payload["status"]) == (34.716234, 135.487123,
                                                                                      "reported")
    assert form.location is None and form.location_label.text() == "未指定"  # cleared with the form


@pytest.mark.postgres
def test_reports_queue_while_hq_is_down_and_the_timer_sends_them_once(qtbot, clock, tmp_path):
    cluster = start_cluster()
    if cluster is None:
        pytest.skip("no PostgreSQL binaries for a throwaway cluster")
    try:
        db = Database.open(cluster.url)
        form = make_form(qtbot, db, cluster.url, clock, tmp_path, runner=ThreadRunner(1), retry_ms=200)
        cluster.halt()
        type_shelter(qtbot, form, "扇町小学校", 120)
        qtbot.waitUntil(lambda: "接続できません" in form.link_label.text(), timeout=20_000)
        # a Japanese sentence, never the driver's truncated message
        assert "本部のデータベースに接続できません" in form.link_label.text() and "psycopg" not in form.link_label.text()
        assert "送信待ち 1件は保存済み" in form.link_label.text()
        type_shelter(qtbot, form, "堀川小学校", 30)
        qtbot.waitUntil(lambda: [s for s, _ in form.history()] == ["送信待ち", "送信待ち"], timeout=20_000)
        assert "堀川小学校" in form.history()[0][1] and "送信待ち 2件" in form.queue_title.text()

        cluster.resume()
        qtbot.waitUntil(lambda: [s for s, _ in form.history()] == ["送信済", "送信済"], timeout=30_000)
        assert form.link_label.text() == ""
        names = [r.payload["name"] for r in stored(db)]
        assert names == ["扇町小学校", "堀川小学校"]
        form.close()
        form.runner.wait()
        form.outbox.close()
        db.dispose()
    finally:
        cluster.stop()


def test_error_quoting_markup_is_shown_as_plain_text(qtbot, sqlite_db, sqlite_url, clock, tmp_path):
    form = make_form(qtbot, sqlite_db, sqlite_url, clock, tmp_path)
    form.widgets["shelter"]["evacuees"].setText("<img src=x onerror=alert(1)>")
    assert form.send() is None
    assert form.status.textFormat() == Qt.TextFormat.PlainText
    assert form.errors["shelter"]["evacuees"].textFormat() == Qt.TextFormat.PlainText
    assert "<img src=x onerror=alert(1)>" in form.status.text() and "避難者数" in form.status.text()


def test_a_report_queued_for_database_a_is_not_delivered_to_database_b(qtbot, clock, tmp_path):
    """The station queued a report while A was down, then was pointed at B: the report is held, not sent to B;
    once the station is on A again it is sent there, under the author who typed it."""
    a_dir = tmp_path / "a"
    a_dir.write_text("not a directory yet: database A is unreachable")
    url_a, url_b = f"sqlite:///{a_dir / 'hq.sqlite'}", f"sqlite:///{tmp_path / 'b.sqlite'}"
    settings = Settings(db_url=url_a, actor="kita-tanaka", role="ward", station_ward="北区")
    down = WardReportForm(None, settings, clock, outbox=Outbox(tmp_path / "outbox.sqlite", url_a, clock,
                                                               author="kita-tanaka", station_ward="北区"),
                          runner=SyncRunner(), retry_ms=60_000)
    qtbot.addWidget(down)
    down.set_values("muster", {"office": "北区役所", "arrived": 12, "expected": 80})
    down.kind.setCurrentIndex(down.kind.findData("muster"))
    assert down.send() is not None
    assert [s for s, _ in down.history()] == ["送信待ち"]
    down.close()

    db_b = Database.open(url_b)
    other = Settings(db_url=url_b, actor="operator", role="ward", station_ward="北区")
    form_b = WardReportForm(db_b, other, clock, outbox=Outbox(tmp_path / "outbox.sqlite", url_b, clock,
                                                              author="operator", station_ward="北区"),
                            runner=SyncRunner(), retry_ms=60_000)
    qtbot.addWidget(form_b)
    form_b.outbox.flush(force=True)
    form_b._refresh_queue()
    [(state, line)] = form_b.history()
    assert state == "保留" and "別のデータベース宛て" in line and "保留 1件" in form_b.queue_title.text()
    assert stored(db_b) == []
    form_b.close()
    db_b.dispose()

    a_dir.unlink()
    a_dir.mkdir()  # database A is back
    db_a = Database.open(url_a)
    back = WardReportForm(db_a, settings, clock, outbox=Outbox(tmp_path / "outbox.sqlite", url_a, clock,
                                                               author="someone-else", station_ward="北区"),
                          runner=SyncRunner(), retry_ms=60_000)
    qtbot.addWidget(back)
    back.outbox.flush(force=True)
    [report] = stored(db_a)
    assert (report.payload["arrived"], report.author, report.mode) == (12, "kita-tanaka", "real")
    back.close()
    db_a.dispose()
