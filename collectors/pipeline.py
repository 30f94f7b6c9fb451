"""Where collected items go: ingest (store first), checkpoint, then analysis.

Every collector hands its batches to :class:`Pipeline.store`. The order is
fixed by ARCHITECTURE rule 6: the posts are committed, then the checkpoint
that covers them, then the new posts are analysed. An analysis failure is
logged and leaves the posts stored without analysis (``analyse_pending``
picks them up later); it never loses a post or a checkpoint.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import and_, select, update

from collectors.checkpoints import load_checkpoint, save_checkpoint
from disaster_desk.core.alerts import AlertRecord, AlertService
from disaster_desk.core.analysis import Analyser, AnalysisService
from disaster_desk.core.clock import Clock
from disaster_desk.core.db import Database
from disaster_desk.core.ingest import IngestResult, IngestService, RawPost, Refusal
from disaster_desk.core.models import Post
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.errors import ValidationError

log = logging.getLogger(__name__)

#: (source, external id of the duplicate, external id of the original).
DuplicateLink = tuple[str, str, str]


class Pipeline:
    """Stores what collectors bring, in one scope (real, or a drill run)."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        scope: Scope = REAL_SCOPE,
        analyser_provider: Callable[[], Analyser] | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.scope = scope
        self.ingest_service = IngestService(db, clock, scope)
        self.alert_service = AlertService(db, clock, scope)
        self._analyser_provider = analyser_provider
        self._analysis: AnalysisService | None = None
        # Collectors run in several scheduler threads; the NLP model is used by one at a time.
        self._analysis_lock = threading.Lock()
        self.analysis_errors = 0

    # -- checkpoints -------------------------------------------------------
    def checkpoint(self, key: str) -> dict[str, Any] | None:
        return load_checkpoint(self.db, self._key(key))

    def save_checkpoint(self, key: str, cursor: dict[str, Any] | None) -> None:
        save_checkpoint(self.db, self._key(key), cursor, self.clock)

    def _key(self, key: str) -> str:
        # Drill runs replaying the same file keep their own place.
        return key if not self.scope.is_drill else f"{self.scope.run_id[:24]}/{key}"[:64]

    # -- posts -------------------------------------------------------------
    def store(
        self,
        posts: Sequence[RawPost],
        *,
        checkpoint: tuple[str, dict[str, Any] | None] | None = None,
        duplicates: Sequence[DuplicateLink] = (),
        what: str = "post",
    ) -> IngestResult:
        """Validate, store, checkpoint, analyse.

        Invalid posts, and posts the database refuses, are logged naming them,
        listed in ``result.refused`` and left behind: the checkpoint moves past them.
        """
        good = []
        invalid = []
        for post in posts:
            try:
                post.validate()
            except ValidationError as exc:
                log.error("%s %s/%s skipped: %s", what, post.source, post.external_id, exc)
                invalid.append(Refusal(post.source, str(post.external_id), str(exc)))
                continue
            good.append(post)
        result = self.ingest_service.ingest(good)
        result.refused[:0] = invalid
        if duplicates:
            self._link_duplicates(duplicates)
        if checkpoint is not None:
            self.save_checkpoint(*checkpoint)
        if result.new_ids:
            self.analyse(result.new_ids)
        return result

    def _link_duplicates(self, links: Sequence[DuplicateLink]) -> None:
        """Collapse retweets/boosts onto their original post (``Post.duplicate_of``)."""
        with self.db.session() as session:
            for source, dup_id, orig_id in links:
                original = session.scalar(
                    select(Post.id).where(
                        Post.run_id == self.scope.run_id, Post.source == source, Post.external_id == orig_id
                    )
                )
                if original is None:
                    continue
                session.execute(
                    update(Post)
                    .where(
                        and_(
                            Post.run_id == self.scope.run_id,
                            Post.source == source,
                            Post.external_id == dup_id,
                            Post.duplicate_of.is_(None),
                            Post.id != original,
                        )
                    )
                    .values(duplicate_of=original)
                    .execution_options(synchronize_session=False)
                )

    def analyse(self, post_ids: Sequence[int]) -> int:
        if self._analyser_provider is None:
            return 0
        try:
            with self._analysis_lock:
                return self._service().analyse_ids(post_ids)
        except Exception:
            # Store first: the posts are committed; analysis can be redone (analyse_pending).
            self.analysis_errors += 1
            log.exception("analysis of %d stored posts failed; they stay pending", len(post_ids))
            return 0

    def analyse_pending(self) -> int:
        """Catch up on stored posts that were never analysed (e.g. after an analysis failure)."""
        if self._analyser_provider is None:
            return 0
        try:
            with self._analysis_lock:
                return self._service().analyse_pending(self.scope)
        except Exception:
            self.analysis_errors += 1
            log.exception("catch-up analysis failed")
            return 0

    def group_pending(self) -> int:
        """The periodic grouping pass: posts a failed or interrupted grouping left without their incident."""
        from disaster_desk.core.grouping import GroupingService

        try:
            return len(GroupingService(self.db, self.clock, self.scope).group_ungrouped())
        except Exception:
            log.exception("periodic grouping pass failed")
            return 0

    def _service(self) -> AnalysisService:
        if self._analysis is None:
            assert self._analyser_provider is not None
            self._analysis = AnalysisService(self.db, self._analyser_provider(), self.clock)
        return self._analysis

    # -- official alerts ---------------------------------------------------
    def store_alerts(
        self, alerts: Sequence[AlertRecord], *, checkpoint: tuple[str, dict[str, Any] | None] | None = None
    ) -> int:
        added = self.alert_service.store(alerts)
        if checkpoint is not None:
            self.save_checkpoint(*checkpoint)
        return added
