"""The append-only audit log (ARCHITECTURE rule 7)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from disaster_desk.core.models import AuditEntry
from disaster_desk.core.modes import Scope


def record(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    item_type: str,
    item_id: int | str,
    scope: Scope,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction (so it commits with the change)."""
    entry = AuditEntry(
        at=at,
        actor=actor,
        action=action,
        item_type=item_type,
        item_id=str(item_id),
        before=before,
        after=after,
        **scope.columns(),
    )
    session.add(entry)
    return entry
