"""A ward station's inbox: what HQ shared with it, newest first, with unread marks."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from disaster_desk.core.models import AuditEntry
from disaster_desk.core.modes import Scope
from disaster_desk.core.reports import ReportService
from disaster_desk.core.sharing import SharingService
from disaster_desk.core.triage import TriageService
from disaster_desk.errors import UserError, ValidationError
from tests.core.triage_items import add_post


def test_ward_sees_its_shares_with_unread_marks(db, clock):
    triage = TriageService(db, clock)
    fire = add_post(db, clock, "中崎町で火災", ["fire"], ward="北区")
    shelter = ReportService(db, clock).submit("shelter", "北区", {"name": "扇町小学校", "status": "full"},
                                              author="北区").report_id
    triage.acknowledge("post", fire, actor="op")
    triage.share("post", fire, ["北区", "消防局"], actor="op", note="現地確認を")
    clock.advance(60)
    triage.acknowledge("report", shelter, actor="op")
    triage.share("report", shelter, ["北区"], actor="op")
    sharing = SharingService(db, clock)
    inbox = sharing.inbox("北区")
    assert [(i.item_type, i.item_id) for i in inbox] == [("report", shelter), ("post", fire)]
    assert inbox[0].summary == "避難所 北区 扇町小学校 満員"
    assert inbox[1].summary == "中崎町で火災" and inbox[1].note == "現地確認を"
    assert all(i.unread for i in inbox) and sharing.unread_count("北区") == 2
    clock.advance(30)
    assert sharing.mark_read(inbox[1].share_event_id, "北区 田中") is True
    assert sharing.mark_read(inbox[1].share_event_id, "北区 佐藤") is False  # first reader's time kept
    assert sharing.unread_count("北区") == 1
    assert [i.item_id for i in sharing.inbox("北区", unread_only=True)] == [shelter]
    assert sharing.inbox("北区")[1].read_at == clock.now()
    assert [i.item_id for i in sharing.inbox("消防局")] == [fire]  # another target, still unread
    assert sharing.unread_count("消防局") == 1
    assert sharing.inbox("港区") == []
    with db.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "share.read"))
    assert entry.who == "北区 田中" and entry.after["target"] == "北区"


def test_inbox_is_per_mode_and_rejects_unknown_targets(db, clock):
    drill = Scope.drill("r9")
    post = add_post(db, clock, "訓練 火災", ["fire"], scope=drill)
    triage = TriageService(db, clock, drill)
    triage.acknowledge("post", post, actor="op")
    (event_id,) = triage.share("post", post, ["北区"], actor="op")
    assert SharingService(db, clock).inbox("北区") == []
    assert [i.item_id for i in SharingService(db, clock, drill).inbox("北区")] == [post]
    with pytest.raises(UserError, match="not found"):
        SharingService(db, clock).mark_read(event_id, "北区")
    with pytest.raises(ValidationError, match="unknown share target"):
        SharingService(db, clock).inbox("大阪府")


def test_ward_receives_a_share_in_full_and_hq_sees_the_receipt(db, clock):
    from disaster_desk.core.audit_chain import verify
    from disaster_desk.core.sharing import share_history

    triage = TriageService(db, clock)
    fire = add_post(db, clock, "中崎町2丁目で火災、煙が見える", ["fire", "rescue"], ward="北区", place="中崎町2丁目")
    triage.share("post", fire, ["北区", "都島区"], actor="本部 山田", note="現地確認を", acknowledge_new=True)
    sharing = SharingService(db, clock)
    [item] = sharing.inbox("北区")
    assert (item.summary, item.labels, item.ward, item.place, item.note, item.actor) == (
        "中崎町2丁目で火災、煙が見える", ("fire", "rescue"), "北区", "中崎町2丁目", "現地確認を", "本部 山田")
    assert item.shared_at == clock.now() and not item.received
    assert sharing.unreceived_count("北区") == 1 and sharing.unreceived_count("都島区") == 1
    clock.advance(90)
    receipt = sharing.receive(item.share_event_id, "北区役所 田中")
    assert receipt is not None and receipt.received_at == clock.now() and receipt.received_name == "北区役所 田中"
    if db.is_postgres:  # the database records the login (here the test's owner login), not the given name
        assert receipt.received_by != "北区役所 田中"
    else:
        assert receipt.received_by == "北区役所 田中"
    clock.advance(10)
    assert sharing.receive(item.share_event_id, "北区役所 佐藤") is None  # the first receipt stays
    [again] = sharing.inbox("北区")
    assert again.received and again.received_name == "北区役所 田中" and again.read_at is not None
    assert sharing.unreceived_count("北区") == 0 and sharing.unreceived_count("都島区") == 1
    history = {r.target: r for r in share_history(db, Scope(), "post", fire)}
    assert history["北区"].received_at == receipt.received_at and history["北区"].received_name == "北区役所 田中"
    assert history["都島区"].received_at is None
    with db.session() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "share.receive")).all()
        changes_of_share = s.scalars(select(AuditEntry).where(AuditEntry.item_type == "share")).all()
    assert len(entries) == 1 and entries[0].who == "北区役所 田中" and entries[0].after["target"] == "北区"
    assert len(changes_of_share) == 1  # one audit row per change, never a second one from the database
    with db.session() as s:
        assert verify(s).ok


def test_receiving_an_unknown_or_other_mode_share_is_refused(db, clock):
    drill = Scope.drill("r10")
    post = add_post(db, clock, "訓練 火災", ["fire"], scope=drill)
    (event_id,) = TriageService(db, clock, drill).share("post", post, ["北区"], actor="op", acknowledge_new=True)
    with pytest.raises(UserError, match="not found"):
        SharingService(db, clock).receive(event_id, "北区")  # a real station does not receive a drill share
    with pytest.raises(UserError, match="not found"):
        SharingService(db, clock, drill).receive(event_id + 100, "北区")
    assert SharingService(db, clock, drill).receive(event_id, "北区 訓練") is not None
