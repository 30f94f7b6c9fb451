"""Correcting an item's place: validated, versioned, audited, kept by re-analysis, read by queue, map and exports."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from disaster_desk.core.map_items import WARD_CENTROIDS, map_item_for
from disaster_desk.core.models import Analysis, AuditEntry
from disaster_desk.core.places import Place, PlaceService, validate_place
from disaster_desk.core.queue import QueueFilter, QueueService
from disaster_desk.core.reports import ReportService
from disaster_desk.core.triage import TriageService
from disaster_desk.errors import ConflictError, ValidationError
from tests.core.triage_items import add_post


def test_a_corrected_post_place_moves_in_queue_map_and_audit(db, clock):
    post_id = add_post(db, clock, "中崎町で救助要請", ["rescue"], ward="北区", place="中崎町", lat=34.707, lon=135.505)
    version = PlaceService(db, clock).correct(
        "post", post_id, Place("天満橋駅前", "中央区", 34.6897, 135.5165), actor="op", expected_version=1)
    assert version == 2
    rows = QueueService(db).page(QueueFilter(wards=frozenset({"中央区"})), 0, 10)
    assert [(r.item_id, r.place, r.lat) for r in rows] == [(post_id, "天満橋駅前", 34.6897)]
    item = map_item_for(db, f"post:{post_id}")
    assert (item.lat, item.lon) == (34.6897, 135.5165)
    assert dict(item.fields)["場所"] == "天満橋駅前（本部で訂正）"
    with db.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "place.correct"))
    assert entry.before["place"] == "中崎町" and entry.after["ward"] == "中央区" and entry.who == "op"


def test_a_stale_correction_is_refused(db, clock):
    post_id = add_post(db, clock, "救助", ["rescue"], ward="北区")
    TriageService(db, clock).acknowledge("post", post_id, actor="other")
    with pytest.raises(ConflictError, match="他の端末で変更"):
        PlaceService(db, clock).correct("post", post_id, Place("梅田", "北区"), actor="op", expected_version=1)


@pytest.mark.parametrize(("place", "field", "words"), [
    (Place(lat=35.68, lon=139.76), "lat", "範囲外"),
    (Place(lat=34.7), "lon", "両方"),
    (Place(ward="品川区"), "ward", "区ではありません"),
    (Place(), "place", "いずれか"),
    (Place("x" * 201), "place", "200文字"),
])
def test_bad_places_are_refused_naming_the_field(place, field, words):
    with pytest.raises(ValidationError, match=words) as err:
        validate_place(place)
    assert err.value.field == field


def test_a_ward_without_coordinates_pins_the_wards_centre(sqlite_db, clock):
    post_id = add_post(sqlite_db, clock, "火事", ["fire"])
    PlaceService(sqlite_db, clock).correct("post", post_id, Place("区役所付近", "西区"), actor="op")
    item = map_item_for(sqlite_db, f"post:{post_id}")
    assert (item.lat, item.lon) == WARD_CENTROIDS["西区"]


def test_reanalysis_keeps_a_persons_correction(sqlite_db, clock):
    from disaster_desk.core.analysis import AnalysisService, PostAnalysis

    post_id = add_post(sqlite_db, clock, "北区中崎町で火事", ["fire"], ward="北区", place="中崎町")
    PlaceService(sqlite_db, clock).correct("post", post_id, Place("中崎西", "北区", 34.708, 135.500), actor="op")

    class Analyser:  # a newer analyser version that places the post elsewhere
        version = "v-test"

        def analyse(self, texts):
            return [PostAnalysis(labels=["fire"], place="中崎町", ward="北区", lat=34.70, lon=135.51,
                                 precision="town") for _ in texts]

    assert AnalysisService(sqlite_db, Analyser(), clock).reanalyse() == 1
    with sqlite_db.session() as s:
        analysis = s.scalar(select(Analysis).where(Analysis.post_id == post_id))
        assert (analysis.place, analysis.lat, analysis.precision) == ("中崎西", 34.708, "operator")
        assert analysis.analyser_version == "v-test"


def test_damage_report_place_correction_and_undo(db, clock):
    reports = ReportService(db, clock)
    rid = reports.submit("damage", "淀川区", {"type": "road", "severity": "major", "place": "十三大橋"},
                         author="yodo").report_id
    PlaceService(db, clock).correct("report", rid, Place("新十三大橋", None, 34.720, 135.480), actor="op")
    item = map_item_for(db, f"report:{rid}")
    assert (item.lat, dict(item.fields)["場所"]) == (34.720, "新十三大橋")
    undone = TriageService(db, clock).undo_last(actor="op")
    assert undone.action == "correct_place"
    item = map_item_for(db, f"report:{rid}")
    assert dict(item.fields)["場所"].startswith("十三大橋") and item.lat == WARD_CENTROIDS["淀川区"][0]


def test_only_posts_and_damage_reports_have_a_place_to_correct(sqlite_db, clock):
    rid = ReportService(sqlite_db, clock).submit("muster", "北区", {"office": "北区役所", "arrived": 1, "expected": 2},
                                                 author="k").report_id
    with pytest.raises(ValidationError, match="投稿と被害報告"):
        PlaceService(sqlite_db, clock).correct("report", rid, Place("北区役所", "北区"), actor="op")
