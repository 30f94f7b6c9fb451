"""Safe triage: a reason to dismiss a rescue, reopen, undo of one's own last action, sharing in one step."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from disaster_desk.core.models import AuditEntry, Post, ShareEvent
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.triage import TriageService
from disaster_desk.errors import ConflictError, ValidationError
from tests.core.triage_items import add_post


def _audit(db, post_id):
    with db.session() as s:
        return [(e.action, e.who, e.before["state"], e.after["state"], e.after.get("reason"))
                for e in s.scalars(select(AuditEntry).where(AuditEntry.item_id == str(post_id))
                                   .order_by(AuditEntry.id))]


def _state(db, post_id):
    with db.session() as s:
        return s.get(Post, post_id).state


@pytest.mark.parametrize("label", ["rescue", "casualty"])
def test_dismissing_a_rescue_or_casualty_needs_a_reason(db, clock, label):
    post_id = add_post(db, clock, "北区中崎町 家の下敷きになっている人がいる", [label])
    triage = TriageService(db, clock)
    assert triage.needs_reason("post", post_id)
    with pytest.raises(ValidationError, match="却下の理由を入力してください") as err:
        triage.dismiss("post", post_id, actor="op")
    assert err.value.field == "reason" and "家の下敷き" in err.value.message
    with pytest.raises(ValidationError):
        triage.dismiss("post", post_id, actor="op", reason="   ")
    triage.dismiss("post", post_id, actor="op", reason="重複（消防局が対応済）")
    assert _audit(db, post_id) == [("triage.dismiss", "op", "new", "dismissed", "重複（消防局が対応済）")]


def test_other_items_are_dismissed_without_a_reason(db, clock):
    post_id = add_post(db, clock, "電車が止まっている", ["transport"])
    assert not TriageService(db, clock).needs_reason("post", post_id)
    TriageService(db, clock).dismiss("post", post_id, actor="op")
    assert _state(db, post_id) == "dismissed"


def test_reopen_returns_to_the_state_before_the_dismissal(db, clock):
    post_id = add_post(db, clock, "救助を", ["rescue"])
    triage = TriageService(db, clock)
    triage.acknowledge("post", post_id, actor="op")
    triage.verify("post", post_id, actor="op")
    triage.dismiss("post", post_id, actor="op", reason="誤報と判断")
    triage.reopen("post", post_id, actor="op2", reason="別の通報で確認")
    assert _state(db, post_id) == "verified"
    assert _audit(db, post_id)[-1] == ("triage.reopen", "op2", "dismissed", "verified", "別の通報で確認")
    fresh = add_post(db, clock, "火事", ["fire"])
    triage.dismiss("post", fresh, actor="op")
    triage.reopen("post", fresh, actor="op")
    assert _state(db, fresh) == "acknowledged"  # a reopened item has been looked at
    with pytest.raises(ConflictError, match="確認済のため再開できません"):
        triage.reopen("post", fresh, actor="op")


def test_undo_reverts_ones_own_last_action_only(db, clock):
    a = add_post(db, clock, "救助 A", ["rescue"])
    b = add_post(db, clock, "火事 B", ["fire"])
    triage = TriageService(db, clock)
    triage.acknowledge("post", a, actor="op1")
    triage.dismiss("post", b, actor="op1")
    triage.acknowledge("post", add_post(db, clock, "別の人の", ["fire"]), actor="op2")  # not op1's
    undone = triage.undo_last(actor="op1")
    assert (undone.item_id, undone.action, undone.state) == (b, "dismiss", "new")
    assert _state(db, b) == "new"
    assert _audit(db, b)[-1][:4] == ("triage.undo", "op1", "dismissed", "new")
    # the next undo goes one further back
    assert triage.undo_last(actor="op1").item_id == a and _state(db, a) == "new"
    with pytest.raises(ConflictError, match="取り消せる操作がありません"):
        triage.undo_last(actor="op1")


def test_undo_is_refused_after_someone_else_changed_the_item(db, clock):
    post_id = add_post(db, clock, "救助", ["rescue"])
    triage = TriageService(db, clock)
    triage.acknowledge("post", post_id, actor="op1")
    triage.verify("post", post_id, actor="op2")
    with pytest.raises(ConflictError, match="その後に変更された"):
        triage.undo_last(actor="op1")
    assert _state(db, post_id) == "verified"


def test_a_share_is_not_undone(db, clock):
    post_id = add_post(db, clock, "救助", ["rescue"])
    triage = TriageService(db, clock)
    triage.share("post", post_id, ["消防局"], actor="op", acknowledge_new=True)
    with pytest.raises(ConflictError, match="共有は取り消せません"):
        triage.undo_last(actor="op")
    assert _state(db, post_id) == "shared"


def test_share_of_a_new_item_acknowledges_on_the_way_as_two_audited_transitions(db, clock):
    post_id = add_post(db, clock, "北区で救助要請", ["rescue"])
    triage = TriageService(db, clock)
    triage.check("share", "post", post_id, expected_version=1)  # validated before the dialog opens
    ids = triage.share("post", post_id, ["消防局", "北区"], actor="op", note="至急", expected_version=1,
                       acknowledge_new=True)
    assert len(ids) == 2
    assert [a[:4] for a in _audit(db, post_id)] == [("triage.acknowledge", "op", "new", "acknowledged"),
                                                    ("triage.share", "op", "acknowledged", "shared")]
    with db.session() as s:
        assert sorted(s.scalars(select(ShareEvent.target))) == ["北区", "消防局"]


def test_a_refused_share_changes_nothing_and_says_why_in_japanese(db, clock):
    post_id = add_post(db, clock, "北区で救助要請", ["rescue"])
    triage = TriageService(db, clock)
    triage.dismiss("post", post_id, actor="op", reason="重複")
    with pytest.raises(ConflictError, match="却下のため共有できません"):
        triage.check("share", "post", post_id)
    with pytest.raises(ConflictError, match="他の端末で変更されていました"):
        triage.check("share", "post", post_id, expected_version=1)
    with pytest.raises(ValidationError, match="共有先を1つ以上"):
        triage.share("post", post_id, [], actor="op", acknowledge_new=True)


def test_undo_and_reopen_stay_in_their_drill_run(db, clock):
    drill = Scope.drill("run-u")
    post_id = add_post(db, clock, "訓練 救助", ["rescue"], scope=drill)
    TriageService(db, clock, drill).dismiss("post", post_id, actor="op", reason="訓練")
    with pytest.raises(ConflictError, match="取り消せる操作がありません"):
        TriageService(db, clock).undo_last(actor="op")
    assert TriageService(db, clock, drill).undo_last(actor="op").state == "new"


def test_queue_rows_and_history_say_where_an_item_went(db, clock):
    from disaster_desk.core.queue import QueueFilter, QueueService
    from disaster_desk.core.sharing import SharingService, share_history

    post_id = add_post(db, clock, "北区で救助要請", ["rescue"])
    triage = TriageService(db, clock)
    triage.share("post", post_id, ["消防局"], actor="op1", note="至急", acknowledge_new=True)
    clock.advance(60)
    triage.share("post", post_id, ["北区", "消防局"], actor="op2")
    [row] = QueueService(db).page(QueueFilter(), 0, 10)
    assert row.shared_to == ("消防局", "北区")
    inbox = SharingService(db, clock).inbox("北区")
    SharingService(db, clock).mark_read(inbox[0].share_event_id, "kita")
    history = share_history(db, REAL_SCOPE, "post", post_id)
    assert [(h.target, h.actor, h.note, h.read_at is not None) for h in history] == [
        ("消防局", "op1", "至急", False), ("北区", "op2", None, True)]
    assert (history[1].shared_at - history[0].shared_at).total_seconds() == 60
