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
