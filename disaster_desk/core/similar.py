"""Similar posts of a queue item, shown under the detail panel (read on the worker pool)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from disaster_desk.core.db import Database
from disaster_desk.core.models import Post
from disaster_desk.core.modes import Scope, mode_filter


@dataclass(frozen=True)
class SimilarPost:
    id: int
    text: str
    author: str | None
    collected_at: datetime


def similar_posts(db: Database, scope: Scope, row: Any, limit: int = 10) -> list[SimilarPost]:
    """Posts in the same incident, or duplicates of / duplicated by the post."""
    if row is None or row.item_type != "post":
        return []
    conditions = [Post.duplicate_of == row.item_id]
    if getattr(row, "incident_id", None):
        conditions.append(Post.incident_id == row.incident_id)
    with db.session() as session:
        original = session.scalar(select(Post.duplicate_of).where(Post.id == row.item_id))
        if original:
            conditions += [Post.id == original, Post.duplicate_of == original]
        rows = session.execute(
            select(Post.id, Post.text, Post.author, Post.collected_at)
            .where(mode_filter(Post, scope), or_(*conditions), Post.id != row.item_id)
            .order_by(Post.id.desc())
            .limit(limit)
        ).all()
    return [SimilarPost(*r) for r in rows]
