"""Retweet / near-duplicate collapse, and incidents the operator can merge or split.

*Duplicates*: a retweet ("RT @user: …"), a quote with the same words, or a
copy-paste of a post (after NFKC, without URLs, mentions and punctuation)
within :data:`DUPLICATE_WINDOW` of an earlier post is set
``duplicate_of = <first post>``; the queue shows the first post once with the
count. Near-duplicates: character-trigram Jaccard similarity ≥
:data:`NEAR_DUPLICATE` (catches "拡散希望" added, a changed emoji).

*Incidents*: analysed posts that share a category and the same place (ward +
place name from the analysis) within :data:`INCIDENT_WINDOW` of each other form
an :class:`~disaster_desk.core.models.Incident`. A post with no place more
precise than a ward is never grouped (a ward is too coarse to say "same
incident"). The operator merges or splits incidents; both are audited.

Automatic grouping writes ``duplicate_of``/``incident_id`` (and an incident's
``last_at``) with Core UPDATEs, so it does not bump the post's or the
incident's triage version (an operator working on a post is not told of a
conflict because a retweet of it arrived). It works in small transactions,
each retried on a conflict through :mod:`disaster_desk.core.retry`, and the
collector scheduler's periodic pass (:meth:`GroupingService.group_ungrouped`)
groups what a failed run left ungrouped.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
import unicodedata
import weakref
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, case, delete, func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from disaster_desk.core import audit, changes
from disaster_desk.core.clock import Clock
from disaster_desk.core.db import Database
from disaster_desk.core.items import ItemKey
from disaster_desk.core.models import Analysis, Incident, Post, ShareEvent
from disaster_desk.core.modes import REAL_SCOPE, Scope, mode_filter
from disaster_desk.core.retry import Backoff, call_with_retry
from disaster_desk.core.taxonomy import LABELS, URGENCY
from disaster_desk.errors import ConflictError, UserError, ValidationError

log = logging.getLogger(__name__)

DUPLICATE_WINDOW = timedelta(hours=6)
INCIDENT_WINDOW = timedelta(hours=1)
NEAR_DUPLICATE = 0.8
#: Earlier posts compared with each new one (most recent first).
MAX_CANDIDATES = 5000
#: Texts whose (key, trigrams) are kept between batches (more than the candidates of one batch).
SHINGLE_CACHE = 8192
#: Posts grouped per transaction: row locks are held briefly, so an operator never waits long.
GROUP_CHUNK = 100
#: A chunk that lost a race (an incident merged away, a lock or deadlock timeout) is tried again.
GROUPING_RETRY = Backoff(attempts=5, base_s=0.05, cap_s=2.0)
GROUPING_CONFLICTS = (StaleDataError, OperationalError, IntegrityError)

_RT = re.compile(r"^\s*(?:RT|QT)\s*@\w+\s*:?\s*", re.IGNORECASE)
_URL = re.compile(r"https?://\S+")
_MENTION = re.compile(r"@\w+")
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """Text reduced to what makes two posts 'the same words'."""
    text = unicodedata.normalize("NFKC", text)
    while _RT.match(text):
        text = _RT.sub("", text, count=1)
    text = _URL.sub("", text)
    text = _MENTION.sub("", text)
    return _NOISE.sub("", text).lower()


def trigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 3] for i in range(max(1, len(text) - 2)))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@lru_cache(maxsize=SHINGLE_CACHE)
def shingles(text: str) -> tuple[str, frozenset[str]]:
    """(normalised key, its trigrams) of a post's text; cached, since a post is a candidate for hours."""
    key = normalise(text or "")
    return key, trigrams(key)


def probe_size(size: int, threshold: float = NEAR_DUPLICATE) -> int:
    """How many of a set's tokens to look up so that every set with Jaccard similarity >= ``threshold``
    holds one of them: such a set shares at least ceil(t * |x|) tokens, so it cannot miss
    |x| - ceil(t * |x|) + 1 of them (any of them: the rarest are looked up)."""
    return size - math.ceil(threshold * size - 1e-9) + 1


