"""The markers of the common operating picture, per layer, for one scope."""

from __future__ import annotations

from sqlalchemy import delete

from disaster_desk.core.ingest import IngestService, RawPost
from disaster_desk.core.map_items import WARD_CENTROIDS, MapWindow, map_item_for, map_items, map_picture
from disaster_desk.core.models import Analysis, OfficialAlert, Shelter
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.reports import ReportService
from disaster_desk.core.taxonomy import URGENCY
from disaster_desk.core.triage import TriageService


def add_post(db, clock, text, labels, lat=None, lon=None, scope=REAL_SCOPE, n=[0]):  # noqa: B006 - id counter
    n[0] += 1
    pid = IngestService(db, clock, scope).ingest([RawPost("x", f"p{n[0]}", text, author="someone")]).new_ids[0]
    with db.session() as s:
        s.add(Analysis(post_id=pid, labels=labels, urgency=0, lat=lat, lon=lon, analyser_version="test",
                       analysed_at=clock.now()))
    return pid


def add_shelters(db):
    """A registry of three (the seeded pack shelters removed, so the markers can be counted)."""
    with db.session() as s:
        s.execute(delete(Shelter))
        s.add_all([
            Shelter(common_id="E1", name="扇町小学校", ward="北区", lat=34.70, lon=135.51, kinds=["shelter"]),
            Shelter(common_id="E2", name="堀川小学校", ward="北区", lat=34.69, lon=135.50, kinds=["shelter"]),
            Shelter(common_id="E3", name="扇町公園", ward="北区", lat=34.71, lon=135.51, kinds=["emergency_site"]),
        ])


def test_layers_colours_and_sizes(db, clock):
    add_shelters(db)
    fire = add_post(db, clock, "北区中崎町で火事", ["fire"], 34.707, 135.505)
    add_post(db, clock, "場所のない投稿", ["rescue"])  # no coordinates: not on the map
    add_post(db, clock, "訓練の投稿", ["fire"], 34.7, 135.5, scope=Scope.drill("r1"))
    reports = ReportService(db, clock)
    shelter = reports.submit("shelter", "北区", {"name": "扇町小学校", "status": "open", "evacuees": 250,
                                                 "capacity": 500}, author="kita").report_id
    road = reports.submit("damage", "淀川区", {"type": "road", "severity": "major", "place": "十三大橋",
                                              "lat": 34.716, "lon": 135.487, "status": "restored"}, author="y").report_id
    reports.submit("muster", "北区", {"office": "北区役所", "arrived": 50, "expected": 80}, author="kita")
    reports.submit("muster", "淀川区", {"office": "淀川区役所", "arrived": 5, "expected": 60}, author="y")
    with db.session() as s:
        alert = OfficialAlert(external_id="a1", kind="intensity", title="震度速報", issued_at=clock.now(),
                              received_at=clock.now(), data={"ward_intensity": {"北区": "6-"}})
        s.add(alert)
        s.flush()
        alert_id = alert.id

    items = {i.key: i for i in map_items(db, REAL_SCOPE)}
    assert sorted(k for k in items if k.startswith("post:")) == [f"post:{fire}"]
    assert items[f"post:{fire}"].colour == "#f46d43" and items[f"post:{fire}"].category == "fire"
    assert ("本文", "北区中崎町で火事") in items[f"post:{fire}"].fields
    open_shelter = items[f"report:{shelter}"]
    assert (open_shelter.layer, open_shelter.colour, open_shelter.filled, open_shelter.radius) == (
        "shelter", "#2ca25f", True, 13.0)
    unopened = [i for i in items.values() if i.key.startswith("shelter:")]
    assert [(i.title, i.filled) for i in unopened] == [("堀川小学校（未開設）", False)]  # emergency sites are not shelters
    assert items[f"report:{road}"].opacity < 0.5  # restored damage fades
    assert items["muster:北区"].label == "50/80" and items["muster:北区"].colour == "#2ca25f"
    assert items["muster:淀川区"].colour == "#d7191c"
    assert (items["muster:北区"].lat, items["muster:北区"].lon) == WARD_CENTROIDS["北区"]
    assert items[f"alert:{alert_id}:北区"].label == "6-"
    drill_keys = {i.key for i in map_items(db, Scope.drill("r1"))}
    assert not drill_keys & {f"post:{fire}", f"report:{shelter}"}


