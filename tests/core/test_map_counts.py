"""map_counts (migration 0021): the map's totals per ward and town, kept by triggers, equal the GROUP BY."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, text, update

from disaster_desk.core.db import Database, make_engine, upgrade
from disaster_desk.core.ingest import IngestService, RawPost
from disaster_desk.core.map_items import (
    MapWindow,
    _area_totals,
    _town_totals,
    _ward_totals,
    compact_map_counts,
    map_picture,
)
from disaster_desk.core.models import Analysis, MapCount, Post
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.taxonomy import URGENCY
from disaster_desk.core.triage import TriageService

DRILL = Scope.drill("r1")


def add_placed(db, clock, label, ward, place, precision="town", lat=34.70, lon=135.50, scope=REAL_SCOPE,
               n=[0]):  # noqa: B006 - id counter
    n[0] += 1
    pid = IngestService(db, clock, scope).ingest([RawPost("x", f"c{n[0]}", f"{place}の投稿{n[0]}")]).new_ids[0]
    with db.session() as s:
        s.add(Analysis(post_id=pid, labels=[label], urgency=URGENCY[label], ward=ward, place=place,
                       precision=precision, lat=lat, lon=lon, analyser_version="test", analysed_at=clock.now()))
    return pid


def kept(db, scope):
    with db.session() as s:
        return _area_totals(s, db, scope)


def grouped(db, scope):
    with db.session() as s:
        return _ward_totals(s, scope), _town_totals(s, scope)


def assert_counts_equal_group_by(db, *scopes):
    for scope in scopes:
        (wards, towns), (want_wards, want_towns) = kept(db, scope), grouped(db, scope)
        assert wards == want_wards, scope
        assert towns.keys() == want_towns.keys(), scope
        for key, (n, lat, lon) in towns.items():
            want = want_towns[key]
            assert n == want[0] and abs(lat - want[1]) < 1e-9 and abs(lon - want[2]) < 1e-9, (scope, key)


def test_counts_follow_insert_reanalysis_triage_collapse_and_delete(db, clock):
    umeda = [add_placed(db, clock, "lifeline", "北区", "梅田1丁目", "address", 34.70 + i / 1000) for i in range(3)]
    kyobashi = add_placed(db, clock, "fire", "都島区", "京橋", "town", 34.696, 135.534)
    ward_only = add_placed(db, clock, "rescue", "港区", "港区", "ward", 34.66, 135.45)
    drill = add_placed(db, clock, "fire", "北区", "梅田1丁目", "address", scope=DRILL)
    unplaced = IngestService(db, clock).ingest([RawPost("x", "u1", "場所のない投稿")]).new_ids[0]
    wards, towns = kept(db, REAL_SCOPE)
    assert wards == {"北区": 3, "都島区": 1, "港区": 1}
    assert {k: v[0] for k, v in towns.items()} == {("北区", "梅田1丁目"): 3, ("都島区", "京橋"): 1}
    assert abs(towns[("北区", "梅田1丁目")][1] - 34.701) < 1e-9  # the mean point
    # drill data never reaches the real counts, nor the other way round
    assert kept(db, DRILL) == ({"北区": 1}, {("北区", "梅田1丁目"): (1, 34.70, 135.50)})
    assert_counts_equal_group_by(db, REAL_SCOPE, DRILL, Scope.drill(""))

    # re-analysis: another town and ward (the queue keys follow), a town that loses its point
    with db.session() as s:
        a = s.scalar(select(Analysis).where(Analysis.post_id == umeda[0]))
        a.ward, a.place, a.lat, a.lon = "中央区", "難波", 34.666, 135.501
        s.scalar(select(Analysis).where(Analysis.post_id == kyobashi)).lat = None
    wards, towns = kept(db, REAL_SCOPE)
    assert wards == {"北区": 2, "都島区": 1, "港区": 1, "中央区": 1}
    assert {k: v[0] for k, v in towns.items()} == {("北区", "梅田1丁目"): 2, ("中央区", "難波"): 1}
    assert_counts_equal_group_by(db, REAL_SCOPE, DRILL)

    # dismissal leaves the counts, closing does not; reopening a dismissed post brings it back
    triage = TriageService(db, clock)
    triage.dismiss("post", umeda[1], actor="op", reason="誤報")
    triage.acknowledge("post", ward_only, actor="op")
    triage.verify("post", ward_only, actor="op")
    triage.close("post", ward_only, actor="op")
    wards, towns = kept(db, REAL_SCOPE)
    assert wards == {"北区": 1, "都島区": 1, "港区": 1, "中央区": 1}
    assert towns[("北区", "梅田1丁目")][0] == 1
    assert_counts_equal_group_by(db, REAL_SCOPE)
    triage.reopen("post", umeda[1], actor="op")
    assert kept(db, REAL_SCOPE)[0]["北区"] == 2
    assert_counts_equal_group_by(db, REAL_SCOPE)

    # a collapsed duplicate is not counted; a post analysed later is
    with db.session() as s:
        s.execute(update(Post).where(Post.id == umeda[2]).values(duplicate_of=umeda[1]))
        s.add(Analysis(post_id=unplaced, labels=["fire"], urgency=URGENCY["fire"], ward="西区", place="九条",
                       precision="town", lat=34.675, lon=135.466, analyser_version="test", analysed_at=clock.now()))
    wards, towns = kept(db, REAL_SCOPE)
    assert wards["北区"] == 1 and wards["西区"] == 1 and towns[("西区", "九条")][0] == 1
    assert_counts_equal_group_by(db, REAL_SCOPE)

    # deletes: an analysis alone, then posts with their analyses (cascade), a drill post
    with db.session() as s:
        s.execute(delete(Analysis).where(Analysis.post_id == unplaced))
    assert ("西区", "九条") not in kept(db, REAL_SCOPE)[1]
    with db.session() as s:
        s.execute(update(Post).where(Post.id == umeda[2]).values(duplicate_of=None))
        s.execute(delete(Post).where(Post.id.in_([umeda[1], umeda[2], drill])))
    assert kept(db, DRILL) == ({}, {})
    assert_counts_equal_group_by(db, REAL_SCOPE, DRILL)
    if db.engine.dialect.name == "postgresql":  # the deltas fold into one row per key, the sums unchanged
        before = kept(db, REAL_SCOPE)
        with db.session() as s:
            assert compact_map_counts(s) > 0
            assert s.scalar(select(MapCount.id).where(MapCount.n == 0).limit(1)) is None
        after = kept(db, REAL_SCOPE)
        assert after[0] == before[0] and {k: v[0] for k, v in after[1].items()} == {k: v[0] for k, v in before[1].items()}
    assert_counts_equal_group_by(db, REAL_SCOPE, DRILL)


def test_the_picture_badges_come_from_the_kept_counts(db, clock):
    old = [add_placed(db, clock, "lifeline", "北区", "梅田1丁目", "address") for _ in range(2)]
    clock.advance(hours=7)
    recent = add_placed(db, clock, "lifeline", "北区", "梅田1丁目", "address")
    with db.session() as s:  # a forged count shows on the badge: the badges read map_counts, not posts
        first = s.scalar(select(MapCount.id).where(MapCount.town == "梅田1丁目").order_by(MapCount.id).limit(1))
        s.execute(update(MapCount).where(MapCount.id == first).values(n=MapCount.n + 10))
    pic = map_picture(db, window=MapWindow(hours=6), now=clock.now(), registry=False)
    assert [i.key for i in pic.items if i.layer == "post"] == [f"post:{recent}"]
    assert [(c.name, c.n) for c in pic.towns] == [("梅田1丁目", 2 + 10)]
    assert {c.name: c.n for c in pic.wards} == {"北区": len(old)}


def test_the_migration_backfills_what_is_stored(db_url, clock):
    engine = make_engine(db_url)
    upgrade(engine, "0020_station_functions_plpgsql")
    engine.dispose()
    old = Database.open(db_url, migrate=False)
    add_placed(old, clock, "lifeline", "北区", "梅田1丁目", "address")
    add_placed(old, clock, "fire", "北区", "梅田1丁目", "address", 34.702)
    dismissed = add_placed(old, clock, "fire", "都島区", "京橋")
    TriageService(old, clock).dismiss("post", dismissed, actor="op", reason="誤報")
    add_placed(old, clock, "fire", "北区", "梅田1丁目", "address", scope=DRILL)
    old.dispose()
    db = Database.open(db_url)  # 0021 back-fills, then the triggers keep the counts
    try:
        assert kept(db, REAL_SCOPE) == ({"北区": 2}, {("北区", "梅田1丁目"): (2, pytest.approx(34.701), pytest.approx(135.50))})
        add_placed(db, clock, "fire", "北区", "梅田1丁目", "address", 34.703)
        assert kept(db, REAL_SCOPE)[1][("北区", "梅田1丁目")][0] == 3
        assert_counts_equal_group_by(db, REAL_SCOPE, DRILL)
    finally:
        db.dispose()


@pytest.mark.postgres
def test_station_logins_keep_the_counts_and_read_only_their_scope(cluster, clock):
    """The triggers run for the logins that write posts and analyses (they hold no privilege on map_counts);
    a drill login reads drill counts only; a ward login counts only the posts shared with it."""
    import psycopg

    from tests.station_logins import raw

    owner = cluster.open(cluster.url)
    collector = cluster.open(cluster.station("col", "collector"))
    hq = cluster.open(cluster.station("hq1", "hq"))
    drill_url = cluster.station("drill1", "drill")
    with owner.session() as s:
        s.execute(text("INSERT INTO drill_runs (id, scenario, speed, scenario_start, started_at, status) "
                       "VALUES ('r1', 's', '1', now(), now(), 'running')"))
    fires = [add_placed(collector, clock, "fire", "北区", "中崎町") for _ in range(3)]
    add_placed(cluster.open(drill_url), clock, "fire", "北区", "中崎町", scope=DRILL)
    TriageService(hq, clock).dismiss("post", fires[0], actor="本部", reason="誤報")
    assert kept(owner, REAL_SCOPE) == ({"北区": 2}, {("北区", "中崎町"): (2, 34.70, 135.50)})
    assert_counts_equal_group_by(owner, REAL_SCOPE, DRILL)
    assert kept(hq, REAL_SCOPE) == kept(owner, REAL_SCOPE)
    for url in (drill_url, cluster.station("view", "viewer")):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw(url, "INSERT INTO map_counts (mode, run_id, ward, town, n, lat_sum, lon_sum) "
                     "VALUES ('real', '', '北区', '', 100, 0, 0)")
    assert raw(drill_url, "SELECT DISTINCT mode FROM map_counts") == [("drill",)]
    kita_url = cluster.station("kita", "ward", "北区")
    kita = cluster.open(kita_url)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # not granted (and the policy shows it no row)
        raw(kita_url, "SELECT count(*) FROM map_counts")
    assert kept(kita, REAL_SCOPE) == ({}, {})
    TriageService(hq, clock).share("post", fires[1], ["北区"], actor="本部", acknowledge_new=True)
    assert kept(kita, REAL_SCOPE) == ({"北区": 1}, {("北区", "中崎町"): (1, 34.70, 135.50)})


@pytest.mark.postgres
def test_postgres_deltas_fold_when_they_pile_up_and_one_station_folds_at_a_time(pg_db, clock, monkeypatch):
    from disaster_desk.core import map_items

    for i in range(4):
        add_placed(pg_db, clock, "fire", "北区", "中崎町", lat=34.70 + i / 1000)
    with pg_db.session() as s:
        piled = s.scalar(select(func.count()).select_from(MapCount))
    assert piled > 2  # the triggers appended deltas (ward and town rows, +/- for the queue-key copy)
    want = kept(pg_db, REAL_SCOPE)
    with pg_db.engine.connect() as other:  # another station is folding: this one does not wait for it
        other.execute(text("SELECT pg_advisory_xact_lock(7168368)"))  # 0x6D6170, migration 0021's key
        with pg_db.session() as s:
            assert compact_map_counts(s) == 0
        other.rollback()
    monkeypatch.setattr(map_items, "COMPACT_SLACK", 0)
    assert kept(pg_db, REAL_SCOPE) == want  # this read folded them
    with pg_db.session() as s:
        assert s.scalar(select(func.count()).select_from(MapCount)) == 2  # 北区 and 北区/中崎町
    wards, towns = kept(pg_db, REAL_SCOPE)  # the same sums (the points up to the order of float additions)
    assert wards == want[0] and {k: v[0] for k, v in towns.items()} == {k: v[0] for k, v in want[1].items()}
    assert_counts_equal_group_by(pg_db, REAL_SCOPE)
