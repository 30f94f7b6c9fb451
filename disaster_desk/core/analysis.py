"""Running an analyser over stored posts and storing its results.

The analyser itself lives in :mod:`nlp`; the core only needs something with a
``version`` and ``analyse(texts) -> list[PostAnalysis-like]`` (objects with
``labels, place, ward, lat, lon, precision``; ``status``, ``confidence`` and ``review``
are read when present). Posts are analysed after they
are committed, so re-analysis after a gazetteer or model update is always
possible (:meth:`AnalysisService.reanalyse`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import bindparam, or_, select

from disaster_desk.core import changes
from disaster_desk.core.clock import Clock
from disaster_desk.core.db import Database
from disaster_desk.core.items import ItemKey
from disaster_desk.core.models import Analysis, Post, label_mask
from disaster_desk.core.modes import Scope, mode_filter
from disaster_desk.core.taxonomy import URGENCY, urgency, validate_labels

log = logging.getLogger(__name__)


@dataclass
class PostAnalysis:
    labels: list[str] = field(default_factory=lambda: ["none"])
    place: str | None = None
    ward: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None
    #: Set when the text was cut to the tokenizer's limit: its normalised size in UTF-8 bytes.
    truncated_bytes: int | None = None
    #: ongoing | resolved | elsewhere | advice | hypothetical (nlp.classifier.STATUSES).
    status: str = "ongoing"
    #: The learned model's probability per label (empty: rules only).
    confidence: dict[str, float] = field(default_factory=dict)
    #: Labels to confirm (要確認): ``["rescue"]`` is a possible rescue, shown without the alarm.
    review: list[str] = field(default_factory=list)
    #: Set when the analysis of this post failed: why. Its labels are then empty.
    error: str | None = None


#: Where a post whose analysis failed sits in the queue: with the rescue calls, since
#: nobody knows what it says until an operator reads it (shown as 未解析).
FAILED_URGENCY = URGENCY["rescue"]
MAX_ERROR = 1000
#: Posts analysed and committed together by :meth:`AnalysisService.analyse_ids`: a burst that fell
#: behind shows its first posts after one chunk, not after the whole burst (bench live).
ANALYSE_CHUNK = 64


class Analyser(Protocol):
    version: str

    def analyse(self, texts: Sequence[str]) -> Sequence[PostAnalysis]: ...


class AnalysisService:
    def __init__(self, db: Database, analyser: Analyser, clock: Clock) -> None:
        self.db = db
        self.analyser = analyser
        self.clock = clock

    def analyse_ids(self, post_ids: Sequence[int]) -> int:
        """Analyse the given posts (e.g. the new ids from an ingest), then group them.

        Each :data:`ANALYSE_CHUNK` is committed as soon as it is analysed; the grouping of the
        whole call follows (one duplicate pass, as for one chunk: grouping per chunk cost the
        bench live pipeline a fifth of its throughput at load 10).
        """
        done = 0
        scopes: dict[Scope, list[int]] = {}
        for start in range(0, len(post_ids), ANALYSE_CHUNK):
            chunk = list(post_ids[start : start + ANALYSE_CHUNK])
            with self.db.session() as session:
                posts = session.scalars(select(Post).where(Post.id.in_(chunk)).order_by(Post.id)).all()
                done += self._store(session, posts)
                for scope, ids in _ids_by_scope(posts).items():
                    scopes.setdefault(scope, []).extend(ids)
        self._group(scopes)
        return done

    def analyse_pending(self, scope: Scope | None = None, batch: int = 256) -> int:
        """Analyse every post without an analysis (all scopes unless one is given), then group them."""
        return self._loop(lambda q: q.where(Analysis.id.is_(None)), scope, batch, group=True)

    def reanalyse(self, scope: Scope | None = None, batch: int = 256) -> int:
        """Re-run posts analysed by another analyser version, not at all, or whose analysis failed.

        Each post is tried once per call: one that fails again stays marked failed.

        Grouping is left as the operators shaped it (merges and splits stand).
        """
        version = self.analyser.version
        return self._loop(
            lambda q: q.where(
                or_(Analysis.id.is_(None), Analysis.analyser_version != version, Analysis.error.is_not(None))
            ),
            scope,
            batch,
        )

    def _group(self, ids_by_scope: dict[Scope, list[int]]) -> None:
        """Collapse duplicates and form incidents for newly analysed posts.

        Runs after the analyses are committed; a failure here is logged and
        never undoes them (the operator can still group by hand).
        """
        from disaster_desk.core.grouping import GroupingService

        for scope, ids in ids_by_scope.items():
            try:
                GroupingService(self.db, self.clock, scope).process(ids)
            except Exception:
                log.exception("grouping of %d analysed posts failed", len(ids))

    def _loop(self, where, scope: Scope | None, batch: int, group: bool = False) -> int:
        done = 0
        last_id = 0
        while True:
            with self.db.session() as session:
                query = select(Post).outerjoin(Analysis, Analysis.post_id == Post.id).where(Post.id > last_id)
                if scope is not None:
                    query = query.where(mode_filter(Post, scope))
                posts = session.scalars(where(query).order_by(Post.id).limit(batch)).all()
                if not posts:
                    return done
                last_id = posts[-1].id
                done += self._store(session, posts)
                scopes = _ids_by_scope(posts)
            if group:
                self._group(scopes)

    def _analyse(self, posts: Sequence[Post]) -> list[PostAnalysis]:
        """One result per post. If the batch fails, post by post: a post that fails is marked, the others go on."""
        try:
            return list(self.analyser.analyse([p.text for p in posts]))
        except Exception as exc:  # noqa: BLE001 - isolated below, post by post
            if len(posts) == 1:
                return [self._failed(posts[0], exc)]
            log.warning("analysis of a batch of %d posts failed (%s); analysing them one by one", len(posts), exc)
        results = []
        for post in posts:
            try:
                (result,) = self.analyser.analyse([post.text])
            except Exception as exc:  # noqa: BLE001
                result = self._failed(post, exc)
            results.append(result)
        return results

    @staticmethod
    def _failed(post: Post, exc: BaseException) -> PostAnalysis:
        error = f"{type(exc).__name__}: {exc}"
        log.error("analysis of post %d (%s/%s) failed, marked 未解析: %s", post.id, post.source, post.external_id, error)
        return PostAnalysis(labels=[], error=error)

    def _store(self, session, posts: Sequence[Post]) -> int:
        if not posts:
            return 0
        results = self._analyse(posts)
        now = self.clock.now()
        existing = {
            a.post_id: a for a in session.scalars(select(Analysis).where(Analysis.post_id.in_([p.id for p in posts])))
        }
        inserts: list[dict] = []
        for post, result in zip(posts, results, strict=True):
            error = getattr(result, "error", None)
            labels: list[str] = []
            review: list[str] = []
            if error is None:
                try:
                    labels = validate_labels(list(result.labels))
                except ValueError as exc:
                    error = f"analyser returned {exc}"
                else:
                    review = [x for x in getattr(result, "review", None) or () if x not in labels]
            values = dict(
                labels=labels,
                urgency=FAILED_URGENCY if error is not None else urgency(labels, review),
                status=getattr(result, "status", None) if error is None else None,
                confidence=(dict(getattr(result, "confidence", None) or {}) or None) if error is None else None,
                review=review or None,
                error=error[:MAX_ERROR] if error is not None else None,
                place=result.place,
                ward=result.ward,
                lat=result.lat,
                lon=result.lon,
                precision=result.precision,
                truncated_bytes=getattr(result, "truncated_bytes", None),
                analyser_version=self.analyser.version,
                analysed_at=now,
            )
            row = existing.get(post.id)
            if row is not None and row.precision == "operator":  # a person corrected the place: keep it
                for key in ("place", "ward", "lat", "lon", "precision"):
                    values.pop(key)
            if row is None:
                inserts.append({"post_id": post.id, **values})
            else:
                for key, value in values.items():
                    setattr(row, key, value)
        if inserts:
            # New analyses with Core executemany, and the posts' queue keys with it (what the per-row
            # models._copy_queue_keys hook does for an ORM insert): two statements for the batch.
            session.execute(Analysis.__table__.insert(), inserts)
            posts_t = Post.__table__
            session.execute(
                posts_t.update().where(posts_t.c.id == bindparam("pid"))
                .values(urgency=bindparam("new_urgency"), label_mask=bindparam("new_mask"), ward=bindparam("new_ward")),
                [{"pid": v["post_id"], "new_urgency": v["urgency"], "new_mask": label_mask(v["labels"]),
                  "new_ward": v["ward"]} for v in inserts])
        for scope, ids in _ids_by_scope(posts).items():
            changes.emit(session, changes.ANALYSED, map(ItemKey.post, ids), scope, now)
        return len(posts)


def _ids_by_scope(posts: Sequence[Post]) -> dict[Scope, list[int]]:
    grouped: dict[Scope, list[int]] = {}
    for post in posts:
        grouped.setdefault(Scope(post.mode, post.run_id), []).append(post.id)
    return grouped