def test_item_for_one_key_follows_changes(sqlite_db, clock):
    add_shelters(sqlite_db)
    reports = ReportService(sqlite_db, clock)
    rid = reports.submit("shelter", "北区", {"name": "堀川小学校", "status": "open", "evacuees": 10,
                                             "capacity": 100}, author="kita").report_id
    assert map_item_for(sqlite_db, f"report:{rid}").colour == "#2ca25f"
    reports.edit(rid, {"status": "full", "evacuees": 100}, actor="kita", expected_version=1)
    full = map_item_for(sqlite_db, f"report:{rid}")
    assert (full.colour, full.radius) == ("#d7191c", 20.0)
    dmg = reports.submit("damage", "北区", {"type": "gas", "severity": "critical"}, author="kita").report_id
    assert (map_item_for(sqlite_db, f"report:{dmg}").lat, map_item_for(sqlite_db, f"report:{dmg}").lon) == \
        WARD_CENTROIDS["北区"]
    assert map_item_for(sqlite_db, "report:9999") is None
    assert map_item_for(sqlite_db, f"report:{rid}", Scope.drill("r1")) is None
    assert map_item_for(sqlite_db, "post:1") is None
    assert map_item_for(sqlite_db, "muster:北区") is None


def test_a_closed_post_stays_faded_and_a_dismissed_one_leaves(sqlite_db, clock):
    from disaster_desk.core.triage import TriageService

    pid = add_placed(sqlite_db, clock, "北区中崎町で火事", "fire", "北区", "中崎町")
    triage = TriageService(sqlite_db, clock)
    assert map_item_for(sqlite_db, f"post:{pid}").opacity == 0.9
    triage.acknowledge("post", pid, actor="op")
    triage.verify("post", pid, actor="op")
    triage.close("post", pid, actor="op")
    closed = map_item_for(sqlite_db, f"post:{pid}")
    assert closed.opacity < 0.5 and ("状態", "完了") in closed.fields
    assert [i.opacity for i in map_items(sqlite_db, REAL_SCOPE) if i.key == f"post:{pid}"] == [closed.opacity]
    triage.reopen("post", pid, actor="op")
    assert map_item_for(sqlite_db, f"post:{pid}").opacity == 0.9
    triage.dismiss("post", pid, actor="op", reason="重複")
    assert map_item_for(sqlite_db, f"post:{pid}") is None


def add_placed(db, clock, text, label, ward, place, precision="town", lat=34.70, lon=135.50, n=[0]):  # noqa: B006
    n[0] += 1
    pid = IngestService(db, clock).ingest([RawPost("x", f"w{n[0]}", text, author="someone")]).new_ids[0]
    with db.session() as s:
        s.add(Analysis(post_id=pid, labels=[label], urgency=URGENCY[label], ward=ward, place=place,
                       precision=precision, lat=lat, lon=lon, analyser_version="test", analysed_at=clock.now()))
    return pid


