"""Triage states and sharing of posts, reports and incidents.

States and the transitions an operator may make::

    new ──acknowledge──▶ acknowledged ──verify──▶ verified ──share──▶ shared ──close──▶ closed
     │                       │  │                    │                 ▲ (share again: more targets)
     └──────dismiss──────────┴──┼────dismiss─────────┘                 │
                                └──────────share (shortcut)────────────┘
    dismissed ──close──▶ closed

Allowed shortcut: an *acknowledged* item may be shared before it is verified
(a rescue call cannot wait for a second source); the audit entry records the
state it was shared from, so the after-action report can see it. A *new* item
cannot be shared or verified without being acknowledged first.

Every change bumps the row's ``version`` (SQLAlchemy ``version_id_col``): a
caller passing the version it displayed gets :class:`ConflictError` when
someone else changed the item meanwhile, and two writers racing on the same
row cannot both win (the UPDATE is ``... WHERE version = :read_version``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from disaster_desk.core import audit
from disaster_desk.core.area import SHARE_TARGETS
from disaster_desk.core.clock import Clock
from disaster_desk.core.db import Database
from disaster_desk.core.models import Incident, Post, Report, ShareEvent
from disaster_desk.core.modes import REAL_SCOPE, Scope, mode_filter
from disaster_desk.core.text import clean_optional
from disaster_desk.core.vocabulary import TRIAGE_STATE
from disaster_desk.errors import ConflictError, UserError, ValidationError

log = logging.getLogger(__name__)

STATES = TRIAGE_STATE.ids
ITEM_MODELS: dict[str, Any] = {"post": Post, "report": Report, "incident": Incident}

#: action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "acknowledge": (frozenset({"new"}), "acknowledged"),
    "verify": (frozenset({"acknowledged"}), "verified"),
    "dismiss": (frozenset({"new", "acknowledged", "verified"}), "dismissed"),
    "share": (frozenset({"acknowledged", "verified", "shared"}), "shared"),
    "close": (frozenset({"verified", "dismissed", "shared"}), "closed"),
}


def allowed_actions(state: str) -> list[str]:
    """The actions an operator may take on an item in ``state`` (for menus and keys)."""
    return [action for action, (sources, _) in TRANSITIONS.items() if state in sources]


def scope_of(row: Any) -> Scope:
    return Scope(row.mode, row.run_id)


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

    def dismiss(self, item_type: str, item_id: int, *, actor: str, expected_version: int | None = None) -> int:
        return self._transition("dismiss", item_type, item_id, actor, expected_version)

    def close(self, item_type: str, item_id: int, *, actor: str, expected_version: int | None = None) -> int:
        return self._transition("close", item_type, item_id, actor, expected_version)

    def share(
        self,
        item_type: str,
        item_id: int,
        targets: Sequence[str],
        *,
        actor: str,
        note: str | None = None,
        expected_version: int | None = None,
    ) -> list[int]:
        """Share an item with ward offices / departments; one ShareEvent per new target.

        Targets it was already shared with are skipped (sharing twice is not
        two shares in the KPI). Returns the ids of the new ShareEvents.
        """
        wanted = list(dict.fromkeys(t.strip() for t in targets if t and t.strip()))
        if not wanted:
            raise ValidationError("choose at least one share target", field="targets")
        unknown = [t for t in wanted if t not in SHARE_TARGETS]
        if unknown:
            raise ValidationError(f"unknown share target(s): {', '.join(unknown)}", field="targets")
        note = clean_optional(note)
        now = self.clock.now()
        with self._writing() as session:
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
            self.db.notify(session, {"table": "share_events", "item_type": item_type, "id": item_id,
                                     **scope.columns()})
            return [e.id for e in events]

    # -- internals -------------------------------------------------------

    def _transition(self, action: str, item_type: str, item_id: int, actor: str, expected: int | None) -> int:
        now = self.clock.now()
        with self._writing() as session:
            row = self._load(session, item_type, item_id, action, expected)
            before = {"state": row.state, "version": row.version}
            row.state = TRANSITIONS[action][1]
            session.flush()
            after = {"state": row.state, "version": row.version}
            audit.record(session, at=now, actor=actor, action=f"triage.{action}", item_type=item_type,
                         item_id=item_id, scope=scope_of(row), before=before, after=after)
            self.db.notify(session, {"table": ITEM_MODELS[item_type].__tablename__, "id": item_id,
                                     **scope_of(row).columns()})
            log.info("%s %s:%s by %s -> %s", action, item_type, item_id, actor, row.state)
            return row.version

    def _writing(self) -> AbstractContextManager[Session]:
        """A session whose lost optimistic-lock race surfaces as ConflictError."""
        return _conflict_on_stale(self.db)

    def _load(self, session: Session, item_type: str, item_id: int, action: str, expected: int | None) -> Any:
        model = ITEM_MODELS.get(item_type)
        if model is None:
            raise ValidationError(f"unknown item type {item_type!r} (post, report or incident)", field="item_type")
        row = session.scalar(select(model).where(model.id == item_id, mode_filter(model, self.scope)))
        if row is None:
            raise UserError(f"{item_type} {item_id} not found")
        if expected is not None and row.version != expected:
            raise ConflictError(
                f"{item_type} {item_id} was changed by someone else (version {row.version}, you saw {expected}); "
                "reload and try again"
            )
        sources, _ = TRANSITIONS[action]
        if row.state not in sources:
            raise ConflictError(f"cannot {action} {item_type} {item_id}: it is {row.state}")
        return row


@contextmanager
def _conflict_on_stale(db: Database) -> Iterator[Session]:
    try:
        with db.session() as session:
            yield session
    except StaleDataError:
        raise ConflictError("the item was changed by someone else meanwhile; reload and try again") from None


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
