"""The queue's free-text search on SQLite: which FTS5 queries answer a filter.

One :class:`PostSearch` per :class:`~disaster_desk.core.queue.QueueService`.
The query strings come from core/queue_text.py; this module turns a filter
into them and into SQL on ``posts``: a search without a time window is one
FTS query (every filter is coded in the index); a window adds its whole
hours as codes, and the two hours cut by its ends are checked on ``posts``.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import bindparam, func, literal_column, select, text, tuple_
from sqlalchemy.orm import aliased

from disaster_desk.core.db import Database
from disaster_desk.core.models import Post, label_mask
from disaster_desk.core.modes import Scope, mode_filter
from disaster_desk.core.queue_text import has_fts, hours_condition, key_codes, text_condition, window_hours

log = logging.getLogger(__name__)


def contains(column: Any, term: str) -> Any:
    """Case-insensitive substring test (ILIKE; ASCII case only on SQLite, as its LIKE).

    The pattern is written into the SQL: a prepared statement (psycopg prepares a query run
    5 times) would get PostgreSQL's generic plan, blind to the pattern, which skips the
    trigram index for a rare term (250 ms instead of 20 ms at 1M posts).
    """
    pattern = "%" + term.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"
    return column.ilike(bindparam("text_pattern", pattern, literal_execute=True), escape="/")


class PostSearch:
    def __init__(self, db: Database, scope: Scope) -> None:
        self.db = db
        self.scope = scope
        self._fts: bool | None = None

    def available(self, session: Any) -> bool:
        """True on SQLite with the index (migration 0007 with FTS5)."""
        if self.db.engine.dialect.name != "sqlite":
            return False
        if self._fts is None:
            self._fts = has_fts(session)
            if not self._fts:
                log.info("no search index (posts_fts): free-text search scans the posts")
        return self._fts

    def match(self, session: Any, flt: Any, sources: set[str]) -> str | None:
        """The FTS5 query for ``flt``'s text and filters (post ``sources``); None: search with LIKE."""
        if not flt.text or not self.available(session):
            return None
        condition = text_condition(session, flt.text)
        if condition is None:
            return None
        codes = key_codes(
            self.scope, include_none=flt.include_none,
            mask=label_mask(sorted(flt.labels)) if flt.labels else None, wards=sorted(flt.wards),
            states=sorted(flt.states), sources=sorted(sources),
        )
        return " AND ".join([condition, *codes])

    @staticmethod
    def ids(match: str) -> Any:
        """``SELECT rowid`` of the posts matching ``match``."""
        return select(literal_column("rowid")).select_from(text("posts_fts")).where(
            text("posts_fts MATCH :fts_match").bindparams(fts_match=match))

    def where(self, flt: Any, match: str) -> list[Any]:
        """Posts matching ``match`` in ``flt``'s time window.

        The match already holds every other filter; no condition here can use
        an index, so SQLite reads the matches by id (and sorts them).
        """
        where = [Post.id.in_(self.ids(match))]
        if flt.since is not None:
            where.append(Post.collected_at >= flt.since)
        if flt.until is not None:
            where.append(Post.collected_at < flt.until)
        return where

    def hours(self, session: Any, flt: Any) -> tuple[list[int], list[int]] | None:
        """Whole and cut hours of ``flt``'s time window (None: too many hours to list)."""
        scoped = mode_filter(Post, self.scope)
        first = session.scalar(select(func.min(Post.collected_at)).where(scoped))
        last = session.scalar(select(func.max(Post.collected_at)).where(scoped))
        return window_hours(flt.since, flt.until, first, last)

    def parts(self, session: Any, flt: Any, match: str) -> list[tuple[str, bool]]:
        """FTS queries whose matches together are ``flt``'s posts, each with "check the window on posts"."""
        if flt.since is None and flt.until is None:
            return [(match, False)]
        hours = self.hours(session, flt)
        if hours is None:
            return [(match, True)]
        whole, cut = hours
        return [(f"{match} AND {hours_condition(h)}", check) for h, check in ((whole, False), (cut, True)) if h]

    def count(self, session: Any, flt: Any, match: str, cap: int | None) -> int:
        """Posts matching ``flt`` (its FTS query ``match``), at most ``cap``."""
        total = 0
        for part, check in self.parts(session, flt, match):
            inner = select(Post.id).where(*self.where(flt, part)) if check else self.ids(part)
            if cap is not None:
                inner = inner.limit(cap)
            total += session.scalar(select(func.count()).select_from(inner.subquery())) or 0
        return total if cap is None else min(total, cap)

    def windowed(self, session: Any, flt: Any, match: str) -> str:
        """``match`` narrowed to the hours of ``flt``'s window (the window's ends are checked on posts)."""
        if flt.since is not None or flt.until is not None:
            hours = self.hours(session, flt)
            if hours is not None:
                return f"{match} AND {hours_condition(hours[0] + hours[1])}"
        return match

    def few(self, session: Any, flt: Any, match: str, limit: int) -> str | None:
        """The FTS query of ``flt``'s window when it matches at most ``limit`` posts, else None."""
        match = self.windowed(session, flt, match)
        found = session.scalar(select(func.count()).select_from(self.ids(match).limit(limit + 1).subquery()))
        return match if (found or 0) <= limit else None

    @staticmethod
    def probe(session: Any, flt: Any, where: list[Any], cursor: tuple | None, limit: int,
              budget: int) -> tuple[list[Any], tuple | None]:
        """Matches of ``flt.text`` among the next ``budget`` queue rows (``where``, after ``cursor``),
        up to ``limit``; and the last row walked when those held fewer than ``limit`` matches but
        the queue goes on (else None).

        The common search matches every few rows, so this is the whole cost of
        its page; matches far down the queue (a rare term, or one only in old
        or low-urgency posts) would make an unbounded walk read the index.
        """
        key = (Post.urgency, Post.collected_at, Post.id)
        inner = select(*key).where(*where)
        if cursor is not None:
            inner = inner.where(tuple_(*key) < tuple_(*cursor))
        walk = inner.order_by(*(c.desc() for c in key)).limit(budget).subquery("walk")
        body = aliased(Post)
        text_of = select(body.text).where(body.id == walk.c.id).scalar_subquery()
        columns = (walk.c.urgency, walk.c.collected_at, walk.c.id)
        # No outer ORDER BY: SQLite reads the walk as a co-routine, in its order, and stops at ``limit``.
        rows = session.execute(select(*columns).where(contains(text_of, flt.text)).limit(limit)).all()
        if len(rows) == limit:
            return rows, None
        last = session.execute(select(*columns).offset(budget - 1).limit(1)).first()
        return rows, tuple(last) if last is not None else None
