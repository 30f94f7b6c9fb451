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


def test_inbox_marks_unread_shares_and_reading_clears_them(make_main_window, ward_settings, sqlite_db, clock, qtbot):
    [report_id] = damage_reports(sqlite_db, clock, 1)
    triage = TriageService(sqlite_db, clock)
    triage.acknowledge("report", report_id, actor="hq")
    triage.share("report", report_id, ["北区"], actor="hq", note="通行止めを確認してください")
    window = make_main_window(settings=ward_settings)
    inbox = window.inbox
    assert inbox.unread() == 1
    assert inbox.table.item(0, 0).text() == "●"
    assert "通行止め" in inbox.table.item(0, 3).text()
    inbox.table.setCurrentCell(0, 0)
    inbox.table.setFocus()
    qtbot.keyClick(inbox.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: inbox.unread() == 0)
    assert inbox.table.item(0, 0).text() == ""
