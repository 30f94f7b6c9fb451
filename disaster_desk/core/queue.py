"""The operator queue: analysed posts and ward reports in one list.

Order: urgency (most urgent first), then newest first. Posts are filtered and
sorted in SQL on one covering index (``ix_posts_queue``: scope, urgency,
received time, id, then the filter columns), using queue keys copied from the
analysis onto the post (``Post.urgency``, ``Post.label_mask``, ``Post.ward``),
so a label filter is a bit test on an indexed column on SQLite and
PostgreSQL alike, counting reads only the index and a page is an index range
scan. Collapsed duplicates (``duplicate_of`` set) are left out and counted on
their first post.

Reports are few (one per shelter/damage/office update) and their urgency
depends on the payload, so they are filtered and ranked in Python and merged
with the posts' page; the merge needs at most ``len(reports)`` extra post rows.

Free text (SQLite): the FTS5 trigram index ``posts_fts`` holds each post's
text and queue keys (core/queue_text.py), so a search is counted inside the
index, exactly. A page of a search first walks the queue index in order with
LIKE for at most ``WALK_PROBE`` rows (enough when a match turns up every few
rows); if that holds no full page, the matches are looked up by id and sorted
(``BY_ID_LIMIT`` or fewer) or the walk goes on. PostgreSQL
uses ILIKE, served by the pg_trgm GIN index ``ix_posts_text_trgm`` for terms
of 3+ characters when the extension could be created.

Paging: :meth:`QueueService.page` takes an offset (what a Qt model asks for).
Sequential pages are fetched by keyset (the page continues after the last row
of the previous one, remembered per filter), so scrolling down stays as fast
at row 900,000 as at row 0; a jump to an arbitrary offset uses OFFSET.
"""

from __future__ import annotations

import bisect
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, tuple_

from disaster_desk.core.db import Database
from disaster_desk.core.items import ItemKey
from disaster_desk.core.models import Analysis, Post, QueueCount, Report, ShareEvent, label_mask
from disaster_desk.core.modes import REAL_SCOPE, Scope, mode_filter
from disaster_desk.core.queue_search import PostSearch, contains
from disaster_desk.core.report_rows import report_labels_urgency, report_text

log = logging.getLogger(__name__)

REPORT_SOURCE = "report"
#: A time window with fewer posts than this is read through the time index.
NARROW_WINDOW = 20_000
#: Filters (without the text) holding at most this many posts are searched with LIKE (SQLite).
SMALL_FILTER = 5_000
#: A page of a search (SQLite) first walks at most this many queue rows ...
WALK_PROBE = 10_000
#: ... and, if they held no full page, reads the matches by id when at most this many (else walks on).
BY_ID_LIMIT = 10_000


@dataclass(frozen=True)
class QueueFilter:
    """Empty sets mean "all"; ``include_none`` shows posts labelled ``none``."""

    labels: frozenset[str] = frozenset()
    wards: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    states: frozenset[str] = frozenset()
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None
    include_none: bool = False


@dataclass
class QueueRow:
    item_type: str  # post | report
    item_id: int
    text: str
    labels: list[str]
    urgency: int
    ward: str | None
    place: str | None
    lat: float | None
    lon: float | None
    source: str
    state: str
    received_at: datetime
    created_at: datetime | None
    author: str | None
    duplicates: int = 0
    version: int = 1
    incident_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: Where it was shared, in share order (共有済→消防局・北区).
    shared_to: tuple[str, ...] = ()

    @property
    def item(self) -> ItemKey:
        return ItemKey(self.item_type, self.item_id)

    @property
    def unanalysed(self) -> bool:
        """The analysis of this post failed (shown as 未解析; ``nlp reanalyze`` retries it)."""
        return "analysis_error" in self.extra

    @property
    def key(self) -> str:
        """The text form of :attr:`item` (``"post:12"``), as the map and the signals carry it."""
        return str(self.item)


# -- reports as queue rows ----------------------------------------------------