def test_picture_draws_the_window_and_counts_the_rest_per_ward_and_town(db, clock):
    old = [add_placed(db, clock, f"古い投稿{i}", "lifeline", "北区", "梅田1丁目", "address") for i in range(3)]
    add_placed(db, clock, "都島の古い投稿", "fire", "都島区", "都島区", "ward", *WARD_CENTROIDS["都島区"])
    clock.advance(hours=7)
    recent = add_placed(db, clock, "梅田で停電", "lifeline", "北区", "梅田1丁目", "address", 34.701, 135.498)
    pic = map_picture(db, window=MapWindow(hours=6), now=clock.now(), registry=False)
    assert [i.key for i in pic.items if i.layer == "post"] == [f"post:{recent}"]
    assert (pic.drawn, pic.beyond) == (1, 0)
    assert {c.name: c.n for c in pic.wards} == {"北区": 3, "都島区": 1}  # drawn markers are not counted again
    assert [(c.ward, c.name, c.n) for c in pic.towns] == [("北区", "梅田1丁目", 3)]
    town = pic.towns[0]
    assert abs(town.lat - (34.70 * 3 + 34.701) / 4) < 1e-9  # the mean point of the town's posts
    everything = map_picture(db, window=MapWindow(hours=0), now=clock.now(), registry=False)
    assert {f"post:{p}" for p in [*old, recent]} < {i.key for i in everything.items}
    assert everything.drawn == 5
    assert everything.wards == [] and everything.towns == []
    # The per-key read (a change notification) applies the same window.
    assert map_item_for(db, f"post:{old[0]}", since=pic.since) is None
    assert map_item_for(db, f"post:{recent}", since=pic.since) is not None


def test_picture_keeps_the_most_relevant_markers_under_the_bound(db, clock):
    handled = add_placed(db, clock, "北区で救助要請 対応済み", "rescue", "北区", "北区", "ward")
    TriageService(db, clock).acknowledge("post", handled, actor="op")
    rescue = add_placed(db, clock, "北区で救助要請", "rescue", "北区", "北区", "ward")
    infra = [add_placed(db, clock, f"停電{i}", "lifeline", "北区", "北区", "ward") for i in range(3)]
    dismissed = add_placed(db, clock, "誤報", "fire", "北区", "北区", "ward")
    TriageService(db, clock).dismiss("post", dismissed, actor="op")
    pic = map_picture(db, window=MapWindow(hours=6, bound=3), now=clock.now(), registry=False)
    # Unhandled first (rescue, then the newest infra), the acknowledged rescue call is beyond the bound.
    assert [i.key for i in pic.items] == [f"post:{rescue}", f"post:{infra[2]}", f"post:{infra[1]}"]
    assert (pic.drawn, pic.beyond) == (3, 2)
    assert {c.name: c.n for c in pic.wards} == {"北区": 2}  # the dismissed post is neither drawn nor counted
    assert pic.items[0].relevance[:2] == (1, URGENCY["rescue"])
    assert pic.counts_json()["wards"][0]["n"] == 2


def test_items_of_many_keys_are_what_each_key_reads(db, clock):
    from disaster_desk.core.map_items import map_items_for

    old = add_post(db, clock, "港区で冠水", ["flood"], 34.66, 135.45)
    clock.advance(hours=7)
    fire = add_post(db, clock, "北区中崎町で火事", ["fire"], 34.707, 135.505)
    unplaced = add_post(db, clock, "場所のない投稿", ["rescue"])
    drill = add_post(db, clock, "訓練の投稿", ["fire"], 34.7, 135.5, scope=Scope.drill("r1"))
    triage = TriageService(db, clock)
    triage.acknowledge("post", fire, actor="op")
    triage.share("post", fire, ["消防局"], actor="op", expected_version=triage.verify("post", fire, actor="op"))
    rid = ReportService(db, clock).submit("damage", "北区", {"type": "gas", "severity": "critical"},
                                          author="kita").report_id
    keys = [f"post:{p}" for p in (old, fire, unplaced, drill, 999_999)] + [f"report:{rid}"]
    since = MapWindow().since(clock.now())
    for scope in (REAL_SCOPE, Scope.drill("r1")):
        for window_start in (None, since):
            many = map_items_for(db, keys, scope, since=window_start)
            assert many == {key: map_item_for(db, key, scope, since=window_start) for key in keys}
    real = map_items_for(db, keys, since=since)
    assert real[f"post:{old}"] is None and "→消防局" in real[f"post:{fire}"].fields[-1][1]
    assert real[f"report:{rid}"] is not None and real[f"post:{drill}"] is None
