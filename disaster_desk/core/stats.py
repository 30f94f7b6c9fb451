"""Counts for ``disaster-desk stats`` and the status bar."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from disaster_desk.core.db import Database
from disaster_desk.core.models import Analysis, Post, Report, ShareEvent
from disaster_desk.core.modes import Scope, mode_filter

REPORT_KINDS = ("shelter", "damage", "muster", "system")


def counts(db: Database, scope: Scope) -> dict[str, Any]:
    with db.session() as s:
        posts = s.scalar(select(func.count()).select_from(Post).where(mode_filter(Post, scope)))
        joined = select(func.count()).select_from(Post).join(Analysis, Analysis.post_id == Post.id)
        analysed = s.scalar(joined.where(mode_filter(Post, scope), Analysis.error.is_(None)))
        failed = s.scalar(joined.where(mode_filter(Post, scope), Analysis.error.is_not(None)))
        by_kind = dict(
            s.execute(select(Report.kind, func.count()).where(mode_filter(Report, scope)).group_by(Report.kind)).all()
        )
        shared_items = (
            select(ShareEvent.item_type, ShareEvent.item_id).where(mode_filter(ShareEvent, scope)).distinct().subquery()
        )
        shared = s.scalar(select(func.count()).select_from(shared_items))
    return {
        "posts": posts or 0,
        "posts_analysed": analysed or 0,
        "posts_analysis_failed": failed or 0,  # queued as 未解析; ``nlp reanalyze`` retries them
        "reports": {kind: by_kind.get(kind, 0) for kind in REPORT_KINDS},
        "shared": shared or 0,
    }
