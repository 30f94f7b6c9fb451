"""Non-schema errors in the Japanese dialogs are Japanese sentences naming the place; the database's own
(English) words stay in the details (issue 12 leftover). English comes from the .ts like any tr() string."""

from __future__ import annotations

import re

import pytest

from disaster_desk.core.db_errors import DatabaseProblem
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.report_csv import ImportInterrupted
from disaster_desk.core.reports import ReportService
from disaster_desk.ui.error_text import describe
from disaster_desk.ui.reports.panel import ReportsPanel
from disaster_desk.ui.workers import SyncRunner

pytestmark = pytest.mark.gui

#: A run of English words: what must not lead a Japanese dialog.
ENGLISH = re.compile(r"[A-Za-z]{4,}(?: [A-Za-z]{2,}){2,}")


def csv_file(tmp_path, lines):
    path = tmp_path / "damage.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("cp932"))
    return path


def test_rows_a_ward_login_may_not_write_are_named_by_line_in_japanese(qtbot, cluster, clock, tmp_path):
    ward_db = cluster.open(cluster.station("kita", "ward", "北区"))
    panel = ReportsPanel(ward_db, REAL_SCOPE, clock, actor="北区役所", runner=SyncRunner())
    qtbot.addWidget(panel)
    panel.show()
    path = csv_file(tmp_path, ["区,種別,程度", "北区,道路,重大", "西成区,道路,重大", "北区,ガス,軽微", "港区,道路,軽微"])
    results = []
    panel.import_csv("damage", path, on_done=results.append)
    [result] = results
    assert len(result.created) == 2 and [e.line for e in result.errors] == [3, 5]
    box = panel.import_dialog
    assert "3行目: データベースが拒否しました: このログインの権限ではできない操作です" in box.text()
    assert "5行目: データベースが拒否しました" in box.text()
    assert "row-level security" not in box.text() and not ENGLISH.search(box.text())
    assert box.detailedText().count("row-level security") == 2  # the technical detail is kept
    assert "line 3: refused by the database: new row violates row-level security" in box.detailedText()


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
def test_a_drill_row_into_real_data_is_said_in_japanese_with_its_column(qtbot, engine, request, clock, tmp_path):
    db = request.getfixturevalue("sqlite_db" if engine == "sqlite" else "pg_db")
    panel = ReportsPanel(db, REAL_SCOPE, clock, runner=SyncRunner())
    qtbot.addWidget(panel)
    panel.show()
    path = csv_file(tmp_path, ["区,種別,程度,区分", "北区,道路,重大,本番", "北区,ガス,軽微,訓練 EXERCISE"])
    panel.import_csv("damage", path)
    box = panel.import_dialog
    assert "3行目（区分）: 本番と訓練の区分が違う行です" in box.text() and not ENGLISH.search(box.text())
    assert "a drill row cannot be imported into real data" in box.detailedText()
    assert ReportService(db, clock, Scope.drill("r1")).scope.is_drill  # nothing else of the drill touched


def test_an_import_that_lost_the_database_says_where_and_what_was_kept(qtbot, sqlite_db, clock, tmp_path,
                                                                       monkeypatch):
    from disaster_desk.core import report_csv

    def lost(*_args, **_kwargs):
        raise ImportInterrupted(7, 5, DatabaseProblem("unreachable", "08006", "server closed the connection"))

    monkeypatch.setattr(report_csv, "import_reports", lost)  # the network edge: the link drops at line 7
    panel = ReportsPanel(sqlite_db, REAL_SCOPE, clock, runner=SyncRunner())
    qtbot.addWidget(panel)
    panel.show()
    panel.import_csv("damage", csv_file(tmp_path, ["区,種別,程度", "北区,道路,重大"]))
    box = panel.import_dialog
    assert "7行目でデータベースに接続できなくなり" in box.text() and "5件は保存済み" in box.text()
    assert not ENGLISH.search(box.text()) and "server closed the connection" in box.detailedText()


def test_a_statement_timeout_is_a_japanese_sentence_with_the_sqlstate_in_the_details(pg_db):
    from sqlalchemy import text

    try:
        with pg_db.engine.connect() as conn:
            conn.execute(text("SET statement_timeout = 50"))
            conn.execute(text("SELECT pg_sleep(5)"))
    except Exception as exc:  # noqa: BLE001
        said = describe(exc)
    assert said.text.startswith("データベースが時間内に応答しませんでした") and not ENGLISH.search(said.text)
    assert said.details.startswith("SQLSTATE 57014: ") and "statement timeout" in said.details


def test_the_sentences_are_translated_in_the_english_ui(english):
    said = describe(ImportInterrupted(7, 5, DatabaseProblem("unreachable", None, "x")))
    assert said.text.startswith("Line 7: the database could not be reached") and "5 rows before it are stored" in said.text
    from disaster_desk.ui.error_text import database_text

    assert database_text("permission").startswith("The database refused")
    assert database_text("timeout").startswith("The database did not answer in time")


def test_a_drill_a_viewer_login_may_not_start_says_why_in_japanese(qtbot, cluster, analyser, tmp_path):
    from pathlib import Path

    from disaster_desk.ui.drill_panel import DrillPanel

    viewer_db = cluster.open(cluster.station("viewer1", "viewer"))
    panel = DrillPanel(viewer_db, lambda: analyser, actor="viewer", out_dir=tmp_path, open_reports=False,
                       runner=SyncRunner())
    qtbot.addWidget(panel)
    panel.add_scenario(Path(__file__).resolve().parents[1] / "drills" / "data" / "small.yaml")
    panel.start()
    text = panel.status_label.text()
    assert text.startswith("訓練を開始できません: データベースが拒否しました") and not ENGLISH.search(text)
    assert panel.engine is None


def test_a_triage_action_the_login_may_not_do_is_refused_in_japanese(qtbot, cluster, clock):
    from types import SimpleNamespace

    from disaster_desk.ui.triage_controller import TriageController
    from tests.core.triage_items import add_post

    owner = cluster.open(cluster.url)
    post_id = add_post(owner, clock, "中崎町で火災", ["fire"], ward="北区")
    viewer = cluster.open(cluster.station("viewer1", "viewer"))
    controller = TriageController(viewer, clock, REAL_SCOPE, "viewer", runner=SyncRunner())
    refused = []
    controller.failed.connect(lambda action, key, text: refused.append((action, key, text)))
    row = SimpleNamespace(item_type="post", item_id=post_id, version=1, text="中崎町で火災", labels=["fire"])
    controller.transition("acknowledge", row)
    [(action, key, text)] = refused
    assert (action, key) == ("acknowledge", f"post:{post_id}")
    assert text.startswith("データベースが拒否しました") and not ENGLISH.search(text)


def test_a_share_the_ward_login_cannot_see_is_not_found_in_japanese(cluster, clock):
    from disaster_desk.core.sharing import SharingService
    from disaster_desk.errors import NotFound
    from disaster_desk.ui.error_text import status_reason
    from tests.core.test_share_receipts_pg import _shared

    _owner, _post, events = _shared(cluster, clock)
    kita = cluster.open(cluster.station("kita", "ward", "北区"))
    with pytest.raises(NotFound) as refused:  # row-level security hides 淀川区's share from 北区
        SharingService(kita, clock).receive(events["淀川区"], "北区役所 田中")
    reason = status_reason(refused.value)
    assert reason == f"共有 {events['淀川区']} が見つかりません（この端末からは見えない共有です）"
    assert str(refused.value) == f"share {events['淀川区']} not found"  # the CLI's and the log's words
