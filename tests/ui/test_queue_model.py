"""The queue model adapts QueueService: lazy pages, in-place inserts, no resets on refresh."""

from __future__ import annotations

from disaster_desk.core.queue import QueueFilter, QueueService
from disaster_desk.ui.queue_model import COL_PLACE, COL_STATE, COL_TIME, KeyRole, QueueModel, row_key
from tests.ui.seed import damage_reports


def make_model(qtbot, db, clock, runner=None):
    from disaster_desk.ui.workers import SyncRunner

    return QueueModel(QueueService(db), QueueFilter(), clock, runner=runner or SyncRunner())


def test_rows_are_fetched_a_page_at_a_time(qtbot, db, clock):
    damage_reports(db, clock, QueueModel.PAGE * 2 + 15)
    model = make_model(qtbot, db, clock)
    assert model.total == QueueModel.PAGE * 2 + 15
    assert model.rowCount() == QueueModel.PAGE
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == model.total
    assert not model.canFetchMore()
    keys = [model.index(i, 0).data(KeyRole) for i in range(model.rowCount())]
    assert len(set(keys)) == len(keys)  # no row twice across pages


def test_refresh_inserts_new_items_without_reset(qtbot, db, clock):
    damage_reports(db, clock, 5)
    model = make_model(qtbot, db, clock)
    first_key = model.index(0, 0).data(KeyRole)
    resets, inserted = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
    new_ids = damage_reports(db, clock, 2, start=5)
    with qtbot.waitSignal(model.rows_arrived) as blocker:
        arrived = model.refresh()
    assert {r.item_id for r in arrived} == set(new_ids)
    assert {r.item_id for r in blocker.args[0]} == set(new_ids)
    assert resets == []
    assert inserted == [(0, 1)]  # newest first, same urgency: neighbours inserted together
    assert model.rowCount() == 7
    assert model.index(2, 0).data(KeyRole) == first_key


def test_refresh_updates_changed_rows_in_place(qtbot, db, clock):
    from disaster_desk.core.triage import TriageService

    ids = damage_reports(db, clock, 3)
    model = make_model(qtbot, db, clock)
    row = model.row_of(f"report:{ids[0]}")
    assert model.index(row, COL_STATE).data() == "新規"  # the texts shown before (made once per row)
    TriageService(db, clock).acknowledge("report", ids[0], actor="tester")
    with qtbot.waitSignal(model.dataChanged):
        model.refresh()
    assert model.row_of(f"report:{ids[0]}") == row
    assert model.index(row, COL_STATE).data() == "確認済"
    assert "北区" in model.index(row, COL_PLACE).data()


def test_filter_narrows_rows(qtbot, db, clock):
    damage_reports(db, clock, 4)
    model = make_model(qtbot, db, clock)
    model.set_filter(QueueFilter(text="地点2"))
    assert model.rowCount() == 1
    model.set_filter(QueueFilter(wards=frozenset({"西区"})))
    assert model.rowCount() == 0


def test_bounded_refresh_drops_the_far_tail_and_fetches_it_again(qtbot, sqlite_db, clock):
    damage_reports(sqlite_db, clock, QueueModel.PAGE * 2 + 5)
    model = make_model(qtbot, sqlite_db, clock)
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == model.total
    model.refresh(keep=10)  # the operator looks at the top rows
    assert model.rowCount() == QueueModel.PAGE
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == model.total


def test_text_search_counts_up_to_a_cap_and_keeps_fetching(qtbot, sqlite_db, clock, monkeypatch):
    monkeypatch.setattr(QueueModel, "TEXT_COUNT_CAP", 50)
    damage_reports(sqlite_db, clock, QueueModel.PAGE + 30)
    model = make_model(qtbot, sqlite_db, clock)
    model.set_filter(QueueFilter(text="地点"))
    assert model.capped and model.count_text().endswith("+")
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == QueueModel.PAGE + 30
    assert model.count_text() == f"{QueueModel.PAGE + 30:,}"


def test_panel_defers_refresh_while_reading_deep_and_merges_at_the_top(qtbot, sqlite_db, clock):
    from disaster_desk.ui.queue_panel import QueuePanel

    damage_reports(sqlite_db, clock, QueueModel.PAGE * 3)
    from disaster_desk.ui.workers import SyncRunner

    panel = QueuePanel(QueueService(sqlite_db), clock, runner=SyncRunner())
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    while panel.model.canFetchMore():
        panel.model.fetchMore()
    panel.table.scrollToBottom()
    qtbot.waitUntil(lambda: panel.table.rowAt(0) > QueueModel.PAGE)
    [new_id] = damage_reports(sqlite_db, clock, 1, start=999)
    assert panel.refresh() == []
    assert panel.pending_refresh and "新着あり" in panel.count_label.text()
    panel.table.scrollToTop()
    qtbot.waitUntil(lambda: not panel.pending_refresh)
    assert panel.model.row_at(0).item_id == new_id