def _report_row(r: Report, language: str = "ja") -> QueueRow:
    payload = r.payload or {}
    labels, urg = report_labels_urgency(r.kind, payload)
    return QueueRow(
        item_type="report", item_id=r.id, text=report_text(r.kind, r.ward, payload, language), labels=labels,
        urgency=urg,
        ward=r.ward, place=payload.get("place") or payload.get("name"), lat=payload.get("lat"),
        lon=payload.get("lon"), source=REPORT_SOURCE, state=r.state, received_at=r.received_at,
        created_at=r.created_at, author=r.author, version=r.version, extra={"kind": r.kind},
    )


def _sort_key(row_type: str, urgency: int, received_at: datetime, item_id: int) -> tuple:
    """Ascending key of the queue order (urgency desc, newest first, posts before reports)."""
    return (-urgency, -received_at.timestamp(), 0 if row_type == "post" else 1, -item_id)


# -- the service --------------------------------------------------------------


class QueueService:
    def __init__(self, db: Database, scope: Scope = REAL_SCOPE, *, language: str = "ja") -> None:
        self.db = db
        self.scope = scope
        #: The language of the reports' row texts (the UI's); a search matches the Japanese text too.
        self.language = language
        #: filter -> (rank of the first, sort keys) of the last posts fetched: keyset resume points.
        self._last: dict[QueueFilter, tuple[int, list[tuple[int, datetime, int]]]] = {}
        self._search = PostSearch(db, scope)
        #: How ``page`` reads a search after a bounded walk found no full page: "by_id" (few
        #: matches) or "scan" (many: walk on). Unknown: bounded walk first.
        self._how: dict[QueueFilter, str] = {}

    # posts ------------------------------------------------------------------
    def _wants_posts(self, flt: QueueFilter) -> bool:
        return not flt.sources or bool(flt.sources - {REPORT_SOURCE})

    def _wants_reports(self, flt: QueueFilter) -> bool:
        return not flt.sources or REPORT_SOURCE in flt.sources

    def _narrow_window(self, session: Any, flt: QueueFilter) -> bool:
        """True when the time window holds few posts, so reading it by time beats the queue index."""
        if self.db.engine.dialect.name != "sqlite" or (flt.since is None and flt.until is None):
            return False
        inner = select(Post.id).where(mode_filter(Post, self.scope))
        if flt.since is not None:
            inner = inner.where(Post.collected_at >= flt.since)
        if flt.until is not None:
            inner = inner.where(Post.collected_at < flt.until)
        found = session.scalar(select(func.count()).select_from(inner.limit(NARROW_WINDOW).subquery()))
        return (found or 0) < NARROW_WINDOW

    def _post_where(self, flt: QueueFilter, *, by_time: bool = False, with_text: bool = True) -> list[Any]:
        # "+ 0" keeps SQLite off ix_posts_duplicate_of (NULL for nearly every row) and, for a
        # narrow time window, off ix_posts_queue (so it reads ix_posts_mode_received instead).
        where = [mode_filter(Post, self.scope), (Post.duplicate_of + 0).is_(None)]
        urgency = (Post.urgency + 0) if by_time else Post.urgency
        where.append(urgency >= (0 if flt.include_none else 1))
        where += _key_filters(Post, flt)
        if flt.since is not None:
            where.append(Post.collected_at >= flt.since)
        if flt.until is not None:
            where.append(Post.collected_at < flt.until)
        if flt.text and with_text:
            where.append(contains(Post.text, flt.text))
        return where

    # free text (SQLite FTS5, core/queue_search.py) ----------------------------
    def _fts_match(self, session: Any, flt: QueueFilter) -> str | None:
        return self._search.match(session, flt, flt.sources - {REPORT_SOURCE})

    def _small_filter(self, session: Any, flt: QueueFilter) -> bool:
        """True when the filters without the text hold few posts (SQLite): LIKE on those beats the index."""
        if self.db.engine.dialect.name != "sqlite" or flt.since is not None or flt.until is not None:
            return False
        found = session.scalar(select(func.coalesce(func.sum(QueueCount.n), 0)).where(*self._count_where(flt)))
        return (found or 0) <= SMALL_FILTER

    def _post_count(self, session: Any, flt: QueueFilter, cap: int | None = None) -> int:
        """Posts matching ``flt`` (at most ``cap``), by the cheapest exact way available."""
        match = self._fts_match(session, flt)
        if match is not None and not self._small_filter(session, flt):
            return self._search.count(session, flt, match, cap)
        if self._countable(flt) and cap is None:
            return session.scalar(select(func.coalesce(func.sum(QueueCount.n), 0))
                                  .where(*self._count_where(flt))) or 0
        inner = select(Post.id).where(*self._post_where(flt, by_time=self._narrow_window(session, flt)))
        if cap is not None:
            inner = inner.limit(cap)
        return session.scalar(select(func.count()).select_from(inner.subquery())) or 0

    def _remember(self, flt: QueueFilter, how: str) -> None:
        if len(self._how) > 64:
            self._how.clear()
        self._how[flt] = how

    def _by_id_match(self, session: Any, flt: QueueFilter) -> str | None:
        """After a failed probe: the FTS query if the search has at most ``BY_ID_LIMIT`` matches.

        Decided once per filter ("by_id" or "scan": walk on), so later pages go straight there.
        """
        match = self._fts_match(session, flt)
        few = self._search.few(session, flt, match, BY_ID_LIMIT) if match is not None else None
        self._remember(flt, "scan" if few is None else "by_id")
        return few

    def _post_keys(self, session: Any, flt: QueueFilter, offset: int, limit: int) -> list[tuple[int, datetime, int]]:
        """(urgency, collected_at, id) of posts ranked ``offset`` .. ``offset+limit`` in queue order.

        A search on SQLite: a bounded walk of the queue index first, then by id
        (few matches) or an unbounded walk (many) — see ``PostSearch.probe``.
        """
        how = self._how.get(flt)
        fts = self._fts_match(session, flt) if how == "by_id" else None
        match = self._search.windowed(session, flt, fts) if fts else None
        by_time = not match and self._narrow_window(session, flt)
        cursor = None
        first, fetched = self._last.get(flt, (0, []))
        if offset > 0 and first <= offset - 1 < first + len(fetched):
            cursor = fetched[offset - 1 - first]
        rows = None
        if how is None and flt.text and (cursor is not None or offset == 0) and self._search.available(session):
            rows, walked = self._search.probe(session, flt, self._post_where(flt, by_time=by_time, with_text=False),
                                              cursor, limit, WALK_PROBE)
            if walked is not None:
                match = self._by_id_match(session, flt)
                if match is None:  # many matches: walk on from the last row walked
                    more = session.execute(
                        select(Post.urgency, Post.collected_at, Post.id)
                        .where(*self._post_where(flt, by_time=by_time),
                               tuple_(Post.urgency, Post.collected_at, Post.id) < tuple_(*walked))
                        .order_by(Post.urgency.desc(), Post.collected_at.desc(), Post.id.desc())
                        .limit(limit - len(rows))).all()
                    rows = [*rows, *more]
                else:
                    rows = None
        if rows is None:
            where = self._search.where(flt, match) if match else self._post_where(flt, by_time=by_time)
            query = select(Post.urgency, Post.collected_at, Post.id).where(*where)
            order = (Post.urgency.desc(), Post.collected_at.desc(), Post.id.desc())
            if cursor is not None:
                query, offset_left = query.where(tuple_(Post.urgency, Post.collected_at, Post.id) < tuple_(*cursor)), 0
            else:
                query, offset_left = self._skip_urgency_groups(session, flt, query, offset)
            rows = session.execute(query.order_by(*order).offset(offset_left).limit(limit)).all()
        keys = [tuple(r) for r in rows]
        if keys:
            if len(self._last) > 64:
                self._last.clear()
            self._last[flt] = (offset, keys)
        return keys

    def _skip_urgency_groups(self, session: Any, flt: QueueFilter, query: Any, offset: int) -> tuple[Any, int]:
        """For a jump deep into the queue, start at the right urgency level (counted in queue_counts)."""
        if offset < 1000 or not self._countable(flt):
            return query, offset
        per_level = session.execute(
            select(QueueCount.urgency, func.sum(QueueCount.n)).where(*self._count_where(flt))
            .group_by(QueueCount.urgency).order_by(QueueCount.urgency.desc())
        ).all()
        skipped = 0
        for level, n in per_level:
            if skipped + n > offset:
                return query.where(Post.urgency <= level), offset - skipped
            skipped += n
        return query, offset

    def _post_rows(self, session: Any, ids: list[int]) -> dict[int, QueueRow]:
        if not ids:
            return {}
        found = session.execute(
            select(Post.id, Post.text, Post.urgency, Post.ward, Post.geo_lat, Post.geo_lon, Post.source, Post.state,
                   Post.collected_at, Post.created_at, Post.author, Post.version, Post.incident_id,
                   Analysis.labels, Analysis.place, Analysis.lat, Analysis.lon, Analysis.precision,
                   Analysis.status, Analysis.review, Analysis.error)
            .outerjoin(Analysis, Analysis.post_id == Post.id).where(Post.id.in_(ids))
        ).all()
        dups = dict(session.execute(
            select(Post.duplicate_of, func.count(Post.id)).where(Post.duplicate_of.in_(ids)).group_by(Post.duplicate_of)
        ).all())
        rows = {}
        for r in found:
            rows[r.id] = QueueRow(
                item_type="post", item_id=r.id, text=r.text, labels=list(r.labels or []), urgency=r.urgency or 0,
                ward=r.ward, place=r.place, lat=r.lat if r.lat is not None else r.geo_lat,
                lon=r.lon if r.lon is not None else r.geo_lon, source=r.source, state=r.state,
                received_at=r.collected_at, created_at=r.created_at, author=r.author, duplicates=dups.get(r.id, 0),
                version=r.version, incident_id=r.incident_id,
                extra={"precision": r.precision, "status": r.status, "review": list(r.review or []),
                       **({"analysis_error": r.error} if r.error else {})},
            )
        return rows

    # reports ----------------------------------------------------------------
    def _reports(self, session: Any, flt: QueueFilter) -> list[QueueRow]:
        if not self._wants_reports(flt):
            return []
        query = select(Report).where(mode_filter(Report, self.scope))
        if flt.wards:
            query = query.where(Report.ward.in_(sorted(flt.wards)))
        if flt.states:
            query = query.where(Report.state.in_(sorted(flt.states)))
        if flt.since is not None:
            query = query.where(Report.received_at >= flt.since)
        if flt.until is not None:
            query = query.where(Report.received_at < flt.until)
        rows = []
        needle = flt.text.casefold() if flt.text else None
        for report in session.scalars(query):
            row = _report_row(report, self.language)
            if row.labels == ["none"] and not flt.include_none:
                continue
            if flt.labels and not flt.labels & set(row.labels):
                continue
            if needle and needle not in self._report_haystack(row, report):
                continue
            rows.append(row)
        rows.sort(key=lambda r: _sort_key("report", r.urgency, r.received_at, r.item_id))
        return rows

    def _report_haystack(self, row: QueueRow, report: Report) -> str:
        words = [row.text, json.dumps(report.payload, ensure_ascii=False)]
        if self.language != "ja":
            words.append(report_text(report.kind, report.ward, report.payload or {}))
        return " ".join(words).casefold()

    # public -----------------------------------------------------------------
    def count(self, flt: QueueFilter, cap: int | None = None) -> int:
        """Rows matching ``flt``; with ``cap``, an index scan stops there (show "cap+" in the UI).

        On SQLite, filters without a time window or text are counted from
        ``queue_counts`` (kept by triggers; a sum over a few thousand rows);
        a free-text search inside the FTS index (~20-70 ms at 100,000 matches
        in 1M posts). Otherwise the matching index entries are counted
        (~0.1-0.2 s at 600,000 matches; a time window usually matches far fewer).
        Exact unless ``cap`` is given.
        """
        with self.db.session() as session:
            posts = self._post_count(session, flt, cap) if self._wants_posts(flt) else 0
            total = posts + len(self._reports(session, flt))
            return total if cap is None else min(total, cap)

    def exact_count(self, flt: QueueFilter) -> int:
        """Count by scanning posts (what ``count`` must always equal; for checks)."""
        with self.db.session() as session:
            posts = session.scalar(select(func.count()).select_from(Post).where(*self._post_where(flt))) or 0
            return (posts if self._wants_posts(flt) else 0) + len(self._reports(session, flt))

    def _countable(self, flt: QueueFilter) -> bool:
        return (self.db.engine.dialect.name == "sqlite" and flt.since is None and flt.until is None
                and not flt.text)

    def _count_where(self, flt: QueueFilter) -> list[Any]:
        where = [mode_filter(QueueCount, self.scope), QueueCount.urgency >= (0 if flt.include_none else 1)]
        return where + _key_filters(QueueCount, flt)

    def page(self, flt: QueueFilter, offset: int, limit: int) -> list[QueueRow]:
        """Rows ``offset`` .. ``offset+limit`` of the queue (see the module doc for the merge)."""
        if offset < 0 or limit <= 0:
            return []
        with self.db.session() as session:
            return _with_share_targets(session, self.scope, self._page(session, flt, offset, limit))

    def _page(self, session: Any, flt: QueueFilter, offset: int, limit: int) -> list[QueueRow]:
        reports = self._reports(session, flt)
        if not self._wants_posts(flt):
            return reports[offset : offset + limit]
        report_keys = [_sort_key("report", r.urgency, r.received_at, r.item_id) for r in reports]
        lo = max(0, offset - len(reports))
        want = offset + limit - lo
        keys = self._post_keys(session, flt, lo, want)
        if not keys and lo > 0:
            # Past the last post: restart the window at the last post.
            total = self._post_count(session, flt)
            if total == 0:
                return reports[offset : offset + limit]
            lo = total - 1
            keys = self._post_keys(session, flt, lo, 1)
        post_keys = [_sort_key("post", u or 0, t, i) for u, t, i in keys]
        if lo == 0 or not post_keys:
            start, first_report = 0, 0
        else:
            first_report = bisect.bisect_left(report_keys, post_keys[0])
            start = lo + first_report
        merged = _merge(post_keys, keys, report_keys[first_report:], reports[first_report:],
                        posts_exhausted=len(keys) < want)
        chosen = merged[offset - start : offset - start + limit]
        post_rows = self._post_rows(session, [item for kind, item in chosen if kind == "post"])
        return [post_rows[item] if kind == "post" else item for kind, item in chosen
                if kind == "report" or item in post_rows]