class DuplicateIndex:
    """Earlier posts by exact key and by every trigram (an inverted index).

    :meth:`root` gives what the one-by-one comparison gave: the earliest post with the
    same key, or (for a key of at least 8 characters) with trigram similarity >=
    :data:`NEAR_DUPLICATE`, within :data:`DUPLICATE_WINDOW` — among the posts of ``live``
    when it is given (the index may hold posts that have since left the candidates).
    Only posts holding enough of the new post's rarest trigrams are compared: with P the
    :func:`probe_size` rarest, a post y can reach the threshold only if it holds at least
    ceil(t (|x| + |y|) / (1 + t)) - (|x| - |P|) of P.
    """

    def __init__(self) -> None:
        self._by_key: dict[str, list[tuple[int, Any]]] = {}
        self._by_gram: dict[str, list[int]] = {}
        self._entries: dict[int, tuple[Any, frozenset[str]]] = {}
        self._sizes: dict[int, int] = {}
        self.ids: set[int] = set()

    def add(self, pid: int, at: Any, key: str, grams: frozenset[str]) -> None:
        if pid in self.ids:
            return
        self.ids.add(pid)
        if key:
            self._by_key.setdefault(key, []).append((pid, at))
        self._entries[pid] = (at, grams)
        self._sizes[pid] = len(grams)
        for gram in grams:
            self._by_gram.setdefault(gram, []).append(pid)

    def root(self, pid: int, at: Any, key: str, grams: frozenset[str], live: set[int] | None = None) -> int | None:
        best: int | None = None
        for other, other_at in self._by_key.get(key, ()) if key else ():
            if other < pid and (best is None or other < best) and abs(at - other_at) <= DUPLICATE_WINDOW and \
                    (live is None or other in live):
                best = other
        if len(key) < 8:
            return best
        lists = sorted((self._by_gram.get(gram, ()) for gram in grams), key=len)[: probe_size(len(grams))]
        hits: Counter[int] = Counter()
        for ids in lists:
            hits.update(ids)  # counted in C
        # y can reach the threshold only if |P & y| + |x - P| >= t (|x| + |y|) / (1 + t)
        unseen, size, c, sizes = len(grams) - len(lists), len(grams), NEAR_DUPLICATE / (1 + NEAR_DUPLICATE), self._sizes
        limit = pid if best is None else best
        for other in sorted(o for o, n in hits.items() if o < limit and n + unseen >= c * (size + sizes[o]) - 1e-9):
            other_at, other_grams = self._entries[other]
            if (live is None or other in live) and abs(at - other_at) <= DUPLICATE_WINDOW and \
                    similarity(grams, other_grams) >= NEAR_DUPLICATE:
                return other
        return best


class _Candidates:
    """One scope's earlier posts as the duplicate check saw them last: (collected_at, text length,
    key, trigrams) by id, and their index; kept between batches so only new candidates are read."""

    def __init__(self) -> None:
        self.entries: dict[int, tuple[Any, int, str, frozenset[str]]] = {}
        self.index = DuplicateIndex()
        self.lock = threading.Lock()  # one grouping of the scope at a time uses it

    def renew(self) -> None:
        """A fresh index over the entries still wanted (when dropped ones outnumber them)."""
        self.index = DuplicateIndex()
        for pid, (at, _n, key, grams) in sorted(self.entries.items()):
            self.index.add(pid, at, key, grams)


#: Per database and scope (weakly: a closed database takes its cache with it).
_CANDIDATES: weakref.WeakKeyDictionary[Database, dict[Scope, _Candidates]] = weakref.WeakKeyDictionary()
_CANDIDATES_LOCK = threading.Lock()


def _candidates(db: Database, scope: Scope) -> _Candidates:
    with _CANDIDATES_LOCK:
        return _CANDIDATES.setdefault(db, {}).setdefault(scope, _Candidates())


def primary_label(labels: Sequence[str]) -> str:
    """The most urgent label (ties: spec order)."""
    return max((lb for lb in labels), key=lambda lb: (URGENCY.get(lb, 0), -LABELS.index(lb)), default="none")


