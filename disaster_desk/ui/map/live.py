"""Keeping a map view current from the change contract (:mod:`disaster_desk.core.changes`).

:class:`MapFeed` takes the changes of a :class:`disaster_desk.core.changes.ChangeSubscriber`
(delivered in its thread), moves them to the GUI thread with a queued signal,
and updates only the changed markers with :func:`map_item_for` — no page reload.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from disaster_desk.core.changes import Change, ChangeSubscriber
from disaster_desk.core.db import Database
from disaster_desk.core.map_items import map_item_for
from disaster_desk.core.modes import Scope
from disaster_desk.ui.i18n import current_language
from disaster_desk.ui.map.view import MapView

log = logging.getLogger(__name__)


class MapFeed(QObject):
    changed = Signal(object)  # a list of Change, emitted from the subscriber thread
    applied = Signal(str)  # key of a marker added or updated

    def __init__(self, view: MapView, db: Database, scope: Scope) -> None:
        super().__init__(view)
        self.view = view
        self.db = db
        self.scope = scope
        self.changed.connect(self.apply)  # queued across threads: runs in the GUI thread
        self.subscriber = ChangeSubscriber(db, self.changed.emit)

    def start(self) -> MapFeed:
        self.subscriber.start()
        return self

    def stop(self) -> None:
        self.subscriber.stop()

    def apply(self, changes: Sequence[Change]) -> None:
        for change in changes:
            if not change.visible_in(self.scope):
                continue
            for key in change.keys:
                item = map_item_for(self.db, str(key), self.scope, language=current_language())
                if item is not None:
                    self.view.update_item(item)
                    self.applied.emit(item.key)
