"""HQ's reports panel: aggregates as tables, CSV import through the report service."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.reports import ReportService
from disaster_desk.ui.reports.panel import ReportsPanel
from disaster_desk.ui.workers import SyncRunner

pytestmark = pytest.mark.gui


def cell(table, row, col):
    return table.item(row, col).text()


def rows(table):
    return [[cell(table, r, c) for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_tabs_show_latest_reports_and_follow_refresh(qtbot, sqlite_db, clock):
    reports = ReportService(sqlite_db, clock)
    reports.submit("shelter", "北区", {"name": "扇町小学校", "status": "open", "evacuees": 120, "capacity": 500},
                   author="kita")
    reports.submit("muster", "北区", {"office": "北区役所", "arrived": 12, "expected": 80}, author="kita")
    reports.submit("system", None, {"system": "住民情報システム", "status": "down", "note": "<b>回線断</b>"}, author="hq")
    ReportService(sqlite_db, clock, Scope.drill("r1")).submit(
        "damage", "北区", {"type": "gas", "severity": "critical"}, author="drill")
    panel = ReportsPanel(sqlite_db, REAL_SCOPE, clock, runner=SyncRunner())
    qtbot.addWidget(panel)
    assert [panel.tabs.tabText(i) for i in range(4)] == ["避難所", "被害", "参集", "システム"]
    assert rows(panel.shelters)[0][:6] == ["市全体", "1", "0", "0", "0", "120"]
    assert rows(panel.shelters)[1][0] == "北区" and rows(panel.shelters)[1][-1] == "24%"
    assert panel.damage.rowCount() == 0  # the drill's damage stays out of the real view
    assert rows(panel.muster) == [["北区", "北区役所", "12", "80", "15%"]]
    assert rows(panel.systems)[0][3] == "<b>回線断</b>" and rows(panel.systems)[0][4] == "停止"
    assert "停止中システム 1" in panel.summary.text()

    clock.advance(600)
    reports.submit("muster", "北区", {"office": "北区役所", "arrived": 50, "expected": 80}, author="kita")
    panel.refresh()
    assert rows(panel.muster)[0][4] == "62%"
    assert len(panel.muster_chart.points) == 2 and panel.muster_chart.points[-1][0] == 600
    panel.set_scope(Scope.drill("r1"))
    assert rows(panel.damage)[0][0] == "ガス"  # the vocabulary's word, not the id


def test_csv_import_from_the_panel_keeps_good_lines(qtbot, sqlite_db, clock, tmp_path):
    panel = ReportsPanel(sqlite_db, REAL_SCOPE, clock, runner=SyncRunner())
    qtbot.addWidget(panel)
    path = tmp_path / "muster.csv"
    path.write_bytes("区,所属,参集人数,参集予定人数\n北区,北区役所,10,80\n淀川区,淀川区役所,x,60\n".encode("cp932"))
    results = []
    panel.import_csv("muster", path, on_done=results.append)
    [result] = results
    assert "取込 1件、重複 0件、エラー 1件" in panel.notice.text()
    assert len(result.created) == 1 and [(e.line, e.column) for e in result.errors] == [(3, "参集人数")]
    assert rows(panel.muster) == [["北区", "北区役所", "10", "80", "12%"]]
    out = tmp_path / "out.csv"
    panel.export_csv("muster", out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and "北区役所" in out.read_text(encoding="utf-8-sig")


def test_shelter_registry_import_from_the_panel(qtbot, sqlite_db, clock):
    from tests.data_files import HINANJO as gsi

    panel = ReportsPanel(sqlite_db, REAL_SCOPE, clock)  # the real worker thread
    qtbot.addWidget(panel)
    panel.import_registry(gsi)
    qtbot.waitUntil(lambda: panel.last_registry is not None, timeout=10_000)
    assert panel.last_registry.updated == 872  # the new database was seeded from the pack
    assert "更新 872件" in panel.summary.text() and panel.registry_dialog is None  # nothing to read


def test_registry_problems_open_a_japanese_dialog_naming_each_line(qtbot, sqlite_db, clock, tmp_path):
    from tests.data_files import HINANJO as gsi

    lines = gsi.read_text(encoding="utf-8-sig").splitlines()
    tokyo = lines[2].split(",")
    tokyo[7:9] = ["35.689634", "139.692101"]
    path = tmp_path / "gsi.csv"
    path.write_bytes(b"\r\n".join([lines[0].encode("cp932"), lines[1].encode("cp932"), ",".join(tokyo).encode("cp932"),
                                    lines[3].encode("cp932").replace(b",", b"\x81,", 1), lines[1].encode("cp932")]))
    panel = ReportsPanel(sqlite_db, REAL_SCOPE, clock)
    qtbot.addWidget(panel)
    panel.show()
    panel.import_registry(path)
    qtbot.waitUntil(lambda: panel.registry_dialog is not None, timeout=10_000)
    box = panel.registry_dialog
    assert box.isVisible() and box.windowTitle() == "避難所台帳の取込"
    text = box.text()
    assert "更新 1件" in text and "取り込めなかった行 2件" in text and "エラー" not in text
    assert "3行目（緯度）: 位置（35.68963, 139.69210）が市域の外です。取り込みません" in text
    assert "4行目: 文字コードが読めません（cp932、0x81 at byte 2）" in text
    assert "5行目（共通ID）: 共通ID E2710000001111 が重複（2行目を採用）" in text
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not box.isVisible())


def test_a_registry_file_that_cannot_be_read_says_why(qtbot, sqlite_db, clock, tmp_path):
    panel = ReportsPanel(sqlite_db, REAL_SCOPE, clock)
    qtbot.addWidget(panel)
    panel.show()
    panel.import_registry(tmp_path / "消えた.csv")
    qtbot.waitUntil(lambda: panel.registry_dialog is not None, timeout=10_000)
    assert "消えた.csv を取り込めませんでした。台帳は変わっていません。\n理由: ファイルが見つかりません" in panel.registry_dialog.text()
    assert "取り込めませんでした" in panel.summary.text()


def test_damage_status_edit_is_versioned_and_a_stale_edit_is_refused(qtbot, sqlite_db, clock):
    from sqlalchemy import select

    from disaster_desk.core.models import AuditEntry

    reports = ReportService(sqlite_db, clock)
    rid = reports.submit("damage", "淀川区", {"type": "road", "severity": "major", "place": "十三大橋",
                                             "status": "closed"}, author="yodo").report_id
    panel = ReportsPanel(sqlite_db, REAL_SCOPE, clock, actor="hq-sato", runner=SyncRunner())
    qtbot.addWidget(panel)
    damage = panel.damage_list
    assert damage.select_report(rid)
    damage.status.setCurrentIndex(damage.status.findData("repairing"))
    with qtbot.waitSignal(damage.edited) as signal:
        qtbot.mouseClick(damage.apply_button, Qt.MouseButton.LeftButton)
    assert signal.args == [rid, 2]
    # another station edits meanwhile; this panel still shows version 2
    reports.edit(rid, {"status": "restored"}, actor="yodo", expected_version=2)
    damage.status.setCurrentIndex(damage.status.findData("closed"))
    damage.apply()
    assert "他の端末で更新" in damage.message.text()
    assert rows(damage.table)[0][5:] == ["復旧", "3"]  # reloaded: the operator sees the newer state
    with sqlite_db.session() as s:
        actors = [e.who for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "report.edit"))]
    assert actors == ["hq-sato", "yodo"]