def test_labels_column_shows_a_possible_rescue_and_the_event_status(qtbot, db, clock):
    from disaster_desk.core.analysis import AnalysisService, PostAnalysis
    from disaster_desk.core.ingest import IngestService, RawPost
    from disaster_desk.ui.queue_model import COL_LABELS

    class Analyser:
        version = "t"

        def analyse(self, texts):
            return [PostAnalysis(["building"], review=["rescue"]) if "瓦礫" in t
                    else PostAnalysis(["lifeline"], status="elsewhere") for t in texts]

    ids = IngestService(db, clock).ingest([RawPost(source="x", external_id=str(i), text=t)
                                           for i, t in enumerate(["瓦礫の奥から物音", "東京都北区で停電"])]).new_ids
    AnalysisService(db, Analyser(), clock).analyse_ids(ids)
    model = make_model(qtbot, db, clock)
    texts = {model.index(r, 0).data(KeyRole): model.index(r, COL_LABELS).data() for r in range(model.rowCount())}
    assert texts[f"post:{ids[0]}"] == "要確認(救助?) 建物・構造物被害"
    assert texts[f"post:{ids[1]}"] == "ライフライン [他地域・過去]"


def test_refresh_reads_on_the_worker_pool_and_folds_a_burst(qtbot, db, clock):
    import threading

    from disaster_desk.ui.workers import ThreadRunner

    damage_reports(db, clock, 3)
    model = make_model(qtbot, db, clock)
    service, threads = model.service, []
    page = service.page

    def recording_page(*args, **kwargs):
        threads.append(threading.current_thread())
        return page(*args, **kwargs)

    service.page = recording_page
    runner, resets, inserted, done = ThreadRunner(), [], [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
    new_ids = damage_reports(db, clock, 2, start=3)
    for _ in range(5):  # a burst of changes: one read now, one more after it
        model.refresh_in(runner, on_done=done.append)
    qtbot.waitUntil(lambda: len(done) == 2 and not model._reading, timeout=10_000)
    assert len(threads) == 2 and threading.main_thread() not in threads
    assert {r.item_id for r in done[0]} == set(new_ids) and done[1] == []
    assert resets == [] and inserted == [(0, 1)]
    assert model.rowCount() == 5


def test_a_refresh_read_before_a_reload_is_not_merged(qtbot, db, clock):
    from disaster_desk.ui.workers import ThreadRunner

    damage_reports(db, clock, 3)
    model = make_model(qtbot, db, clock)
    runner, done = ThreadRunner(), []
    model.refresh_in(runner, on_done=done.append)
    model.set_filter(QueueFilter(wards=frozenset({"西区"})))  # another filter while the read runs
    qtbot.waitUntil(lambda: not model._reading, timeout=10_000)
    runner.wait(5000)
    assert done == [] and model.rowCount() == 0


def test_reload_paging_and_filter_changes_read_on_the_worker_pool(qtbot, sqlite_db, clock):
    """A filter change, each page and the first load run on pool threads; the GUI thread only applies them."""
    import threading

    from disaster_desk.ui.workers import ThreadRunner

    damage_reports(sqlite_db, clock, QueueModel.PAGE + 20)
    service, threads = QueueService(sqlite_db), []
    count, page = service.count, service.page

    def recording(fn):
        def call(*args, **kwargs):
            threads.append(threading.current_thread())
            return fn(*args, **kwargs)
        return call

    service.count, service.page = recording(count), recording(page)
    runner = ThreadRunner()
    model = QueueModel(service, QueueFilter(), clock, runner=runner)
    assert model.loading and model.rowCount() == 0 and not model.canFetchMore()  # nothing read in the GUI thread
    qtbot.waitUntil(lambda: model.rowCount() == QueueModel.PAGE, timeout=10_000)
    assert model.total == QueueModel.PAGE + 20 and model.canFetchMore()
    model.fetchMore()
    model.fetchMore()  # one page read at a time: the second call waits for the first
    qtbot.waitUntil(lambda: model.rowCount() == QueueModel.PAGE + 20, timeout=10_000)
    assert not model.canFetchMore()
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_filter(QueueFilter(text="地点2"))
        assert model.rowCount() == 0  # the rows of the old filter leave at once
    assert {model.row_at(i).text for i in range(model.rowCount())} and all(
        "地点2" in model.row_at(i).text for i in range(model.rowCount()))
    runner.wait(5000)
    assert len(threads) >= 5 and threading.main_thread() not in threads


def test_a_page_read_before_a_filter_change_is_not_appended(qtbot, sqlite_db, clock):
    from disaster_desk.ui.workers import SyncRunner, ThreadRunner

    damage_reports(sqlite_db, clock, QueueModel.PAGE + 20)
    model = make_model(qtbot, sqlite_db, clock)
    pool = model.runner = ThreadRunner()
    model.fetchMore()  # reading the second page of every report...
    model.runner = SyncRunner()
    model.set_filter(QueueFilter(wards=frozenset({"西区"})))  # ...while the operator picks another ward
    pool.wait(5000)
    qtbot.wait(100)  # its result reaches the GUI thread, and is dropped
    assert model.rowCount() == 0 and model.total == 0


def test_a_large_batch_is_merged_in_slices_and_every_row_arrives_in_order(qtbot, db, clock, monkeypatch):
    """A merge bigger than a slice leaves the event loop between slices; the rows end in the service's order."""
    monkeypatch.setattr(QueueModel, "SLICE", 10)
    damage_reports(db, clock, 5)
    model = make_model(qtbot, db, clock)
    slices, inserted, done = [], [], []
    model.rows_arrived.connect(lambda rows: slices.append([r.item_id for r in rows]))
    model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
    new_ids = damage_reports(db, clock, 45, start=5)
    model.refresh_in(model.runner, on_done=done.append)
    assert model.merging and 0 < model.rowCount() < 50  # one slice applied; the rest after other events
    assert model._reading  # the next refresh waits for the last slice
    qtbot.waitUntil(lambda: not model.merging)
    assert len(slices) == 5 and all(len(s) == 10 for s in slices[:-1])
    assert [i for s in slices for i in s] == new_ids[::-1]  # newest first, none twice, none lost
    assert [r.item_id for r in done[0]] == new_ids[::-1] and not model._reading
    assert inserted == [(0, 9), (10, 19), (20, 29), (30, 39), (40, 44)]
    expected = [row_key(r) for r in model.service.page(QueueFilter(), 0, 200)]
    assert [model.index(i, 0).data(KeyRole) for i in range(model.rowCount())] == expected


def test_a_reload_stops_a_sliced_merge_and_the_next_refresh_runs(qtbot, db, clock, monkeypatch):
    monkeypatch.setattr(QueueModel, "SLICE", 10)
    damage_reports(db, clock, 3)
    model = make_model(qtbot, db, clock)
    damage_reports(db, clock, 40, start=3)
    model.refresh()
    assert model.merging
    model.set_filter(QueueFilter(wards=frozenset({"北区"})))  # another filter while slices remain
    assert not model.merging and model.rowCount() == 43
    qtbot.waitUntil(lambda: not model._reading)
    [new_id] = damage_reports(db, clock, 1, start=99)
    assert [r.item_id for r in model.refresh()] == [new_id]  # not folded forever into a dead merge
    keys = [model.index(i, 0).data(KeyRole) for i in range(model.rowCount())]
    assert len(keys) == 44 == len(set(keys))


def test_a_page_asked_for_during_a_sliced_merge_is_read_after_it(qtbot, sqlite_db, clock, monkeypatch):
    monkeypatch.setattr(QueueModel, "SLICE", 10)
    monkeypatch.setattr(QueueModel, "PAGE", 20)
    damage_reports(sqlite_db, clock, 50)
    model = make_model(qtbot, sqlite_db, clock)
    assert model.rowCount() == 20 and model.canFetchMore()
    new_ids = damage_reports(sqlite_db, clock, 30, start=50)
    model.refresh()
    assert model.merging
    model.fetchMore()  # the view scrolled to the end meanwhile
    qtbot.waitUntil(lambda: not model.merging and model.rowCount() == 40)
    keys = [model.index(i, 0).data(KeyRole) for i in range(model.rowCount())]
    assert keys == [row_key(r) for r in model.service.page(QueueFilter(), 0, 40)]
    assert keys[:30] == [f"report:{i}" for i in new_ids[::-1]]


def test_the_time_text_follows_the_clock(qtbot, db, clock):
    damage_reports(db, clock, 1)
    model = make_model(qtbot, db, clock)
    assert "たった今" in model.index(0, COL_TIME).data()
    clock.advance(5 * 60)
    assert "(5分前)" in model.index(0, COL_TIME).data()


def test_the_texts_made_per_row_stay_bounded_by_the_rows_shown(qtbot, db, clock):
    import dataclasses

    from disaster_desk.ui.queue_model import Fresh

    damage_reports(db, clock, 3)
    model = make_model(qtbot, db, clock)
    rows = list(model.rows)
    for n in range(400):  # each merge changes every row: new row objects, new texts
        changed = [dataclasses.replace(r, version=r.version + n + 1) for r in rows]
        model.merge(Fresh(3, False, changed))
        assert [model.index(i, COL_PLACE).data() for i in range(3)] == [r.ward + " " + r.place for r in changed]
    assert len(model._texts) <= 2 * model.rowCount() + 201
