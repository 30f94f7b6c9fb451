"""Triage states and sharing of posts, reports and incidents.

States and the transitions an operator may make::

    new ──acknowledge──▶ acknowledged ──verify──▶ verified ──share──▶ shared ──close──▶ closed
     │                       │  │                    │                 ▲ (share again: more targets)
     └──────dismiss──────────┴──┼────dismiss─────────┘                 │
                                └──────────share (shortcut)────────────┘
    dismissed ──close──▶ closed
    dismissed, closed ──reopen──▶ the state before (acknowledged if unknown)

Allowed shortcut: an *acknowledged* item may be shared before it is verified
(a rescue call cannot wait for a second source); the audit entry records the
state it was shared from, so the after-action report can see it. A *new* item
cannot be shared or verified without being acknowledged first.

Dismissing a rescue or casualty item needs a reason (it is in the audit
entry). A share of a *new* item may acknowledge it on the way
(``acknowledge_new=True``): two transitions, two audit entries, one
transaction. :meth:`TriageService.undo_last` reverts an operator's own last
transition (not a share: a share has reached its target and is answered by a
correction, not erased); the undo is itself an audit entry.

Messages are Japanese (an operator reads them) and name the item by its text.

Every change bumps the row's ``version`` (SQLAlchemy ``version_id_col``): a
caller passing the version it displayed gets :class:`ConflictError` when
someone else changed the item meanwhile, and two writers racing on the same
row cannot both win (the UPDATE is ``... WHERE version = :read_version``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from disaster_desk.core import audit, changes
from disaster_desk.core.area import SHARE_TARGETS
from disaster_desk.core.clock import Clock
from disaster_desk.core.db import Database
from disaster_desk.core.items import ItemKey
from disaster_desk.core.models import Analysis, AuditEntry, Incident, Post, Report, ShareEvent
from disaster_desk.core.modes import REAL_SCOPE, Scope, mode_filter
from disaster_desk.core.text import clean_optional
from disaster_desk.core.vocabulary import ITEM_TYPE, TRIAGE_ACTION, TRIAGE_STATE
from disaster_desk.errors import ConflictError, UserError, ValidationError

log = logging.getLogger(__name__)

STATES = TRIAGE_STATE.ids
ITEM_MODELS: dict[str, Any] = {"post": Post, "report": Report, "incident": Incident}
#: Items with these labels are not dismissed without a reason.
REASON_REQUIRED_LABELS = frozenset({"rescue", "casualty"})

#: action -> (states it may start from, state it leads to; reopen goes back to the state before)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "acknowledge": (frozenset({"new"}), "acknowledged"),
    "verify": (frozenset({"acknowledged"}), "verified"),
    "dismiss": (frozenset({"new", "acknowledged", "verified"}), "dismissed"),
    "share": (frozenset({"acknowledged", "verified", "shared"}), "shared"),
    "close": (frozenset({"verified", "dismissed", "shared"}), "closed"),
    "reopen": (frozenset({"dismissed", "closed"}), "acknowledged"),
}
#: Audit actions :meth:`TriageService.undo_last` can revert (a share cannot be taken back).
UNDOABLE = ("triage.acknowledge", "triage.verify", "triage.dismiss", "triage.close", "triage.reopen")


def allowed_actions(state: str) -> list[str]:
    """The actions an operator may take on an item in ``state`` (for menus and keys).

    A new item may be shared: the share acknowledges it on the way.
    """
    actions = [action for action, (sources, _) in TRANSITIONS.items() if state in sources]
    if state == "new" and "share" not in actions:
        actions.insert(actions.index("dismiss"), "share")
    return actions


def scope_of(row: Any) -> Scope:
    return Scope(row.mode, row.run_id)


@dataclass(frozen=True)
class Undone:
    """What :meth:`TriageService.undo_last` reverted."""

    item_type: str
    item_id: int
    action: str  # the action undone (``dismiss``)
    state: str  # the state the item is back in
    version: int
    text: str = ""  # the item's text, shortened (for the message that says what was undone)


class TriageService:
    """State changes and shares made by operators, each with an audit entry."""

    def __init__(self, db: Database, clock: Clock, scope: Scope = REAL_SCOPE) -> None:
        self.db = db
        self.clock = clock
        self.scope = scope

    def acknowledge(self, item_type: str, item_id: int, *, actor: str, expected_version: int | None = None) -> int:
        return self._transition("acknowledge", item_type, item_id, actor, expected_version)

    def verify(self, item_type: str, item_id: int, *, actor: str, expected_version: int | None = None) -> int:
        return self._transition("verify", item_type, item_id, actor, expected_version)

    def dismiss(self, item_type: str, item_id: int, *, actor: str, expected_version: int | None = None,
                reason: str | None = None) -> int:
        """Dismiss; a rescue or casualty item needs ``reason`` (a ValidationError otherwise)."""
        return self._transition("dismiss", item_type, item_id, actor, expected_version, reason=_reason(reason))

    def close(self, item_type: str, item_id: int, *, actor: str, expected_version: int | None = None) -> int:
        return self._transition("close", item_type, item_id, actor, expected_version)

    def reopen(self, item_type: str, item_id: int, *, actor: str, expected_version: int | None = None,
               reason: str | None = None) -> int:
        """Bring a dismissed or closed item back to the state it had before."""
        return self._transition("reopen", item_type, item_id, actor, expected_version, reason=_reason(reason))

    def needs_reason(self, item_type: str, item_id: int) -> bool:
        """True when dismissing the item needs a reason (it is a rescue or casualty item)."""
        with self.db.session() as session:
            return bool(REASON_REQUIRED_LABELS & set(_labels(session, item_type, item_id)))

    def check(self, action: str, item_type: str, item_id: int, *, expected_version: int | None = None) -> None:
        """Raise what ``action`` would raise now, without changing anything (before a dialog opens)."""
        with self.db.session() as session:
            if action == "share" and self._is_new(session, item_type, item_id):
                action = "acknowledge"  # a share acknowledges a new item on the way
            self._load(session, item_type, item_id, action, expected_version)

    def share(
        self,
        item_type: str,
        item_id: int,
        targets: Sequence[str],
        *,
        actor: str,
        note: str | None = None,
        expected_version: int | None = None,
        acknowledge_new: bool = False,
    ) -> list[int]:
        """Share an item with ward offices / departments; one ShareEvent per new target.

        Targets it was already shared with are skipped (sharing twice is not
        two shares in the KPI). Returns the ids of the new ShareEvents. With
        ``acknowledge_new`` a new item is acknowledged first, in the same
        transaction (two audit entries: ``triage.acknowledge``, ``triage.share``).
        """
        wanted = list(dict.fromkeys(t.strip() for t in targets if t and t.strip()))
        if not wanted:
            raise ValidationError("共有先を1つ以上選んでください", field="targets")
        unknown = [t for t in wanted if t not in SHARE_TARGETS]
        if unknown:
            raise ValidationError(f"共有先が不明です: {', '.join(unknown)}", field="targets")
        note = clean_optional(note)
        now = self.clock.now()
        with self._writing() as session:
            if acknowledge_new and self._is_new(session, item_type, item_id):
                row = self._load(session, item_type, item_id, "acknowledge", expected_version)
                self._apply(session, row, "acknowledge", item_type, item_id, actor, now)
                expected_version = row.version
            row = self._load(session, item_type, item_id, "share", expected_version)
            scope = scope_of(row)
            done = set(session.scalars(
                select(ShareEvent.target).where(ShareEvent.item_type == item_type, ShareEvent.item_id == item_id,
                                                mode_filter(ShareEvent, scope))
            ))
            new_targets = [t for t in wanted if t not in done]
            received, own_time = received_times(session, item_type, row)
            before = {"state": row.state, "version": row.version}
            events = [
                ShareEvent(
                    item_type=item_type, item_id=item_id, target=target, actor=actor, shared_at=now, note=note,
                    time_to_share_s=_seconds(received, now), time_to_share_from_post_s=_seconds(own_time, now),
                    **scope.columns(),
                )
                for target in new_targets
            ]
            session.add_all(events)
            row.state = "shared"
            session.flush()
            audit.record(
                session, at=now, actor=actor, action="triage.share", item_type=item_type, item_id=item_id,
                scope=scope, before=before,
                after={"state": row.state, "version": row.version, "targets": new_targets, "note": note},
            )
            changes.emit(session, changes.SHARED, [ItemKey(item_type, item_id)], scope, now)
            return [e.id for e in events]

    def undo_last(self, *, actor: str) -> Undone:
        """Revert ``actor``'s own last transition in this scope (an audit entry ``triage.undo``).

        Refused (ConflictError) when the last action was a share, when someone
        changed the item since, or when there is nothing to undo.
        """
        now = self.clock.now()
        with self._writing() as session:
            undone = {
                (entry.after or {}).get("undoes")
                for entry in session.scalars(select(AuditEntry).where(
                    AuditEntry.action == "triage.undo", mode_filter(AuditEntry, self.scope)))
            }
            candidates = session.scalars(
                select(AuditEntry).where(
                    AuditEntry.who == actor, *audit.own_login(session), mode_filter(AuditEntry, self.scope),
                    AuditEntry.action.in_([*UNDOABLE, "triage.share", "place.correct"]),
                ).order_by(AuditEntry.id.desc()).limit(200)
            )
            entry = next((e for e in candidates if e.id not in undone), None)
            if entry is None:
                raise ConflictError("取り消せる操作がありません")
            item_type, item_id = entry.item_type, int(entry.item_id)
            action = "correct_place" if entry.action == "place.correct" else entry.action.split(".", 1)[1]
            if entry.action == "place.correct":
                from disaster_desk.core.places import revert_correction

                version, state = revert_correction(session, entry)
                changes.emit(session, changes.EDITED, [ItemKey(item_type, item_id)], Scope(entry.mode, entry.run_id),
                             now)
            else:
                if entry.action == "triage.share":
                    raise ConflictError(
                        "共有は取り消せません（共有先には届いています）。訂正は共有先へ連絡してください"
                    )
                row = self._load(session, item_type, item_id, None, None)
                if row.version != (entry.after or {}).get("version"):
                    raise ConflictError(
                        f"{describe(session, item_type, row)}はその後に変更されたため、"
                        f"{TRIAGE_ACTION.ja(action)}を取り消せません"
                    )
                before = {"state": row.state, "version": row.version}
                row.state = (entry.before or {}).get("state", row.state)
                session.flush()
                version, state = row.version, row.state
                audit.record(session, at=now, actor=actor, action="triage.undo", item_type=item_type,
                             item_id=item_id, scope=scope_of(row), before=before,
                             after={"state": state, "version": version, "undoes": entry.id, "action": action})
                changes.emit(session, changes.TRIAGED, [ItemKey(item_type, item_id)], scope_of(row), now)
            log.info("undo %s %s:%s by %s -> %s", action, item_type, item_id, actor, state)
            from disaster_desk.core.sharing import summarise

            text = " ".join(summarise(session, item_type, item_id).split())
            return Undone(item_type, item_id, action, state, version, text[:29] + "…" if len(text) > 30 else text)

    # -- internals -------------------------------------------------------

    def _transition(self, action: str, item_type: str, item_id: int, actor: str, expected: int | None,
                    *, reason: str | None = None) -> int:
        now = self.clock.now()
        with self._writing() as session:
            row = self._load(session, item_type, item_id, action, expected)
            if action == "dismiss" and not reason and REASON_REQUIRED_LABELS & set(
                    _labels(session, item_type, item_id)):
                raise ValidationError(
                    f"{describe(session, item_type, row)}は救助・負傷の情報です。却下の理由を入力してください",
                    field="reason")
            self._apply(session, row, action, item_type, item_id, actor, now, reason=reason)
            return row.version

    def _apply(self, session: Session, row: Any, action: str, item_type: str, item_id: int, actor: str,
               now: datetime, *, reason: str | None = None) -> None:
        before = {"state": row.state, "version": row.version}
        if action == "reopen":
            row.state = _state_before(session, self.scope, item_type, item_id, row.state)
        else:
            row.state = TRANSITIONS[action][1]
        session.flush()
        after: dict[str, Any] = {"state": row.state, "version": row.version}
        if reason:
            after["reason"] = reason
        audit.record(session, at=now, actor=actor, action=f"triage.{action}", item_type=item_type,
                     item_id=item_id, scope=scope_of(row), before=before, after=after)
        changes.emit(session, changes.TRIAGED, [ItemKey(item_type, item_id)], scope_of(row), now)
        log.info("%s %s:%s by %s -> %s", action, item_type, item_id, actor, row.state)

    def _writing(self) -> AbstractContextManager[Session]:
        """A session whose lost optimistic-lock race surfaces as ConflictError."""
        return _conflict_on_stale(self.db)

    def _is_new(self, session: Session, item_type: str, item_id: int) -> bool:
        model = ITEM_MODELS.get(item_type)
        if model is None:
            return False
        row = session.execute(select(model.state, model.mode, model.run_id).where(model.id == item_id)).first()
        return row is not None and self._in_scope(row) and row.state == "new"

    def _in_scope(self, row: Any) -> bool:
        """Whether ``row`` (mode, run_id) is of this service's scope, as ``mode_filter`` says in SQL.

        Items are looked up by primary key alone and their scope checked here: with the
        scope in the WHERE clause the planner picked the (mode, run_id, …) index and
        scanned the whole scope on a freshly loaded table (stale statistics: 78 ms per
        acknowledge with 100,000 posts, bench stations), never the primary key.
        """
        if self.scope.is_any_drill:
            return row.mode == self.scope.mode
        return (row.mode, row.run_id) == (self.scope.mode, self.scope.run_id)

    def _load(self, session: Session, item_type: str, item_id: int, action: str | None, expected: int | None) -> Any:
        model = ITEM_MODELS.get(item_type)
        if model is None:
            raise ValidationError(f"unknown item type {item_type!r} (post, report or incident)", field="item_type")
        row = session.scalar(select(model).where(model.id == item_id))
        if row is None or not self._in_scope(row):
            raise UserError(f"{ITEM_TYPE.ja(item_type)} {item_id} が見つかりません")
        if expected is not None and row.version != expected:
            raise ConflictError(
                f"{describe(session, item_type, row)}は他の端末で変更されていました"
                f"（版 {row.version}、表示していたのは版 {expected}）。最新の内容を確かめてから操作してください"
            )
        if action is not None:
            sources, _ = TRANSITIONS[action]
            if row.state not in sources:
                raise ConflictError(
                    f"{describe(session, item_type, row)}は{TRIAGE_STATE.ja(row.state)}のため"
                    f"{TRIAGE_ACTION.ja(action)}できません"
                )
        return row


def _reason(reason: str | None) -> str | None:
    text = clean_optional(reason)
    return text.strip() or None if text else None


def describe(session: Session, item_type: str, row: Any, width: int = 24) -> str:
    """An item as an operator recognises it: 投稿「北区で火事、逃げ遅れ…」."""
    from disaster_desk.core.sharing import summarise

    text = " ".join(summarise(session, item_type, row.id).split())
    if len(text) > width:
        text = text[: width - 1] + "…"
    return f"{ITEM_TYPE.ja(item_type)}「{text}」"


def _labels(session: Session, item_type: str, item_id: int) -> list[str]:
    if item_type == "post":
        return list(session.scalar(select(Analysis.labels).where(Analysis.post_id == item_id)) or [])
    if item_type == "incident":
        label = session.scalar(select(Incident.label).where(Incident.id == item_id))
        return [label] if label else []
    return []


def _state_before(session: Session, scope: Scope, item_type: str, item_id: int, current: str) -> str:
    """The state an item had before it was last dismissed or closed (for reopen)."""
    entry = session.scalar(
        select(AuditEntry).where(
            AuditEntry.item_type == item_type, AuditEntry.item_id == str(item_id), mode_filter(AuditEntry, scope),
            AuditEntry.action.in_(["triage.dismiss", "triage.close"]),
        ).order_by(AuditEntry.id.desc()).limit(1)
    )
    state = (entry.before or {}).get("state") if entry is not None else None
    if state in (None, "new", "dismissed", "closed"):
        return "acknowledged"  # a reopened item has been looked at
    return state


@contextmanager
def _conflict_on_stale(db: Database) -> Iterator[Session]:
    try:
        with db.session() as session:
            yield session
    except StaleDataError:
        raise ConflictError("他の端末で同時に変更されました。最新の内容を確かめてから操作してください") from None


def received_times(session: Session, item_type: str, row: Any) -> tuple[datetime | None, datetime | None]:
    """When the item reached the system, and its own time (post time / ward station time)."""
    if item_type == "post":
        return row.collected_at, row.created_at
    if item_type == "report":
        return row.received_at, row.created_at
    first = session.execute(
        select(func.min(Post.collected_at), func.min(Post.created_at)).where(Post.incident_id == row.id)
    ).one()
    return first[0] or row.first_at, first[1]


def _seconds(start: datetime | None, end: datetime) -> float | None:
    return None if start is None else round((end - start).total_seconds(), 3)
