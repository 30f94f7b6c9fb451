"""The append-only audit log (ARCHITECTURE rule 7).

Services call :func:`record` in the transaction of the change, on both
engines, with the action's meaning (``triage.dismiss`` with its reason,
``triage.undo`` with what it undoes). On PostgreSQL the database then owns
the row: its trigger (migration 0017, ``core.pg_security``) sets ``actor`` to
the login (``session_user``) and keeps the ``actor`` given here as
``display_name`` beside it, chains the row's hash, and writes a row itself
at commit for any change of triage state, report, share or assignment the
transaction did not record (raw SQL) — so there is one row per change, never
two. On SQLite the given actor (the OS user / operator name) is stored as is
and the chain is computed in Python (``core.audit_chain``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import literal_column
from sqlalchemy.orm import Session

from disaster_desk.core.models import AuditEntry
from disaster_desk.core.modes import Scope
from disaster_desk.core.text import clean_text, clean_value


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
    entry = AuditEntry(  # actors and values can come from outside (a CLI argument, a note): the text boundary
        at=at,
        actor=clean_text(actor),
        action=action,
        item_type=item_type,
        item_id=clean_text(str(item_id)),
        before=clean_value(before),
        after=clean_value(after),
        **scope.columns(),
    )
    session.add(entry)
    return entry


def own_login(session: Session) -> list[Any]:
    """Conditions keeping the audit rows of this connection's login (PostgreSQL; none on SQLite)."""
    if session.get_bind().dialect.name != "postgresql":
        return []
    return [AuditEntry.actor == literal_column("session_user")]
