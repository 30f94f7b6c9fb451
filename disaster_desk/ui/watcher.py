"""Learning of new rows: a cheap poll of the newest ids on a QTimer and, on
PostgreSQL, LISTEN/NOTIFY through :mod:`disaster_desk.core.listener` in a
worker thread. Both end in one signal, ``changed(set_of_table_names)``.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy import func, select

from disaster_desk.core.db import Database
from disaster_desk.core.models import Analysis, AuditEntry, OfficialAlert, Post, Report, ShareEvent

log = logging.getLogger(__name__)

#: table name → (model, column whose max tells of a change). Edits of existing rows by
#: people (triage, report edits) also write an audit entry; a re-analysis of old posts
#: shows on the next change or filter.
WATCHED = {
    "posts": (Post, Post.id),
    "analyses": (Analysis, Analysis.id),  # a primary key: max() is an index lookup
    "reports": (Report, Report.id),
    "share_events": (ShareEvent, ShareEvent.id),
    "audit_log": (AuditEntry, AuditEntry.id),
    "official_alerts": (OfficialAlert, OfficialAlert.id),
}


def newest_marks(db: Database) -> dict[str, Any]:
    """The newest id (or time) of each watched table, in one round trip."""
    columns = [select(func.max(col)).scalar_subquery().label(name) for name, (_m, col) in WATCHED.items()]
    with db.session() as session:
        row = session.execute(select(*columns)).one()
    return dict(zip(WATCHED, row, strict=True))


class ListenAdapter(QObject):
    """Wraps the Qt-free :class:`disaster_desk.core.listener.ChangeListener` (its own
    daemon thread) in a signal: the callback runs in the listener thread and only
    emits, so the payload reaches slots in the GUI thread (queued connection)."""

    notified = Signal(dict)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from disaster_desk.core.listener import ChangeListener

        url = db.engine.url.render_as_string(hide_password=False)
        self.listener = ChangeListener(url, self._emit)

    def _emit(self, payload: dict[str, Any]) -> None:
        try:
            self.notified.emit(payload)
        except RuntimeError:  # the adapter was deleted with its window
            pass

    def start(self) -> None:
        self.listener.start()

    def stop(self) -> None:
        self.listener.stop()


class ChangeWatcher(QObject):
    """Emits ``changed`` with the names of tables that got new or changed rows."""

    changed = Signal(set)

    def __init__(self, db: Database, interval_ms: int = 1500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.marks = newest_marks(db)
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.poll)
        self.listen: ListenAdapter | None = None

    def start(self, *, listen: bool = True) -> None:
        self.timer.start()
        if listen and self.db.is_postgres:
            try:
                self.listen = ListenAdapter(self.db, self)
            except ImportError:
                log.warning("no LISTEN helper; polling only")
                return
            self.listen.notified.connect(lambda _payload: self.poll())
            self.listen.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.listen is not None:
            self.listen.stop()
            self.listen = None

    def poll(self) -> set[str]:
        """Compare the newest marks with the last seen ones; emit what changed."""
        try:
            marks = newest_marks(self.db)
        except Exception:
            log.exception("polling for changes failed")
            return set()
        changed = {name for name, value in marks.items() if value != self.marks.get(name)}
        self.marks = marks
        if changed:
            self.changed.emit(changed)
        return changed
