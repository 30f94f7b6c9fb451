"""Where each collector got to (since_id, pagination token, file line), in the database.

A checkpoint is saved in its own transaction *after* the posts it covers are
committed: a crash in between only makes the next run fetch some posts again,
and the ingest service stores each post once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from disaster_desk.core.clock import Clock
from disaster_desk.core.db import Database
from disaster_desk.core.models import CollectorCheckpoint

MAX_KEY = 64


def load_checkpoint(db: Database, key: str) -> dict[str, Any] | None:
    with db.session() as session:
        row = session.get(CollectorCheckpoint, _check(key))
        return dict(row.cursor) if row is not None and row.cursor is not None else None


def save_checkpoint(db: Database, key: str, cursor: dict[str, Any] | None, clock: Clock) -> None:
    """Insert or replace in one statement (two processes may race on a new key)."""
    upsert(db, CollectorCheckpoint, "collector", {"collector": _check(key), "cursor": cursor, "updated_at": clock.now()})


def upsert(db: Database, model: Any, key_column: str, values: dict[str, Any]) -> None:
    dialect = sqlite if db.engine.dialect.name == "sqlite" else postgresql
    stmt = dialect.insert(model.__table__).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[key_column], set_={k: stmt.excluded[k] for k in values if k != key_column}
    )
    with db.session() as session:
        session.execute(stmt)


def _check(key: str) -> str:
    if not key or len(key) > MAX_KEY:
        raise ValueError(f"checkpoint key must be 1..{MAX_KEY} characters: {key!r}")
    return key
