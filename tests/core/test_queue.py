"""The operator queue: order, filters, hidden `none`, collapsed duplicates, paging."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from disaster_desk.core.models import Post
from disaster_desk.core.modes import Scope
from disaster_desk.core.queue import QueueFilter, QueueService
from disaster_desk.core.reports import ReportService
from disaster_desk.core.triage import TriageService
from tests.core.triage_items import add_post


def _seed(db, clock):
    ids = {}
    ids["fire"] = add_post(db, clock, "福島区で火災", ["fire"], ward="福島区", place="野田")
    clock.advance(60)
    ids["rescue_old"] = add_post(db, clock, "北区で救助要請", ["rescue"], ward="北区", place="中崎町")
    clock.advance(60)
    ids["transport"] = add_post(db, clock, "御堂筋線が止まった", ["transport"], source="mastodon")
    clock.advance(60)
    ids["none"] = add_post(db, clock, "今日のランチ", ["none"])
    clock.advance(60)
    ids["rescue_new"] = add_post(db, clock, "淀川区で閉じ込め 救助", ["rescue", "building"], ward="淀川区")
    ids["unanalysed"] = add_post(db, clock, "まだ解析前", None)
    return ids


def keys(rows):
    return [r.key for r in rows]


def test_order_is_urgency_then_newest_and_none_hidden(db, clock):
    ids = _seed(db, clock)
    queue = QueueService(db)
    rows = queue.page(QueueFilter(), 0, 50)
    assert keys(rows) == [f"post:{ids[k]}" for k in ("rescue_new", "rescue_old", "fire", "transport")]
    assert queue.count(QueueFilter()) == 4
    assert rows[0].labels == ["rescue", "building"] and rows[0].ward == "淀川区" and rows[0].urgency == 9
    with_none = queue.page(QueueFilter(include_none=True), 0, 50)
    assert keys(with_none)[-1] == f"post:{ids['none']}"
    assert f"post:{ids['unanalysed']}" not in keys(with_none)


def test_filters(db, clock):
    ids = _seed(db, clock)
    queue = QueueService(db)

    def only(**kwargs):
        flt = QueueFilter(**kwargs)
        rows = queue.page(flt, 0, 50)
        assert queue.count(flt) == len(rows)
        return sorted(r.item_id for r in rows)

    assert only(labels=frozenset({"building"})) == [ids["rescue_new"]]
    assert only(labels=frozenset({"fire", "transport"})) == sorted([ids["fire"], ids["transport"]])
    assert only(wards=frozenset({"北区", "福島区"})) == sorted([ids["rescue_old"], ids["fire"]])
    assert only(sources=frozenset({"mastodon"})) == [ids["transport"]]
    assert only(text="救助") == sorted([ids["rescue_old"], ids["rescue_new"]])
    assert only(text="100%") == []
    start = clock.now() - timedelta(seconds=150)
    assert only(since=start, until=clock.now()) == [ids["transport"]]
    TriageService(db, clock).acknowledge("post", ids["fire"], actor="op")
    assert only(states=frozenset({"acknowledged"})) == [ids["fire"]]
    assert only(states=frozenset({"new"}), labels=frozenset({"fire"})) == []


def test_duplicates_are_shown_once_with_a_count(db, clock):
    first = add_post(db, clock, "北区で救助要請", ["rescue"])
    copies = [add_post(db, clock, f"RT 北区で救助要請 {i}", ["rescue"]) for i in range(3)]
    with db.session() as s:
        s.execute(update(Post.__table__).where(Post.__table__.c.id.in_(copies)).values(duplicate_of=first))
    queue = QueueService(db)
    rows = queue.page(QueueFilter(), 0, 10)
    assert keys(rows) == [f"post:{first}"] and rows[0].duplicates == 3
    assert queue.count(QueueFilter()) == 1


def test_reports_merge_into_the_queue_by_urgency(db, clock):
    ids = _seed(db, clock)
    reports = ReportService(db, clock)
    critical = reports.submit("damage", "港区", {"type": "bridge", "severity": "critical", "place": "弁天埠頭"},
                              author="港区").report_id
    shelter = reports.submit("shelter", "北区", {"name": "扇町小学校", "status": "open", "evacuees": 120},
                             author="北区").report_id
    reports.submit("muster", "北区", {"office": "北区役所", "arrived": 3, "expected": 10}, author="北区")
    queue = QueueService(db)
    rows = queue.page(QueueFilter(), 0, 50)
    assert keys(rows) == [f"post:{ids['rescue_new']}", f"post:{ids['rescue_old']}", f"report:{critical}",
                          f"post:{ids['fire']}", f"report:{shelter}", f"post:{ids['transport']}"]
    assert queue.count(QueueFilter()) == 6
    assert "扇町小学校" in rows[4].text and rows[4].source == "report"
    # every page of every size agrees with the full list (merge + keyset + offset paging)
    for size in (1, 2, 4):
        paged = []
        for offset in range(0, 8, size):
            paged += queue.page(QueueFilter(), offset, size)
        assert keys(paged) == keys(rows)
    assert keys(queue.page(QueueFilter(), 3, 2)) == keys(rows)[3:5]
    assert keys(queue.page(QueueFilter(sources=frozenset({"report"})), 0, 10)) == [
        f"report:{critical}", f"report:{shelter}"]
    assert queue.page(QueueFilter(), 20, 5) == []


def test_drill_rows_never_appear_in_the_real_queue(db, clock):
    real = add_post(db, clock, "本物の火災", ["fire"])
    drill = add_post(db, clock, "訓練の火災", ["fire"], scope=Scope.drill("r1"))
    assert keys(QueueService(db).page(QueueFilter(), 0, 10)) == [f"post:{real}"]
    assert keys(QueueService(db, Scope.drill("r1")).page(QueueFilter(), 0, 10)) == [f"post:{drill}"]


def test_reanalysis_updates_the_queue_keys(db, clock):
    post_id = add_post(db, clock, "火災", ["fire"], ward="北区")
    from sqlalchemy import select

    from disaster_desk.core.models import Analysis

    with db.session() as s:
        analysis = s.scalar(select(Analysis).where(Analysis.post_id == post_id))
        analysis.labels, analysis.urgency, analysis.ward = ["none"], 0, None
    assert QueueService(db).count(QueueFilter()) == 0
    assert QueueService(db).count(QueueFilter(include_none=True, labels=frozenset({"none"}))) == 1


def test_counts_stay_equal_to_a_scan_through_every_kind_of_change(db, clock):
    """On SQLite counts come from trigger-kept queue_counts; they must always equal a scan."""
    from sqlalchemy import delete

    from disaster_desk.core.grouping import GroupingService

    ids = _seed(db, clock)
    dup = add_post(db, clock, "RT @x: 北区で救助要請", ["rescue"], ward="北区")
    queue = QueueService(db)
    filters = [QueueFilter(), QueueFilter(include_none=True), QueueFilter(labels=frozenset({"rescue"})),
               QueueFilter(wards=frozenset({"北区"}), states=frozenset({"new", "acknowledged"})),
               QueueFilter(sources=frozenset({"mastodon", "report"})), QueueFilter(states=frozenset({"shared"}))]

    def agree():
        for flt in filters:
            assert queue.count(flt) == queue.exact_count(flt), flt

    agree()
    triage = TriageService(db, clock)
    triage.acknowledge("post", ids["rescue_old"], actor="op")
    triage.share("post", ids["rescue_old"], ["北区"], actor="op")
    agree()
    assert GroupingService(db, clock).collapse_duplicates([dup]) == 1
    agree()
    from sqlalchemy import select

    from disaster_desk.core.models import Analysis

    with db.session() as s:  # re-analysis changes labels, urgency and ward
        analysis = s.scalar(select(Analysis).where(Analysis.post_id == ids["fire"]))
        analysis.labels, analysis.urgency, analysis.ward = ["none"], 0, None
    agree()
    with db.session() as s:
        s.execute(delete(Analysis).where(Analysis.post_id == ids["transport"]))
        s.execute(delete(Post).where(Post.id == ids["transport"]))
    agree()
    assert queue.count(QueueFilter(states=frozenset({"shared"}))) == 1


def test_deep_jumps_land_on_the_same_rows_as_scrolling(db, clock):
    """Offsets past 1,000 start at the right urgency level (from queue_counts): same rows as OFFSET."""
    from sqlalchemy import insert

    rows = []
    base = clock.now()
    for i in range(1500):
        labels = [("rescue", "fire", "transport", "none")[i % 4]]
        rows.append({"source": "x", "external_id": f"bulk{i}", "text": f"t{i}", "collected_at": base,
                     "state": "new", "version": 1, "mode": "real", "run_id": "", "label_mask": 0})
    with db.session() as s:
        s.execute(insert(Post), rows)
        ids = list(s.scalars(select(Post.id).order_by(Post.id)))
    from disaster_desk.core.models import Analysis
    from disaster_desk.core.taxonomy import urgency

    with db.session() as s:
        for i, post_id in enumerate(ids):
            labels = [("rescue", "fire", "transport", "none")[i % 4]]
            s.add(Analysis(post_id=post_id, labels=labels, urgency=urgency(labels), analyser_version="t",
                           analysed_at=base))
    flt = QueueFilter()
    queue = QueueService(db)
    scrolled = []
    for offset in range(0, 1125, 75):
        scrolled += queue.page(flt, offset, 75)
    assert len(scrolled) == 1125 == queue.count(flt)
    for offset in (1000, 1010, 1100):
        assert keys(QueueService(db).page(flt, offset, 20)) == keys(scrolled[offset : offset + 20])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_mix_pages_agree_with_the_full_order(sqlite_db, clock, seed):
    """Any page size gives the same rows as one big page, in urgency-then-newest order."""
    import random

    rng = random.Random(seed)
    reports = ReportService(sqlite_db, clock)
    for i in range(60):
        clock.advance(rng.choice([0, 1, 30]))
        add_post(sqlite_db, clock, f"post {i}", [rng.choice(["rescue", "fire", "flood", "transport", "none"])],
                 ward=rng.choice(["北区", "港区", None]), external_id=f"p{i}")
        if rng.random() < 0.25:
            reports.submit("damage", "港区", {"type": rng.choice(["road", "river", "power"]),
                                             "severity": rng.choice(["minor", "major", "critical"])}, author="港区")
    queue = QueueService(sqlite_db)
    for flt in (QueueFilter(), QueueFilter(wards=frozenset({"港区"})), QueueFilter(include_none=True)):
        full = queue.page(flt, 0, 1000)
        assert len(full) == queue.count(flt)
        order = [(-r.urgency, -r.received_at.timestamp()) for r in full]
        assert order == sorted(order)
        for size in (1, 7, 25):
            paged = []
            for offset in range(0, len(full) + size, size):
                paged += QueueService(sqlite_db).page(flt, offset, size) if size == 7 else queue.page(flt, offset, size)
            assert keys(paged) == keys(full), (flt, size)


def test_report_rows_in_the_ui_language_and_searchable_in_japanese_too(db, clock):
    ReportService(db, clock).submit("shelter", "北区", {"name": "扇町小学校", "status": "full", "evacuees": 80},
                                    author="北区")
    [ja] = QueueService(db).page(QueueFilter(), 0, 10)
    english = QueueService(db, language="en")
    [en] = english.page(QueueFilter(), 0, 10)
    assert ja.text == "避難所 北区 扇町小学校 満員 避難者80人"
    assert en.text == "Shelter Kita Ward 扇町小学校 Full 80 evacuees"
    for needle in ("満員", "full", "Kita Ward", "扇町"):  # a search finds it in either language
        assert [r.item_id for r in english.page(QueueFilter(text=needle), 0, 10)] == [en.item_id], needle
