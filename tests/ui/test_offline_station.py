"""A ward station started while HQ's database is unreachable still takes reports."""

from __future__ import annotations

from disaster_desk.core.settings import Settings


def test_reports_queue_in_the_outbox_when_started_offline(qtbot, clock, sync_runner, tmp_path):
    from disaster_desk.core.outbox import Outbox
    from disaster_desk.ui.offline_station import OfflineStationWindow

    settings = Settings(db_url="postgresql://postgres@127.0.0.1:1/hq", role="ward", station_ward="淀川区", actor="yodogawa")
    outbox = Outbox(tmp_path / "outbox.sqlite", settings.db_url, clock, author="yodogawa", station_ward="淀川区",
                    timeout_s=1)
    window = OfflineStationWindow(settings, clock, "cannot open database", outbox=outbox, runner=sync_runner,
                                  retry_ms=3_600_000)
    qtbot.addWidget(window)
    window.show()
    assert "回線断" in window.windowTitle() and "淀川区" in window.windowTitle()
    form = window.form
    form.kind.setCurrentIndex(list(form.widgets).index("muster"))
    form.set_values("muster", {"office": "淀川区役所", "arrived": 14, "expected": 90})
    form.send()
    qtbot.waitUntil(lambda: len(outbox.pending()) == 1)
    item = outbox.pending()[0]
    assert (item.kind, item.ward, item.data["arrived"]) == ("muster", "淀川区", 14)
    assert [state for state, _ in form.history()] == ["送信待ち"]
    assert "本部のデータベースに接続できません" in window.statusBar().currentMessage()
    assert "cannot open" not in window.statusBar().currentMessage()