def _with_share_targets(session: Any, scope: Scope, rows: list[QueueRow]) -> list[QueueRow]:
    """Fill ``shared_to`` of the shared rows of a page (one query)."""
    shared = [r for r in rows if r.state in ("shared", "closed")]
    if not shared:
        return rows
    wanted = {(r.item_type, r.item_id) for r in shared}
    targets: dict[tuple[str, int], list[str]] = {}
    query = select(ShareEvent.item_type, ShareEvent.item_id, ShareEvent.target).where(
        mode_filter(ShareEvent, scope), ShareEvent.item_id.in_({r.item_id for r in shared})).order_by(ShareEvent.id)
    for item_type, item_id, target in session.execute(query):
        if (item_type, item_id) in wanted:
            targets.setdefault((item_type, item_id), []).append(target)
    for row in shared:
        row.shared_to = tuple(targets.get((row.item_type, row.item_id), ()))
    return rows


def _merge(post_keys: list[tuple], keys: list[tuple], report_keys: list[tuple], reports: list[QueueRow],
           *, posts_exhausted: bool) -> list[tuple[str, Any]]:
    """Merge posts (by id) and report rows in queue order, up to the last post when more posts follow."""
    out: list[tuple[str, Any]] = []
    i = j = 0
    while i < len(post_keys):
        if j < len(reports) and report_keys[j] < post_keys[i]:
            out.append(("report", reports[j]))
            j += 1
        else:
            out.append(("post", keys[i][2]))
            i += 1
    if posts_exhausted:
        out.extend(("report", r) for r in reports[j:])
    return out


def _key_filters(table: Any, flt: QueueFilter) -> list[Any]:
    """Label, ward, source and state conditions on ``posts`` or ``queue_counts`` (same key columns)."""
    where = []
    if flt.labels:
        where.append(table.label_mask.op("&")(label_mask(sorted(flt.labels))) != 0)
    if flt.wards:
        where.append(table.ward.in_(sorted(flt.wards)))
    if flt.sources:
        where.append(table.source.in_(sorted(flt.sources - {REPORT_SOURCE})))
    if flt.states:
        where.append(table.state.in_(sorted(flt.states)))
    return where
