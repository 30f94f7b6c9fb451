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
    qtbot.keyClick(form, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    w = form.widgets["shelter"]
    w["name"].setCurrentText("")
    w["name"].lineEdit().insert(name)  # Japanese comes through the IME, not key events
    w["status"].setCurrentIndex(w["status"].findData("open"))
    w["evacuees"].selectAll()
    qtbot.keyClicks(w["evacuees"], str(evacuees))
    w["needs"].boxes["water"].setChecked(True)
    qtbot.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def stored(db):
    with db.session() as s:
        return s.scalars(select(Report).order_by(Report.id)).all()


def test_keyboard_entry_sends_for_the_own_ward_and_prefills_the_next_form(qtbot, sqlite_db, sqlite_url, clock, tmp_path):
    with sqlite_db.session() as s:
        s.add(Shelter(common_id="E1", name="扇町小学校", ward="北区", lat=34.7, lon=135.51, kinds=["shelter"]))
    form = make_form(qtbot, sqlite_db, sqlite_url, clock, tmp_path)
    assert not form.ward_box.isEnabled() and form.ward_box.currentText() == "北区"
    assert form.widgets["shelter"]["name"].findText("扇町小学校") >= 0  # registry names offered
    type_shelter(qtbot, form, "扇町小学校", 120)
    [report] = stored(sqlite_db)
    assert (report.ward, report.author, report.payload) == ("北区", "kita-tanaka", {
        "name": "扇町小学校", "status": "open", "evacuees": 120, "needs": ["water"]})
    assert form.queue_list.count() == 0

    again = make_form(qtbot, sqlite_db, sqlite_url, clock, tmp_path / "other-station")
    assert again.values("shelter") == report.payload  # last values prefilled from the shared database
    assert again.widgets["muster"]["office"].text() == "北区役所"


def test_invalid_entry_names_the_field_and_queues_nothing(qtbot, sqlite_db, sqlite_url, clock, tmp_path):
    form = make_form(qtbot, sqlite_db, sqlite_url, clock, tmp_path)
    qtbot.keyClick(form, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert form.current_kind() == "muster"
    w = form.widgets["muster"]
    w["arrived"].setValue(90)
    w["expected"].setValue(80)
    assert form.send() is None
    assert "arrived" in form.status.text()
    assert "d7191c" in w["arrived"].styleSheet()
    w["arrived"].setValue(12)
    assert form.send() is not None
    assert [r.payload["arrived"] for r in stored(sqlite_db)] == [12]


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
        qtbot.waitUntil(lambda: "接続できません" in form.status.text(), timeout=20_000)
        type_shelter(qtbot, form, "堀川小学校", 30)
        qtbot.waitUntil(lambda: form.queue_list.count() == 2, timeout=20_000)
        assert "扇町小学校" in form.queue_list.item(0).text() and form.queue_title.text() == "未送信 2件"

        cluster.resume()
        qtbot.waitUntil(lambda: form.queue_list.count() == 0, timeout=30_000)
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
    form.kind.setCurrentIndex(1)  # damage
    form.widgets["damage"]["lat"].setText("<img src=x onerror=alert(1)>")
    assert form.send() is None
    assert form.status.textFormat() == Qt.TextFormat.PlainText
    assert "<img src=x onerror=alert(1)>" in form.status.text() and "lat" in form.status.text()
