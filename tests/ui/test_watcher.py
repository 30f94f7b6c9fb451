"""New rows reach the window: a cheap poll of the newest ids, and LISTEN/NOTIFY on PostgreSQL."""

from __future__ import annotations

import pytest

from disaster_desk.core.ingest import IngestService, RawPost
from disaster_desk.ui.watcher import ChangeWatcher, newest_marks
from tests.ui.seed import damage_reports


def test_poll_reports_only_changed_tables(qtbot, db, clock):
    watcher = ChangeWatcher(db)
    assert watcher.poll() == set()
    damage_reports(db, clock, 1)
    with qtbot.waitSignal(watcher.changed) as signal:
        watcher.poll()
    assert "reports" in signal.args[0] and "posts" not in signal.args[0]
    assert watcher.poll() == set()


def test_newest_marks_is_one_cheap_query(db, clock):
    marks = newest_marks(db)
    assert marks["posts"] is None
    IngestService(db, clock).ingest([RawPost(source="x", external_id="1", text="テスト")])
    assert newest_marks(db)["posts"] is not None


@pytest.mark.postgres
def test_listen_on_postgres_wakes_the_window_without_waiting_for_the_poll(qtbot, pg_db, clock):
    watcher = ChangeWatcher(pg_db, interval_ms=600_000)  # the timer alone would take 10 minutes
    watcher.start(listen=True)
    try:
        assert watcher.listen is not None
        qtbot.waitUntil(watcher.listen.listener.listening.is_set, timeout=10_000)
        with qtbot.waitSignal(watcher.changed, timeout=10_000) as signal:
            IngestService(pg_db, clock).ingest([RawPost(source="x", external_id="n1", text="北区で火事")])
        assert "posts" in signal.args[0]
    finally:
        watcher.stop()
