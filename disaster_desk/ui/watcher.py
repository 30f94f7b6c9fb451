"""Learning of new rows: a cheap poll of the newest ids on a QTimer and, on
PostgreSQL, LISTEN/NOTIFY through :mod:`disaster_desk.core.listener` in a
worker thread. Both end in one signal, ``changed(set_of_table_names)``.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal
from sqlalchemy import func, select

from disaster_desk.core.db import Database
from disaster_desk.core.models import Analysis, AuditEntry, OfficialAlert, Post, Report, ShareEvent

log = logging.getLogger(__name__)

#: table name → (model, column whose max tells of a change)
WATCHED = {
    "posts": (Post, Post.id),
    "analyses": (Analysis, Analysis.analysed_at),
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


class _ListenThread(QThread):
    """Runs the Qt-free LISTEN helper; each notification becomes a signal."""

    notified = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.listener: Any = None

    def run(self) -> None:
        try:
            from disaster_desk.core import listener as listener_mod
        except ImportError:
            return
        try:
            self.listener = listener_mod.ChangeListener(self.db)
            for payload in self.listener.iter_changes():
                if self.isInterruptionRequested():
                    break
                table = payload.get("table", "") if isinstance(payload, dict) else str(payload)
                self.notified.emit(table)
        except Exception:
            log.exception("LISTEN helper stopped; polling continues")

    def stop(self) -> None:
        self.requestInterruption()
        if self.listener is not None and hasattr(self.listener, "close"):
            try:
                self.listener.close()
            except Exception:
                log.debug("closing listener failed", exc_info=True)
        self.wait(3000)


class ChangeWatcher(QObject):
    """Emits ``changed`` with the names of tables that got new or changed rows."""

    changed = Signal(set)

    def __init__(self, db: Database, interval_ms: int = 1500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.marks = newest_marks(db)
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.poll)
        self.listen_thread: _ListenThread | None = None

    def start(self, *, listen: bool = True) -> None:
        self.timer.start()
        if listen and self.db.is_postgres:
            self.listen_thread = _ListenThread(self.db, self)
            self.listen_thread.notified.connect(lambda _table: self.poll())
            self.listen_thread.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.listen_thread is not None:
            self.listen_thread.stop()
            self.listen_thread = None

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
