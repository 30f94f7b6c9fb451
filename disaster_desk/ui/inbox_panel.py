"""A ward station's inbox: items HQ shared with its ward, unread ones marked.

Reads and marks through :class:`disaster_desk.core.sharing.SharingService`,
on the runner; the table follows in the GUI thread.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from disaster_desk.core.clock import JST, Clock
from disaster_desk.core.db import Database
from disaster_desk.core.items import ItemKey
from disaster_desk.core.modes import Scope
from disaster_desk.core.sharing import SharingService
from disaster_desk.ui.workers import LatestRead, default_runner

log = logging.getLogger(__name__)


class InboxPanel(QWidget):
    item_opened = Signal(str)  # "post:12"

    def __init__(self, db: Database, scope: Scope, clock: Clock, ward: str | None, actor: str, parent=None, *,
                 runner: Any = None) -> None:
        super().__init__(parent)
        self.db, self.scope, self.clock, self.ward, self.actor = db, scope, clock, ward, actor
        self.runner = default_runner(runner)
        self.reads = LatestRead(self.runner)
        self.heading = QLabel(self)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels([self.tr("未読"), self.tr("共有"), self.tr("項目"), self.tr("内容")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.cellActivated.connect(self._open)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)
        self.entries: list[Any] = []
        self.refresh()

    def set_scope(self, scope: Scope, clock: Clock | None = None) -> None:
        self.scope = scope
        self.clock = clock or self.clock
        self.refresh()

    def unread(self) -> int:
        return sum(1 for e in self.entries if e.read_at is None)

    def refresh(self) -> None:
        if not self.ward:
            self.entries = []
            self.heading.setText(self.tr("区が設定されていません (設定: station_ward)"))
            self.table.setRowCount(0)
            return
        service, ward = SharingService(self.db, self.clock, self.scope), self.ward
        self.reads.submit(lambda: service.inbox(ward), self._show)

    def _show(self, entries: list[Any]) -> None:
        self.entries = entries
        self.heading.setText(self.tr("%1 への共有 (未読 %2件)").replace("%1", self.ward).replace("%2", str(self.unread())))
        self.table.setRowCount(len(self.entries))
        bold = QFont()
        bold.setBold(True)
        for i, e in enumerate(self.entries):
            values = (
                "●" if e.read_at is None else "",
                e.shared_at.astimezone(JST).strftime("%H:%M"),
                str(ItemKey.of(e)),
                " ".join(((e.summary or "") + (f" — {e.note}" if e.note else "")).split())[:200],
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if e.read_at is None:
                    item.setFont(bold)
                self.table.setItem(i, col, item)

    def _open(self, row: int, _col: int) -> None:
        entry = self.entries[row]
        if entry.read_at is None:
            service, actor = SharingService(self.db, self.clock, self.scope), self.actor
            self.runner.submit(lambda _ctx: service.mark_read(entry.share_event_id, actor),
                               on_done=lambda _r: self.refresh())
        self.item_opened.emit(str(ItemKey.of(entry)))

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.currentRow() >= 0:
            self._open(self.table.currentRow(), 0)
            return
        super().keyPressEvent(event)
