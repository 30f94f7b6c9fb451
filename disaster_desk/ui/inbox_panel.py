"""A ward station's inbox: items HQ shared with its ward, in full, with a 受領 sent back to HQ.

Each share shows its category, place, text, HQ's note, the sender (person and
login) and when; the one selected is shown whole below the list. 受領 (the
button or Space in the list) records the receipt through
:meth:`disaster_desk.core.sharing.SharingService.receive` — HQ's share history
shows it — and the dock's tab carries the count of shares not yet received
(:attr:`InboxPanel.badge_changed`). Enter opens the item (marks it read).
Reads and writes run on the runner; the table follows in the GUI thread.
Everything shown is outside text: plain-text widgets only.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from disaster_desk.core.clock import JST, Clock
from disaster_desk.core.db import Database
from disaster_desk.core.db_errors import database_problem
from disaster_desk.core.items import ItemKey
from disaster_desk.core.modes import Scope
from disaster_desk.core.outbox import link_problem_ja
from disaster_desk.core.report_rows import ward_label
from disaster_desk.core.sharing import InboxItem, SharingService
from disaster_desk.errors import UserError
from disaster_desk.ui.error_text import status_reason
from disaster_desk.ui.i18n import current_language
from disaster_desk.ui.names import label_name, report_kind_name
from disaster_desk.ui.workers import LatestRead, default_runner

log = logging.getLogger(__name__)

COLUMN_COUNT = 6


def _when(value: Any) -> str:
    return value.astimezone(JST).strftime("%m/%d %H:%M") if value else ""


def _one_line(text: str | None, limit: int = 200) -> str:
    return " ".join((text or "").split())[:limit]


class InboxPanel(QWidget):
    item_opened = Signal(str)  # "post:12"
    #: The number of shares not yet received (受領), for the dock's tab.
    badge_changed = Signal(int)
    #: A receipt was stored (share event id).
    received = Signal(int)
    #: A receipt could not be sent (title, message for the window's error dialog).
    failed = Signal(str, str)

    def __init__(self, db: Database, scope: Scope, clock: Clock, ward: str | None, actor: str, parent=None, *,
                 runner: Any = None) -> None:
        super().__init__(parent)
        self.db, self.scope, self.clock, self.ward, self.actor = db, scope, clock, ward, actor
        self.runner = default_runner(runner)
        self.reads = LatestRead(self.runner)
        self.heading = QLabel(self)
        self.table = QTableWidget(0, COLUMN_COUNT, self)
        self.table.setHorizontalHeaderLabels([self.tr("受領"), self.tr("共有日時"), self.tr("分類"), self.tr("場所"),
                                              self.tr("内容"), self.tr("送信者")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.cellActivated.connect(self._open)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_detail(row))
        self.table.installEventFilter(self)
        self.detail = QPlainTextEdit(self)  # plain text: what HQ and the public wrote is never markup
        self.detail.setReadOnly(True)
        self.detail.setMaximumHeight(self.fontMetrics().height() * 9)
        self.receive_button = QPushButton(self.tr("受領 (Space)"), self)
        self.receive_button.setToolTip(self.tr("本部へ受領を送ります（本部の共有履歴に受領済と表示されます）"))
        self.receive_button.clicked.connect(self.receive_current)
        self.open_button = QPushButton(self.tr("表示 (Enter)"), self)
        self.open_button.clicked.connect(lambda: self._open(self.table.currentRow(), 0))
        buttons = QHBoxLayout()
        buttons.addWidget(self.receive_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.detail, 1)
        layout.addLayout(buttons)
        self.entries: list[InboxItem] = []
        self._receiving: set[int] = set()
        self._update_buttons()
        self.refresh()

    def set_scope(self, scope: Scope, clock: Clock | None = None) -> None:
        self.scope = scope
        self.clock = clock or self.clock
        self.refresh()

    def unread(self) -> int:
        return sum(1 for e in self.entries if e.read_at is None)

    def unreceived(self) -> int:
        """Shares not yet acknowledged (受領): the badge."""
        return sum(1 for e in self.entries if e.received_at is None)

    def refresh(self) -> None:
        if not self.ward:
            self.entries = []
            self.heading.setText(self.tr("区が設定されていません (設定: station_ward)"))
            self.table.setRowCount(0)
            self.badge_changed.emit(0)
            return
        service, ward, language = SharingService(self.db, self.clock, self.scope), self.ward, current_language()
        self.reads.submit(lambda: service.inbox(ward, language=language), self._show)

    # -- display ---------------------------------------------------------------------
    def category(self, e: InboxItem) -> str:
        if e.item_type == "report":
            return "、".join(report_kind_name(k) for k in e.labels) or report_kind_name("damage")
        return "、".join(label_name(k) for k in e.labels)

    def place(self, e: InboxItem) -> str:
        return " ".join(x for x in (ward_label(e.ward, current_language()), e.place if e.place != e.ward else None)
                        if x)

    def sender(self, e: InboxItem) -> str:
        if e.sender_login and e.sender_login != e.actor:
            return f"{e.actor} ({e.sender_login})"
        return e.actor

    def receipt(self, e: InboxItem) -> str:
        if e.received_at is None:
            return self.tr("未受領")
        return self.tr("受領済 %1").replace("%1", e.received_at.astimezone(JST).strftime("%H:%M"))

    def _show(self, entries: list[InboxItem]) -> None:
        current = self._current_id()
        self.entries = entries
        self.heading.setText(self.tr("%1 への共有 (未受領 %2件)").replace("%1", ward_label(self.ward, current_language()))
                             .replace("%2", str(self.unreceived())))
        self.table.setRowCount(len(self.entries))
        bold = QFont()
        bold.setBold(True)
        for i, e in enumerate(self.entries):
            text = _one_line(e.summary) + (f" — {_one_line(e.note)}" if e.note else "")
            values = (self.receipt(e), _when(e.shared_at), self.category(e), self.place(e), text, self.sender(e))
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if e.received_at is None:
                    item.setFont(bold)
                if col == 0 and e.received_at is None:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(i, col, item)
        row = next((i for i, e in enumerate(self.entries) if e.share_event_id == current), 0 if entries else -1)
        if row >= 0:
            self.table.setCurrentCell(row, 0)
        self._show_detail(self.table.currentRow())
        self.badge_changed.emit(self.unreceived())

    def _current_id(self) -> int | None:
        row = self.table.currentRow()
        return self.entries[row].share_event_id if 0 <= row < len(self.entries) else None

    def current(self) -> InboxItem | None:
        row = self.table.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def describe(self, e: InboxItem) -> str:
        """The share in full, as plain text."""
        lines = [
            self.tr("分類: %1").replace("%1", self.category(e) or "—"),
            self.tr("場所: %1").replace("%1", self.place(e) or self.tr("不明")),
            self.tr("内容: %1").replace("%1", e.summary or ""),
        ]
        if e.note:
            lines.append(self.tr("本部からのメモ: %1").replace("%1", e.note))
        lines.append(self.tr("送信者: %1").replace("%1", self.sender(e)))
        lines.append(self.tr("共有日時: %1").replace("%1", e.shared_at.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S")))
        if e.received_at is not None:
            who = e.received_name or e.received_by or ""
            if e.received_by and e.received_by != who:
                who = f"{who} ({e.received_by})"
            lines.append(self.tr("受領済: %1 %2").replace("%1", e.received_at.astimezone(JST).strftime("%H:%M:%S"))
                         .replace("%2", who))
        else:
            lines.append(self.tr("未受領（受領を押すと本部に伝わります）"))
        return "\n".join(lines)

    def _show_detail(self, row: int) -> None:
        entry = self.entries[row] if 0 <= row < len(self.entries) else None
        self.detail.setPlainText(self.describe(entry) if entry else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        entry = self.current()
        self.receive_button.setEnabled(entry is not None and entry.received_at is None
                                       and entry.share_event_id not in self._receiving)
        self.open_button.setEnabled(entry is not None)

    # -- actions ---------------------------------------------------------------------
    def receive_current(self) -> None:
        """受領: send the receipt of the selected share to HQ (on the runner)."""
        entry = self.current()
        if entry is None or entry.received_at is not None or entry.share_event_id in self._receiving:
            return
        event_id, service, actor = entry.share_event_id, SharingService(self.db, self.clock, self.scope), self.actor
        self._receiving.add(event_id)
        self._update_buttons()

        def done(_receipt: Any) -> None:
            self._receiving.discard(event_id)
            self.received.emit(event_id)
            self.refresh()

        def failed(exc: BaseException) -> None:
            self._receiving.discard(event_id)
            log.warning("receipt of share %s failed: %s", event_id, exc)
            problem = database_problem(exc)
            if isinstance(exc, UserError) or (problem is not None and problem.kind != "unreachable"):
                reason = status_reason(exc)  # refused or not found, not a lost link: say which
            else:
                reason = link_problem_ja(str(exc))
            message = self.tr("受領を送れませんでした: %1").replace("%1", reason)
            self.heading.setText(message)
            self.failed.emit(self.tr("受領を送れません"), message + "\n" + self.tr("本部との接続を確認して、もう一度受領を押してください。"))
            self.refresh()

        self.runner.submit(lambda _ctx: service.receive(event_id, actor), on_done=done, on_error=failed)

    def _open(self, row: int, _col: int) -> None:
        if not 0 <= row < len(self.entries):
            return
        entry = self.entries[row]
        if entry.read_at is None:
            service, actor = SharingService(self.db, self.clock, self.scope), self.actor
            self.runner.submit(lambda _ctx: service.mark_read(entry.share_event_id, actor),
                               on_done=lambda _r: self.refresh())
        self.item_opened.emit(str(ItemKey.of(entry)))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        """Space in the list sends 受領 for the selected share; Enter opens it."""
        if obj is self.table and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Space and not event.modifiers():
                self.receive_current()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                self._open(self.table.currentRow(), 0)
                return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.currentRow() >= 0:
            self._open(self.table.currentRow(), 0)
            return
        super().keyPressEvent(event)

