"""core.progress: long imports and exports report (done, total) and stop safely when the callable raises."""

from __future__ import annotations

import json

import pytest

from disaster_desk.core import shelter_registry
from disaster_desk.core.exports.cap import export_cap
from disaster_desk.core.exports.csv_export import export_csv
from disaster_desk.core.exports.geojson import export_geojson
from disaster_desk.core.models import Shelter
from disaster_desk.core.modes import REAL_SCOPE
from disaster_desk.core.progress import counted
from disaster_desk.core.triage import TriageService
from tests.core.triage_items import add_post
from tests.data_files import HINANJO


class Stop(Exception):
    pass


def test_counted_reports_about_every_percent_and_the_end():
    calls = []
    assert list(counted(range(1000), lambda d, t: calls.append((d, t)))) == list(range(1000))
    assert calls[0] == (0, 1000) and calls[-1] == (1000, 1000) and len(calls) == 101
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    calls.clear()
    list(counted(iter("abc"), lambda d, t: calls.append((d, t)), total=10))  # an estimate too high
    assert calls[-1] == (3, 3)


def _shared_posts(db, clock, n):
    triage = TriageService(db, clock, REAL_SCOPE)
    for i in range(n):
        post = add_post(db, clock, f"北区で火災 {i}", ["fire"], ward="北区", external_id=f"p{i}")
        triage.acknowledge("post", post, actor="op")
        triage.share("post", post, ["消防局"], actor="op")


def test_exports_count_their_records_and_a_stop_writes_nothing(db, clock, tmp_path):
    _shared_posts(db, clock, 5)
    seen = []
    assert len(export_cap(db, REAL_SCOPE, tmp_path / "cap", progress=lambda d, t: seen.append((d, t)))) == 5
    assert seen[0] == (0, 5) and seen[-1] == (5, 5)

    def stop_at_3(done, total):
        if done == 3:
            raise Stop()

    before = sorted(p.name for p in (tmp_path / "cap").iterdir())
    with pytest.raises(Stop):
        export_cap(db, REAL_SCOPE, tmp_path / "cap2", progress=stop_at_3)
    assert not (tmp_path / "cap2").exists() or not any((tmp_path / "cap2").iterdir())
    assert sorted(p.name for p in (tmp_path / "cap").iterdir()) == before
    for export, name in ((export_geojson, "x.geojson"), (export_csv, "x.csv")):
        (tmp_path / name).write_text("previous", encoding="utf-8")
        with pytest.raises(Stop):
            export(db, REAL_SCOPE, tmp_path / name, progress=stop_at_3)
        assert (tmp_path / name).read_text(encoding="utf-8") == "previous"  # untouched
    seen.clear()
    assert export_geojson(db, REAL_SCOPE, tmp_path / "x.geojson", progress=lambda d, t: seen.append((d, t))) == 5
    assert seen[-1] == (5, 5) and len(json.loads((tmp_path / "x.geojson").read_text("utf-8"))["features"]) == 5


def test_a_stopped_registry_import_changes_nothing(db, tmp_path):
    with db.session() as s:
        s.query(Shelter).delete()
    seen = []

    def stop_late(done, total):
        seen.append((done, total))
        if done >= 500:
            raise Stop()

    with pytest.raises(Stop):
        shelter_registry.import_gsi_csv(db, HINANJO, progress=stop_late)
    with db.session() as s:
        assert s.query(Shelter).count() == 0  # one transaction after the last report
    assert seen[0][0] == 0 and seen[0][1] > 500
    seen.clear()
    result = shelter_registry.import_gsi_csv(db, HINANJO, progress=lambda d, t: seen.append((d, t)))
    assert result.inserted > 500 and seen[-1][0] == seen[-1][1] >= result.inserted


def test_a_stopped_sip4d_export_leaves_the_previous_zip(db, clock, tmp_path):
    from disaster_desk.core.exports.sip4d import export_sip4d

    path = tmp_path / "out" / "shelters.zip"
    export_sip4d(db, REAL_SCOPE, path, clock)
    before = path.read_bytes()

    def stop(done, total):
        raise Stop()

    clock.advance(3600)  # a new export would carry a new timestamp
    with pytest.raises(Stop):
        export_sip4d(db, REAL_SCOPE, path, clock, progress=stop)
    assert path.read_bytes() == before and [p.name for p in path.parent.iterdir()] == ["shelters.zip"]