class GroupingService:
    def __init__(self, db: Database, clock: Clock, scope: Scope = REAL_SCOPE) -> None:
        scope.one_run("grouping works within one run")
        self.db = db
        self.clock = clock
        self.scope = scope

    def process(self, post_ids: Sequence[int]) -> tuple[int, list[int]]:
        """After new posts are analysed: collapse duplicates, then group incidents.

        The pipeline hook (collector / drill engine, after ``AnalysisService.analyse_ids``).
        Returns (posts collapsed, incident ids touched).
        """
        collapsed = self.collapse_duplicates(post_ids)
        return collapsed, self.group_incidents(post_ids)

    # -- duplicates ----------------------------------------------------------
    def collapse_duplicates(self, post_ids: Sequence[int]) -> int:
        """Link each of ``post_ids`` to an earlier post with the same (or nearly the same) words.

        The root is the earliest such post within :data:`DUPLICATE_WINDOW` (of the
        :data:`MAX_CANDIDATES` most recent). The earlier posts are looked up in a
        :class:`DuplicateIndex` kept between batches for this database and scope
        (only the candidates it has not seen, or whose text length changed, are read
        with their text), not compared one by one.
        """
        cache = _candidates(self.db, self.scope)
        with cache.lock:
            return self._collapse(post_ids, cache)

    def prepare(self) -> int:
        """Read and index the duplicate candidates of the last :data:`DUPLICATE_WINDOW` now (a long-running
        pipeline does it once, at start, as it loads its models); returns how many. Optional: the first
        :meth:`collapse_duplicates` does it otherwise."""
        cache = _candidates(self.db, self.scope)
        with cache.lock, self.db.session() as session:
            since = self.clock.now() - DUPLICATE_WINDOW
            rows = session.execute(
                select(Post.id, Post.text, Post.collected_at, func.length(Post.text)).where(
                    mode_filter(Post, self.scope), Post.duplicate_of.is_(None), Post.collected_at >= since,
                ).order_by(Post.id.desc()).limit(MAX_CANDIDATES)).all()
            for pid, text, at, n in sorted(rows):
                cache.entries[pid] = (at, n, *shingles(text))
                cache.index.add(pid, at, *shingles(text))
        return len(rows)

    def _collapse(self, post_ids: Sequence[int], cache: _Candidates) -> int:
        collapsed_ids: list[int] = []
        with self.db.session() as session:
            new = session.execute(
                select(Post.id, Post.text, Post.collected_at, func.length(Post.text).label("n")).where(
                    Post.id.in_(list(post_ids)), mode_filter(Post, self.scope), Post.duplicate_of.is_(None)
                ).order_by(Post.id)
            ).all()
            if not new:
                return 0
            earliest = min(row.collected_at for row in new) - DUPLICATE_WINDOW
            new_ids = {row.id for row in new}
            listed = session.execute(
                select(Post.id, func.length(Post.text)).where(
                    mode_filter(Post, self.scope), Post.duplicate_of.is_(None), Post.collected_at >= earliest,
                    Post.id < new[-1].id,
                ).order_by(Post.id.desc()).limit(MAX_CANDIDATES)
            ).all()
            live = {pid for pid, _n in listed if pid not in new_ids}
            lengths = dict(listed)
            stale = [pid for pid in live if pid not in cache.entries or cache.entries[pid][1] != lengths[pid]]
            changed = any(pid in cache.entries for pid in stale)  # its old trigrams are in the index
            for start in range(0, len(stale), 900):
                for pid, text, at in session.execute(select(Post.id, Post.text, Post.collected_at)
                                                     .where(Post.id.in_(stale[start:start + 900]))):
                    cache.entries[pid] = (at, lengths[pid], *shingles(text))
                    cache.index.ids.discard(pid)
            fresh = [(row.id, row.collected_at, row.n, *shingles(row.text)) for row in new]
            for pid in [pid for pid in cache.entries if pid not in live]:
                del cache.entries[pid]
            if changed or len(cache.index.ids) > 2 * len(live) + 1000:
                cache.renew()
            for pid in sorted(live - cache.index.ids):
                at, _n, key, grams = cache.entries[pid]
                cache.index.add(pid, at, key, grams)
            posts = Post.__table__
            for pid, at, n, key, grams in fresh:
                root = cache.index.root(pid, at, key, grams, live)
                if root is not None:
                    session.execute(posts.update().where(posts.c.id == pid).values(duplicate_of=root))
                    collapsed_ids.append(pid)
                else:
                    live.add(pid)
                    cache.entries[pid] = (at, n, key, grams)
                    cache.index.add(pid, at, key, grams)
            changes.emit(session, changes.GROUPED, map(ItemKey.post, collapsed_ids), self.scope, self.clock.now())
        log.debug("collapsed %d duplicates", len(collapsed_ids))
        return len(collapsed_ids)

    # -- incidents -------------------------------------------------------------
    def group_incidents(self, post_ids: Sequence[int] | None = None) -> list[int]:
        """Attach posts to incidents (creating them for a second matching post); returns touched incident ids.

        Works in transactions of :data:`GROUP_CHUNK` posts, each retried on a
        conflict (:data:`GROUPING_RETRY`): a merge deleting the incident a post
        was about to join, a lock or deadlock timeout against an operator.
        Posts are written with Core UPDATEs guarded by ``incident_id IS NULL``
        and never loaded as ORM objects, so the triage version is not bumped
        and an operator's action on the same post is never refused for it.
        """
        ids = self._ungrouped(post_ids)
        touched: list[int] = []
        for start in range(0, len(ids), GROUP_CHUNK):
            chunk = ids[start : start + GROUP_CHUNK]
            for incident in call_with_retry(lambda chunk=chunk: self._group_chunk(chunk), backoff=GROUPING_RETRY,
                                            sleep=time.sleep, retry_on=GROUPING_CONFLICTS,
                                            what=f"grouping of {len(chunk)} posts"):
                if incident not in touched:
                    touched.append(incident)
        return touched

    def group_ungrouped(self, within: timedelta = DUPLICATE_WINDOW) -> list[int]:
        """The periodic pass: group relevant posts of the last ``within`` that could join an incident but did not.

        Catches what a failed or interrupted pipeline grouping left behind.
        Only posts with a possible match (another ungrouped post or an open
        incident with the same place, ward and a shared label in the window)
        are handed to :meth:`group_incidents`, so the pass stays cheap when
        nothing was left.
        """
        since = self.clock.now() - within
        with self.db.session() as session:
            rows = session.execute(
                select(Post.id, Post.label_mask, Post.ward, Analysis.place, Post.collected_at)
                .join(Analysis, Analysis.post_id == Post.id)
                .where(mode_filter(Post, self.scope), Post.urgency > 0, Post.duplicate_of.is_(None),
                       Post.incident_id.is_(None), Analysis.place.is_not(None), Post.collected_at >= since)
                .order_by(Post.collected_at, Post.id)
            ).all()
            if not rows:
                return []
            open_incidents = session.execute(
                select(Incident.label, Incident.ward, Incident.place, Incident.last_at).where(
                    mode_filter(Incident, self.scope), Incident.state != "closed",
                    Incident.last_at >= since - INCIDENT_WINDOW)
            ).all()
        by_place: dict[tuple[str | None, str], list[Any]] = {}
        for row in rows:
            by_place.setdefault((row.ward, row.place), []).append(row)
        for incident in open_incidents:
            by_place.setdefault((incident.ward, incident.place), [])
        candidates = []
        for row in rows:
            for other in by_place[(row.ward, row.place)]:
                if other.id != row.id and other.label_mask & row.label_mask and \
                        abs(other.collected_at - row.collected_at) <= INCIDENT_WINDOW:
                    candidates.append(row.id)
                    break
            else:
                if any(inc.ward == row.ward and inc.place == row.place and
                       row.label_mask & (1 << LABELS.index(inc.label)) and
                       inc.last_at >= row.collected_at - INCIDENT_WINDOW for inc in open_incidents):
                    candidates.append(row.id)
        if candidates:
            log.info("grouping pass: %d ungrouped posts may join an incident", len(candidates))
        return self.group_incidents(candidates) if candidates else []

    def _ungrouped(self, post_ids: Sequence[int] | None) -> list[int]:
        """Ids of the posts to group, oldest first (a short read of its own)."""
        query = (
            select(Post.id, Post.collected_at).join(Analysis, Analysis.post_id == Post.id)
            .where(mode_filter(Post, self.scope), Post.urgency > 0, Post.duplicate_of.is_(None),
                   Post.incident_id.is_(None), Analysis.place.is_not(None))
        )
        found: list[Any] = []
        with self.db.session() as session:
            if post_ids is None:
                found = list(session.execute(query))
            else:
                wanted = list(dict.fromkeys(post_ids))
                for start in range(0, len(wanted), 1000):
                    found += session.execute(query.where(Post.id.in_(wanted[start : start + 1000]))).all()
        return [row.id for row in sorted(found, key=lambda row: (row.collected_at, row.id))]

    def _group_chunk(self, post_ids: Sequence[int]) -> list[int]:
        """One transaction: the chunk's posts, the open incidents and the ungrouped posts of their places
        read once (three queries), matched here, then written (incidents inserted, the rest executemany)."""
        touched: list[int] = []
        attached: list[int] = []
        with self.db.session() as session:
            rows = session.execute(
                select(Post.id, Post.collected_at, Analysis.labels, Analysis.place, Analysis.ward, Analysis.lat,
                       Analysis.lon)
                .join(Analysis, Analysis.post_id == Post.id)
                .where(Post.id.in_(list(post_ids)), Post.incident_id.is_(None), Post.duplicate_of.is_(None),
                       Post.urgency > 0, Analysis.place.is_not(None))
                .order_by(Post.collected_at, Post.id)
            ).all()
            if rows:
                places = sorted({row.place for row in rows})
                since = min(row.collected_at for row in rows) - INCIDENT_WINDOW
                until = max(row.collected_at for row in rows)
                incidents = [dict(r._mapping) for r in session.execute(
                    select(Incident.id, Incident.label, Incident.ward, Incident.place, Incident.last_at, Incident.lat)
                    .where(mode_filter(Incident, self.scope), Incident.place.in_(places), Incident.last_at >= since,
                           Incident.state != "closed"))]
                partners = list(session.execute(
                    select(Post.id, Post.label_mask, Post.collected_at, Post.ward, Analysis.place, Analysis.lat,
                           Analysis.lon)
                    .join(Analysis, Analysis.post_id == Post.id)
                    .where(mode_filter(Post, self.scope), Post.incident_id.is_(None), Post.duplicate_of.is_(None),
                           Post.label_mask != 0, Analysis.place.in_(places), Post.collected_at >= since,
                           Post.collected_at <= until)))
                chunk = _Chunk(incidents, partners)
                for row in rows:
                    if row.id in chunk.grouped:
                        continue  # attached as the partner of an earlier post of this chunk
                    incident = self._attach(session, row, chunk)
                    if incident is not None and incident not in touched:
                        touched.append(incident)
                chunk.write(session)
                attached = chunk.attached
            keys = [*map(ItemKey.incident, touched), *map(ItemKey.post, attached)]
            changes.emit(session, changes.GROUPED, keys, self.scope, self.clock.now())
        return touched

    def _attach(self, session: Any, post: Any, chunk: _Chunk) -> int | None:
        """Attach one post (a row of id, collected_at and its analysis' labels/place/ward/lat/lon):
        to the open incident of its place with a shared label seen last within the window, else with
        the earliest ungrouped post of its place with a shared label in the window before it."""
        labels = [lb for lb in post.labels if lb != "none"]
        since = post.collected_at - INCIDENT_WINDOW
        found = max((inc for inc in chunk.incidents.get(post.place, ()) if inc["label"] in labels and
                     inc["ward"] == post.ward and inc["last_at"] >= since), key=lambda inc: inc["last_at"],
                    default=None)
        if found is None:
            mask = sum(1 << LABELS.index(lb) for lb in labels)
            partner = min((other for other in chunk.partners.get(post.place, ()) if other.id != post.id and
                           other.id not in chunk.grouped and other.label_mask & mask and
                           other.ward == post.ward and since <= other.collected_at <= post.collected_at),
                          key=lambda other: (other.collected_at, other.id), default=None)
            if partner is None:
                return None
            shared = [lb for lb in labels if partner.label_mask & (1 << LABELS.index(lb))]
            located = (partner.lat, partner.lon) if partner.lat is not None else (post.lat, post.lon)
            incidents = Incident.__table__
            incident_id = session.execute(
                incidents.insert().values(label=primary_label(shared), ward=post.ward, place=post.place,
                                          lat=located[0], lon=located[1], first_at=partner.collected_at,
                                          last_at=post.collected_at, state="new", version=1,
                                          **self.scope.columns()).returning(incidents.c.id)
            ).scalar_one()
            chunk.incidents.setdefault(post.place, []).append(
                {"id": incident_id, "label": primary_label(shared), "ward": post.ward, "place": post.place,
                 "last_at": post.collected_at, "lat": located[0]})
            chunk.attach(partner.id, incident_id)
        else:
            incident_id = found["id"]
            if found["last_at"] < post.collected_at:
                found["last_at"] = post.collected_at
                chunk.last_at[incident_id] = post.collected_at
            if found["lat"] is None and post.lat is not None:
                found["lat"] = post.lat
                chunk.located[incident_id] = (post.lat, post.lon)
        chunk.attach(post.id, incident_id)
        return incident_id

    # -- operator actions --------------------------------------------------------
    def merge(self, target_id: int, other_ids: Sequence[int], *, actor: str) -> int:
        """Fold ``other_ids`` into ``target_id`` (posts and shares move; the others are deleted)."""
        others = [i for i in dict.fromkeys(other_ids) if i != target_id]
        if not others:
            raise ValidationError("choose at least one other incident to merge", field="incidents")
        now = self.clock.now()
        with self.db.session() as session:
            target = self._incident(session, target_id)
            rows = [self._incident(session, i) for i in others]
            moved = list(session.scalars(select(Post.id).where(Post.incident_id.in_(others))))
            before = {"target": _describe(target), "merged": [_describe(r) for r in rows]}
            session.execute(update(Post.__table__).where(Post.__table__.c.incident_id.in_(others))
                            .values(incident_id=target_id))
            session.execute(update(ShareEvent).where(ShareEvent.item_type == "incident",
                                                     ShareEvent.item_id.in_(others)).values(item_id=target_id))
            target.first_at = min([target.first_at] + [r.first_at for r in rows])
            target.last_at = max([target.last_at] + [r.last_at for r in rows])
            session.execute(delete(Incident).where(Incident.id.in_(others)))
            session.flush()
            audit.record(session, at=now, actor=actor, action="incident.merge", item_type="incident",
                         item_id=target_id, scope=self.scope, before=before,
                         after={"target": _describe(target), "moved_posts": moved})
            changes.emit(session, changes.GROUPED, [*map(ItemKey.incident, [target_id, *others]),
                                                    *map(ItemKey.post, moved)], self.scope, now)
            return target.version

    def split(self, incident_id: int, post_ids: Sequence[int], *, actor: str) -> int:
        """Move ``post_ids`` out of an incident into a new one; returns the new incident's id."""
        chosen = list(dict.fromkeys(post_ids))
        now = self.clock.now()
        with self.db.session() as session:
            source = self._incident(session, incident_id)
            members = set(session.scalars(select(Post.id).where(Post.incident_id == incident_id)))
            foreign = [p for p in chosen if p not in members]
            if not chosen or foreign:
                raise ValidationError(f"posts {foreign or chosen} are not in incident {incident_id}", field="posts")
            if members <= set(chosen):
                raise ValidationError("a split must leave at least one post in the incident", field="posts")
            first = session.execute(
                select(Analysis.place, Analysis.ward, Analysis.lat, Analysis.lon)
                .where(Analysis.post_id.in_(chosen)).limit(1)
            ).first()
            new = Incident(label=source.label, ward=first.ward if first else source.ward,
                           place=first.place if first else source.place, lat=first.lat if first else None,
                           lon=first.lon if first else None, first_at=source.first_at, last_at=source.last_at,
                           **self.scope.columns())
            session.add(new)
            session.flush()
            session.execute(update(Post.__table__).where(Post.__table__.c.id.in_(chosen)).values(incident_id=new.id))
            for incident in (source, new):
                bounds = session.execute(select(func.min(Post.collected_at), func.max(Post.collected_at))
                                         .where(Post.incident_id == incident.id)).one()
                incident.first_at, incident.last_at = bounds
            session.flush()
            audit.record(session, at=now, actor=actor, action="incident.split", item_type="incident",
                         item_id=incident_id, scope=self.scope, before={"posts": sorted(members)},
                         after={"posts": sorted(members - set(chosen)), "new_incident": new.id,
                                "new_posts": chosen})
            changes.emit(session, changes.GROUPED, [ItemKey.incident(incident_id), ItemKey.incident(new.id),
                                                    *map(ItemKey.post, chosen)], self.scope, now)
            return new.id

    def _incident(self, session: Any, incident_id: int) -> Incident:
        row = session.scalar(select(Incident).where(Incident.id == incident_id, mode_filter(Incident, self.scope)))
        if row is None:
            raise UserError(f"incident {incident_id} not found")
        if row.state == "closed":
            raise ConflictError(f"incident {incident_id} is closed")
        return row


