"""The change contract: services emit typed changes in their transaction; subscribers hear them on both engines."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import textwrap
from datetime import datetime, timezone

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from disaster_desk.core import changes
from disaster_desk.core.changes import Assembler, Change, ChangeFeed, ChangeSubscriber, payloads
from disaster_desk.core.db import Database
from disaster_desk.core.ingest import IngestService, RawPost
from disaster_desk.core.items import ItemKey
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.reports import ReportService
from disaster_desk.core.triage import TriageService
from disaster_desk.errors import ConflictError

AT = datetime(2026, 12, 4, 3, 0, tzinfo=timezone.utc)
SHELTER = {"name": "扇町小学校", "status": "open", "evacuees": 120}


def raw(n: int, text: str = "北区で火災") -> RawPost:
    return RawPost(source="replay", external_id=f"e{n}", text=text, created_at=AT)


@settings(max_examples=30, deadline=None)
@example(list(range(10**12, 10**12 + 3000)), "r-" + "x" * 60)
@example([1], "")
@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=3000),
       st.sampled_from(["", "r-" + "x" * 60]))
def test_payloads_stay_under_the_limit_and_assemble_back(ids, run_id):
    scope = Scope.drill(run_id) if run_id else REAL_SCOPE
    change = Change(changes.STORED, tuple(map(ItemKey.post, ids)), scope, AT, 41)
    parts = payloads(change)
    assert all(len(p.encode()) < changes.PAYLOAD_LIMIT for p in parts)
    assembler = Assembler()
    got = [assembler.add(json.loads(p)) for p in parts]
    assert got[:-1] == [None] * (len(parts) - 1)
    assert got[-1] == change


def test_a_contract_breaking_payload_is_ignored(caplog):
    assert Assembler().add({"id": 1, "part": 0, "of": 1, "kind": "stored", "mode": "real", "run_id": "",
                            "at": AT.isoformat(), "keys": ["shelter:3"]}) is None
    assert "does not follow the contract" in caplog.text


def test_visible_in_keeps_drill_out_of_real_views():
    real = Change(changes.STORED, (ItemKey.post(1),), REAL_SCOPE, AT)
    drill = Change(changes.STORED, (ItemKey.post(2),), Scope.drill("r1"), AT)
    assert real.visible_in(REAL_SCOPE) and not drill.visible_in(REAL_SCOPE)
    assert drill.visible_in(Scope.drill("r1")) and not drill.visible_in(Scope.drill("r2"))
    assert drill.visible_in(Scope.drill("")) and not real.visible_in(Scope.drill(""))
    with pytest.raises(ValueError, match="unknown change kind"):
        Change("reloaded", (), REAL_SCOPE, AT)


def test_services_emit_in_their_transaction_and_a_feed_reads_by_id(db, clock):
    feed = ChangeFeed(db)
    ids = IngestService(db, clock).ingest([raw(1), raw(2)]).new_ids
    report = ReportService(db, clock).submit("shelter", "北区", SHELTER, author="kita").report_id
    TriageService(db, clock).acknowledge("post", ids[0], actor="op")
    got = feed.read()
    assert [(c.kind, c.keys) for c in got] == [
        (changes.STORED, (ItemKey.post(ids[0]), ItemKey.post(ids[1]))),
        (changes.STORED, (ItemKey.report(report),)),
        (changes.TRIAGED, (ItemKey.post(ids[0]),)),
    ]
    assert all(c.scope == REAL_SCOPE and c.id > 0 for c in got)
    assert feed.read() == []
    # a rolled-back service call tells nobody
    with pytest.raises(ConflictError):
        TriageService(db, clock).acknowledge("post", ids[0], actor="op")  # already acknowledged
    assert feed.read() == []


def test_a_feed_that_fell_behind_catches_up_by_id(db, clock):
    start = changes.latest_id(db)
    ingest = IngestService(db, clock, Scope.drill("r1"))
    for n in range(7):
        ingest.ingest([raw(n)])
    feed = ChangeFeed(db, after=start)
    assert len(feed.read(limit=3)) == 3
    rest = feed.catch_up(batch=2)
    assert len(rest) == 4 and all(c.scope == Scope.drill("r1") for c in rest)
    assert feed.catch_up() == []


def test_a_subscriber_hears_a_post_stored_by_another_process(db, db_url, clock):
    heard: queue.Queue = queue.Queue()
    sub = ChangeSubscriber(db, heard.put, poll_s=0.05).start()
    try:
        assert sub.listening.wait(10)
        script = textwrap.dedent(f"""
            from datetime import datetime, timezone
            from disaster_desk.core.clock import ManualClock
            from disaster_desk.core.db import Database
            from disaster_desk.core.ingest import IngestService, RawPost
            db = Database.open({db_url!r})
            posts = [RawPost(source="replay", external_id=f"x{{n}}", text="火災",
                             created_at=datetime(2026, 12, 4, tzinfo=timezone.utc)) for n in range(800)]
            print(IngestService(db, ManualClock()).ingest(posts).new_ids[-1])
        """)
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
        last = int(out.stdout.strip())
        batch = heard.get(timeout=10)
    finally:
        sub.stop()
    (change,) = batch
    assert change.kind == changes.STORED and len(change.keys) == 800 and change.keys[-1] == ItemKey.post(last)


@pytest.mark.postgres
def test_postgres_subscriber_catches_up_after_it_was_away(pg_url, clock):
    db = Database.open(pg_url)
    try:
        before = changes.latest_id(db)
        ReportService(db, clock).submit("shelter", "北区", SHELTER, author="kita")  # while nobody listens
        heard: queue.Queue = queue.Queue()
        sub = ChangeSubscriber(db, heard.put, after=before).start()
        try:
            first = heard.get(timeout=10)
            ids = IngestService(db, clock).ingest([raw(n) for n in range(1500)]).new_ids  # several NOTIFY chunks
            second = heard.get(timeout=10)
        finally:
            sub.stop()
    finally:
        db.dispose()
    assert first[0].keys[0].type == "report"
    assert second[0].keys == tuple(map(ItemKey.post, ids))
