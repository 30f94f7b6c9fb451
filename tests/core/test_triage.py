"""Triage transitions, optimistic locking, shares and their time-to-share."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from disaster_desk.core.models import AuditEntry, Post, ShareEvent
from disaster_desk.core.modes import Scope
from disaster_desk.core.reports import ReportService
from disaster_desk.core.triage import TriageService, allowed_actions
from disaster_desk.errors import ConflictError, UserError, ValidationError
from tests.core.triage_items import add_post


def test_full_flow_records_every_transition_in_the_audit_log(db, clock):
    post_id = add_post(db, clock, "中崎町で救助要請", ["rescue"], ward="北区")
    triage = TriageService(db, clock)
    v2 = triage.acknowledge("post", post_id, actor="op1", expected_version=1)
    clock.advance(30)
    v3 = triage.verify("post", post_id, actor="op1", expected_version=v2)
    clock.advance(30)
    triage.share("post", post_id, ["北区", "消防局"], actor="op1", expected_version=v3)
    triage.close("post", post_id, actor="op2")
    with db.session() as s:
        post = s.get(Post, post_id)
        assert post.state == "closed"
        entries = s.scalars(select(AuditEntry).where(AuditEntry.item_id == str(post_id))
                            .order_by(AuditEntry.id)).all()
    actions = [(e.action, e.who, e.before["state"], e.after["state"]) for e in entries]
    assert actions == [
        ("triage.acknowledge", "op1", "new", "acknowledged"),
        ("triage.verify", "op1", "acknowledged", "verified"),
        ("triage.share", "op1", "verified", "shared"),
        ("triage.close", "op2", "shared", "closed"),
    ]
    assert entries[2].after["targets"] == ["北区", "消防局"]
    assert entries[1].at - entries[0].at == timedelta(seconds=30)


def test_time_to_share_from_receipt_and_from_post_time(db, clock):
    posted = clock.now() - timedelta(minutes=5)
    post_id = add_post(db, clock, "淀川区十三で火災", ["fire"], created_at=posted)
    triage = TriageService(db, clock)
    triage.acknowledge("post", post_id, actor="op")
    clock.advance(90)
    ids = triage.share("post", post_id, ["消防局"], actor="op", note="至急")
    with db.session() as s:
        event = s.get(ShareEvent, ids[0])
    assert event.time_to_share_s == 90
    assert event.time_to_share_from_post_s == 390
    assert event.note == "至急" and event.read_at is None


def test_report_share_measures_from_received_at(db, clock):
    report_id = ReportService(db, clock).submit(
        "damage", "港区", {"type": "road", "severity": "major"}, author="港区",
        created_at=clock.now() - timedelta(seconds=20)).report_id
    clock.advance(40)
    triage = TriageService(db, clock)
    triage.acknowledge("report", report_id, actor="op")
    (event_id,) = triage.share("report", report_id, ["建設局"], actor="op")
    with db.session() as s:
        event = s.get(ShareEvent, event_id)
    assert (event.time_to_share_s, event.time_to_share_from_post_s) == (40, 60)


def test_second_operator_with_stale_version_gets_a_conflict(db, clock):
    post_id = add_post(db, clock, "浸水しています", ["flood"])
    op1, op2 = TriageService(db, clock), TriageService(db, clock)
    op1.acknowledge("post", post_id, actor="op1", expected_version=1)
    with pytest.raises(ConflictError, match="他の端末で変更されていました"):
        op2.dismiss("post", post_id, actor="op2", expected_version=1)
    with db.session() as s:
        assert s.get(Post, post_id).state == "acknowledged"
        assert s.scalar(select(AuditEntry.who).where(AuditEntry.action.like("triage.%"))) == "op1"


def test_racing_sessions_cannot_both_write_on_postgres(pg_db, clock):
    """Two sessions read version 1; the later commit loses instead of overwriting."""
    post_id = add_post(pg_db, clock, "救助を", ["rescue"])
    with pg_db.sessions() as first, pg_db.sessions() as second:
        a = first.get(Post, post_id)
        b = second.get(Post, post_id)
        assert a.version == b.version == 1
        a.state = "acknowledged"
        first.commit()
        b.state = "dismissed"
        from sqlalchemy.orm.exc import StaleDataError

        with pytest.raises(StaleDataError):
            second.commit()
    with pg_db.session() as s:
        assert s.get(Post, post_id).state == "acknowledged"


def test_service_turns_a_lost_race_into_conflict_on_postgres(pg_db, clock, monkeypatch):
    """The row changes between the service's read and its write: ConflictError, no overwrite."""
    post_id = add_post(pg_db, clock, "救助を", ["rescue"])
    triage = TriageService(pg_db, clock)
    original = TriageService._load

    def load_then_someone_else_writes(self, session, *args):
        row = original(self, session, *args)
        with pg_db.engine.begin() as conn:  # another station, another connection
            conn.execute(Post.__table__.update().where(Post.__table__.c.id == post_id)
                         .values(state="dismissed", version=Post.__table__.c.version + 1))
        return row

    monkeypatch.setattr(TriageService, "_load", load_then_someone_else_writes)
    with pytest.raises(ConflictError):
        triage.acknowledge("post", post_id, actor="op1")
    with pg_db.session() as s:
        assert s.get(Post, post_id).state == "dismissed"


@pytest.mark.parametrize("action", ["verify", "close"])
def test_transitions_not_allowed_from_new(db, clock, action):
    post_id = add_post(db, clock, "テスト", ["fire"])
    with pytest.raises(ConflictError, match=f"新規のため{ {'verify': '検証', 'close': '完了'}[action] }できません"):
        getattr(TriageService(db, clock), action)("post", post_id, actor="op")


def test_share_needs_acknowledgement_and_valid_targets(db, clock):
    post_id = add_post(db, clock, "テスト", ["fire"])
    triage = TriageService(db, clock)
    with pytest.raises(ConflictError, match="投稿「テスト」は新規のため共有できません"):
        triage.share("post", post_id, ["北区"], actor="op")
    triage.acknowledge("post", post_id, actor="op")
    with pytest.raises(ValidationError, match="共有先が不明です: 火星区"):
        triage.share("post", post_id, ["火星区"], actor="op")
    with pytest.raises(ValidationError, match="targets"):
        triage.share("post", post_id, [], actor="op")
    assert len(triage.share("post", post_id, ["北区", "北区", "水道局"], actor="op")) == 2
    # sharing again adds only the new targets
    assert len(triage.share("post", post_id, ["北区", "建設局"], actor="op")) == 1


def test_allowed_actions_document_the_shortcuts():
    assert allowed_actions("new") == ["acknowledge", "share", "dismiss"]  # share acknowledges on the way
    assert allowed_actions("acknowledged") == ["verify", "dismiss", "share"]
    assert allowed_actions("shared") == ["share", "close"]
    assert allowed_actions("dismissed") == ["close", "reopen"]


def test_real_service_cannot_touch_drill_items(db, clock):
    drill = Scope.drill("run-1")
    post_id = add_post(db, clock, "訓練 救助", ["rescue"], scope=drill)
    with pytest.raises(UserError, match="見つかりません"):
        TriageService(db, clock).acknowledge("post", post_id, actor="op")
    TriageService(db, clock, drill).acknowledge("post", post_id, actor="op")
    with db.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "triage.acknowledge"))
    assert (entry.mode, entry.run_id) == ("drill", "run-1")
