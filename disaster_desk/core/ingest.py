"""The one ingest path for posts (ARCHITECTURE rules 2 and 6).

Live collectors, replayed files and drill injects all call
:meth:`IngestService.ingest`. A post is committed before any analysis, and the
same post (same source + external id, in the same scope) stored twice is one
row: the insert uses the database's own ``ON CONFLICT DO NOTHING``, so two
collectors racing on one post cannot both store it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Insert, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import InterfaceError, OperationalError

from disaster_desk.core import changes
from disaster_desk.core.clock import Clock, utc
from disaster_desk.core.db import Database
from disaster_desk.core.items import ItemKey
from disaster_desk.core.models import Post
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.text import clean_text
from disaster_desk.errors import ValidationError

log = logging.getLogger(__name__)

SOURCES = ("x", "mastodon", "bluesky", "jma", "replay", "other")
#: Characters a post may hold: X long posts reach 25,000; four times that leaves room for any source.
MAX_TEXT = 100_000
#: Key in ``raw`` that keeps a post's text as it arrived when the text boundary changed it.
ORIGINAL_TEXT = "original_text"


@dataclass
class RawPost:
    """A post as a collector hands it over, in one shape for every source.

    Built, it has passed the text boundary (:mod:`disaster_desk.core.text`):
    ``text``, ``author`` and ``external_id`` are clean, and when cleaning
    changed the text the original stays in ``raw["original_text"]``.
    """

    source: str
    external_id: str
    text: str
    author: str | None = None
    created_at: datetime | None = None
    raw: dict[str, Any] | None = None
    geo_lat: float | None = None
    geo_lon: float | None = None

    def __post_init__(self) -> None:
        if isinstance(self.text, str):
            clean = clean_text(self.text)
            if clean != self.text:
                self.raw = {**(self.raw or {}), ORIGINAL_TEXT: self.text}
                self.text = clean
        if isinstance(self.external_id, str):
            self.external_id = clean_text(self.external_id)
        if isinstance(self.author, str):
            self.author = clean_text(self.author)[:200]  # a display name: the column holds 200

    def validate(self) -> None:
        if self.source not in SOURCES:
            raise ValidationError(f"unknown source {self.source!r} (one of {', '.join(SOURCES)})", field="source")
        if not isinstance(self.external_id, str) or not self.external_id.strip():
            raise ValidationError("missing post id", field="id")
        if not isinstance(self.text, str) or not self.text.strip():
            raise ValidationError("missing or empty text", field="text")
        if len(self.text) > MAX_TEXT:
            raise ValidationError(f"text longer than {MAX_TEXT:,} characters ({len(self.text):,})", field="text")
        if len(self.external_id) > 128:
            raise ValidationError("post id longer than 128 characters", field="id")

        if (self.geo_lat is None) != (self.geo_lon is None):
            raise ValidationError("geotag needs both lat and lon", field="geo")
        if self.geo_lat is not None and not (-90 <= self.geo_lat <= 90 and -180 <= self.geo_lon <= 180):
            raise ValidationError("geotag out of range", field="geo")


class Refusal(NamedTuple):
    """A post the database refused to store, and why."""

    source: str
    external_id: str
    reason: str


@dataclass
class IngestResult:
    new_ids: list[int] = field(default_factory=list)
    duplicates: int = 0
    refused: list[Refusal] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return len(self.new_ids)


class IngestService:
    """Stores collected posts idempotently in one scope (real or a drill run)."""

    def __init__(self, db: Database, clock: Clock, scope: Scope = REAL_SCOPE) -> None:
        self.db = db
        self.clock = clock
        scope.one_run()
        self.scope = scope

    def _insert(self) -> Any:
        dialect = sqlite if self.db.engine.dialect.name == "sqlite" else postgresql
        stmt: Insert = dialect.insert(Post.__table__)
        return stmt.on_conflict_do_nothing(index_elements=["run_id", "source", "external_id"])

    def rows(self, posts: Iterable[RawPost]) -> list[dict[str, Any]]:
        """Validated row dicts for ``posts``; raises on the first invalid one."""
        now = self.clock.now()
        rows = []
        for post in posts:
            post.validate()
            rows.append(
                {
                    "source": post.source,
                    "external_id": post.external_id,
                    "author": post.author,
                    "text": post.text,
                    "created_at": utc(post.created_at) if post.created_at else None,
                    "collected_at": now,
                    "raw": post.raw,
                    "geo_lat": post.geo_lat,
                    "geo_lon": post.geo_lon,
                    "state": "new",
                    "version": 1,
                    **self.scope.columns(),
                }
            )
        return rows

    def ingest(self, posts: Iterable[RawPost]) -> IngestResult:
        """Store ``posts``; return the ids of the new rows and the rows the database refused.

        The batch is one transaction. If the database refuses it for what is in
        a row (not for being unreachable: that is raised, so the caller keeps
        its place and retries), each row is stored in its own transaction and
        only the bad ones are refused, each logged with its source id and reason.
        """
        rows = self.rows(posts)
        result = IngestResult()
        if not rows:
            return result
        # Within one batch the database sees each identity once.
        unique: dict[tuple[str, str], dict[str, Any]] = {}
        for row in rows:
            unique.setdefault((row["source"], row["external_id"]), row)
        try:
            new_ids = self._store(list(unique.values()))
        except Exception as exc:
            if _unreachable(exc):
                raise
            log.warning("a batch of %d posts was refused (%s); storing them one by one", len(unique), _reason(exc))
            new_ids = []
            for row in unique.values():
                try:
                    new_ids += self._store([row])
                except Exception as row_exc:
                    if _unreachable(row_exc):
                        raise
                    refusal = Refusal(row["source"], row["external_id"], _reason(row_exc))
                    result.refused.append(refusal)
                    log.error("post %s/%s refused by the database: %s", *refusal)
        result.new_ids = sorted(new_ids)
        result.duplicates = len(rows) - len(new_ids) - len(result.refused)
        log.debug("ingested %d new posts, %d duplicates", result.stored, result.duplicates)
        return result

    def _store(self, rows: list[dict[str, Any]]) -> list[int]:
        # A plain executemany (no RETURNING: that is 3x slower on PostgreSQL),
        # then this call's rows are read back by the batch token. Ids only
        # grow, so they all lie above the largest id seen before the insert.
        token = uuid.uuid4().hex
        rows = [{**row, "ingest_batch": token} for row in rows]
        with self.db.session() as session:
            floor = session.scalar(select(func.max(Post.id))) or 0
            session.execute(self._insert(), rows)
            new_ids = list(session.scalars(select(Post.id).where(Post.id > floor, Post.ingest_batch == token)))
            if new_ids:
                changes.emit(session, changes.STORED, map(ItemKey.post, sorted(new_ids)), self.scope, self.clock.now())
        return new_ids


def _unreachable(exc: BaseException) -> bool:
    """The database could not be reached or is busy: the batch must be retried, not refused."""
    return isinstance(exc, OperationalError | InterfaceError) or getattr(exc, "connection_invalidated", False)


def _reason(exc: BaseException) -> str:
    """One line: the driver's message when there is one."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return f"{type(orig).__name__}: {text[0] if text else ''}"[:500]