class _Chunk:
    """What one grouping transaction read (open incidents and ungrouped posts by place) and will write."""

    def __init__(self, incidents: list[dict[str, Any]], partners: list[Any]) -> None:
        self.incidents: dict[str, list[dict[str, Any]]] = {}
        for incident in incidents:
            self.incidents.setdefault(incident["place"], []).append(incident)
        self.partners: dict[str, list[Any]] = {}
        for post in partners:
            self.partners.setdefault(post.place, []).append(post)
        self.grouped: dict[int, int] = {}  # post id -> incident id
        self.attached: list[int] = []
        self.last_at: dict[int, Any] = {}
        self.located: dict[int, tuple[float, float]] = {}

    def attach(self, post_id: int, incident_id: int) -> None:
        self.grouped[post_id] = incident_id
        self.attached.append(post_id)

    def write(self, session: Any) -> None:
        """The posts' incident ids (guarded by ``incident_id IS NULL``) and the incidents' last_at and place,
        with Core statements (no version bump), each one executemany."""
        posts, incidents = Post.__table__, Incident.__table__
        if self.grouped:
            session.execute(posts.update().where(posts.c.id == bindparam("pid"), posts.c.incident_id.is_(None))
                            .values(incident_id=bindparam("iid")),
                            [{"pid": pid, "iid": iid} for pid, iid in self.grouped.items()])
        if self.last_at:
            at = bindparam("at")
            session.execute(incidents.update().where(incidents.c.id == bindparam("iid"))
                            .values(last_at=case((incidents.c.last_at < at, at), else_=incidents.c.last_at)),
                            [{"iid": iid, "at": at} for iid, at in self.last_at.items()])
        if self.located:
            session.execute(incidents.update().where(incidents.c.id == bindparam("iid"), incidents.c.lat.is_(None))
                            .values(lat=bindparam("new_lat"), lon=bindparam("new_lon")),
                            [{"iid": iid, "new_lat": lat, "new_lon": lon} for iid, (lat, lon) in self.located.items()])


def _same(column: Any, value: Any) -> Any:
    return column.is_(None) if value is None else column == value


def _describe(incident: Incident) -> dict[str, Any]:
    return {"id": incident.id, "label": incident.label, "ward": incident.ward, "place": incident.place,
            "first_at": incident.first_at.isoformat(), "last_at": incident.last_at.isoformat()}
