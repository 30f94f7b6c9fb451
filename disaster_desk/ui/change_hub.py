"""Hearing the change contract in the window (:mod:`disaster_desk.core.changes`).

A :class:`ChangeHub` owns one :class:`~disaster_desk.core.changes.ChangeSubscriber`
(its own thread: LISTEN on PostgreSQL, a read by id of the changes table on
SQLite) and re-emits the changes of the window's scope in the GUI thread as
``changed(list[Change])``. Nothing here polls tables on the GUI thread; the
changed markers are re-read by key on the worker pool (:meth:`ChangeHub.read_markers`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from disaster_desk.core.changes import Change, ChangeFeed, ChangeSubscriber
from disaster_desk.core.db import Database
from disaster_desk.core.items import POST, REPORT, ItemKey
from disaster_desk.core.modes import REAL_SCOPE, Scope

log = logging.getLogger(__name__)


class ChangeHub(QObject):
    """Changes of ``scope`` delivered in the GUI thread."""

    #: list[Change] of the hub's scope, in the GUI thread.
    changed = Signal(list)
    #: Changes heard by the subscriber thread within this many milliseconds are delivered together.
    COALESCE_MS = 150
    _heard = Signal(object)  # emitted from the subscriber thread; queued to the GUI thread

    def __init__(self, db: Database, runner: Any, scope: Scope = REAL_SCOPE, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.runner = runner
        self.scope = scope
        self.subscriber: ChangeSubscriber | None = None
        self._feed: ChangeFeed | None = None
        # What the subscriber thread hears within COALESCE_MS of a delivery is handed on as one batch: on
        # PostgreSQL each NOTIFY arrives alone (an ingest, its analysis, its grouping: three or more per
        # batch of posts), and each delivery costs the window a queue read and a marker read.
        self._waiting: list[Change] = []
        self._gather = QTimer(self, singleShot=True, interval=self.COALESCE_MS)
        self._gather.timeout.connect(self._flush)
        self._heard.connect(self._collect)
        self.runner.submit(lambda _ctx: ChangeFeed(db), on_done=self._set_feed)

    def _set_feed(self, feed: ChangeFeed) -> None:
        self._feed = self._feed or feed

    def start(self) -> None:
        """Hear changes in a background thread (the window's normal mode)."""
        if self.subscriber is None:
            after = self._feed.last_id if self._feed is not None else None
            self.subscriber = ChangeSubscriber(self.db, self._emit, after=after).start()

    def stop(self) -> None:
        if self.subscriber is not None:
            self.subscriber.stop()
            self.subscriber = None

    def _emit(self, changes: Sequence[Change]) -> None:
        try:
            self._heard.emit(list(changes))
        except RuntimeError:  # the hub was deleted with its window
            pass

    def _collect(self, changes: Sequence[Change]) -> None:
        """The first changes after a quiet spell go on at once; what follows within COALESCE_MS waits for
        the end of it and goes on as one batch."""
        if self._gather.isActive():
            self._waiting.extend(changes)
            return
        self._gather.start()
        self._deliver(changes)

    def _flush(self) -> None:
        changes, self._waiting = self._waiting, []
        if changes:
            self._gather.start()
            self._deliver(changes)

    def poll(self) -> None:
        """Read what changed since the last read, on the worker pool (tests and hubs not started)."""
        if self.subscriber is not None:
            return
        feed = self._feed
        if feed is None:
            return
        self.runner.submit(lambda _ctx: feed.catch_up(), on_done=self._deliver)

    def set_scope(self, scope: Scope) -> None:
        self.scope = scope

    def _deliver(self, changes: Sequence[Change]) -> None:
        mine = [c for c in changes if c.visible_in(self.scope)]
        if mine:
            self.changed.emit(mine)

    def read_markers(self, keys: set[ItemKey], read: Callable[[list[str]], dict[str, Any]],
                     apply: Callable[[dict[str, Any]], None]) -> None:
        """Re-read the markers of ``keys`` with ``read(keys)`` (one batch) on the worker pool;
        ``apply({key: item or None})``."""
        wanted = sorted(str(k) for k in keys if k.type in (POST, REPORT))
        if wanted:
            self.runner.submit(lambda _ctx: read(wanted), on_done=apply)


def keys_of(changes: Sequence[Change]) -> set[ItemKey]:
    return {key for change in changes for key in change.keys}
