"""Keeping a map view current from change notifications (LISTEN/NOTIFY).

:class:`MapFeed` takes the payloads of :class:`disaster_desk.core.listener.ChangeListener`
(delivered in its thread), moves them to the GUI thread with a queued signal,
and updates only the changed marker with :func:`map_item_for` — no page reload.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from disaster_desk.core.db import Database
from disaster_desk.core.items import ItemKey
from disaster_desk.core.listener import ChangeListener
from disaster_desk.core.map_items import map_item_for
from disaster_desk.core.modes import Scope
from disaster_desk.ui.i18n import current_language
from disaster_desk.ui.map.view import MapView

log = logging.getLogger(__name__)

KEY_OF = {"reports": "report", "posts": "post"}


class MapFeed(QObject):
    changed = Signal(object)  # payload dict, emitted from the listener thread
    applied = Signal(str)  # key of a marker added or updated

    def __init__(self, view: MapView, db: Database, scope: Scope, url: str | None = None) -> None:
        super().__init__(view)
        self.view = view
        self.db = db
        self.scope = scope
        self.changed.connect(self.apply)  # queued across threads: runs in the GUI thread
        if url is None and db.is_postgres:
            url = db.engine.url.render_as_string(hide_password=False)
        self.listener = ChangeListener(url, self.changed.emit) if url else None  # SQLite: nothing to hear

    def start(self) -> MapFeed:
        if self.listener is not None:
            self.listener.start()
        return self

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop()

    def apply(self, payload: dict[str, Any]) -> None:
        prefix = KEY_OF.get(payload.get("table", ""))
        if prefix is None or not isinstance(payload.get("id"), int):
            return
        if (payload.get("mode"), payload.get("run_id", "")) != (self.scope.mode, self.scope.run_id) and not (
                self.scope.is_any_drill and payload.get("mode") == "drill"):
            return
        item = map_item_for(self.db, str(ItemKey(prefix, payload["id"])), self.scope, language=current_language())
        if item is not None:
            self.view.update_item(item)
            self.applied.emit(item.key)
