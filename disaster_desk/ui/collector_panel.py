"""Collector status: each collector's state, last run, items and last error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from disaster_desk.core.clock import JST

STATE_COLOURS = {"ok": "#1a9641", "running": "#2c7bb6", "error": "#d7191c", "waiting": "#fdae61", "stopped": "#9e9e9e"}


def _time(when) -> str:
    return when.astimezone(JST).strftime("%H:%M:%S") if when else "—"


class CollectorPanel(QWidget):
    """Polled by the window; ``provider`` returns CollectorStatus-like objects."""

    #: The table shows a new read (the status bar's summary follows it).
    updated = Signal()

    def __init__(self, provider: Callable[[], list[Any]], parent: QWidget | None = None, *,
                 runner: Any = None) -> None:
        super().__init__(parent)
        self.provider = provider
        #: The window's runner: the provider may read the database (what the collecting process stored).
        self.runner = runner
        self.table = QTableWidget(0, 6, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("収集元"), self.tr("状態"), self.tr("前回"), self.tr("件数"), self.tr("次回"), self.tr("エラー")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.table)
        self.statuses: list[Any] = []
        self.refresh()

    def refresh(self) -> None:
        if self.runner is not None:
            self.runner.submit(lambda _ctx: list(self.provider()), on_done=self._show, on_error=self._failed)
            return
        try:
            statuses = list(self.provider())
        except Exception as exc:  # status must never break the window
            self._failed(exc)
            return
        self._show(statuses)

    def _failed(self, exc: BaseException) -> None:
        self.statuses = []
        self.table.setRowCount(1)
        self.table.setItem(0, 5, QTableWidgetItem(str(exc)))
        self.updated.emit()

    def _show(self, statuses: list[Any]) -> None:
        self.statuses = statuses
        self.table.setRowCount(len(self.statuses))
        for i, st in enumerate(self.statuses):
            waiting = getattr(st, "waiting_until", None)
            values = (
                st.name,
                st.state + (f" → {_time(waiting)}" if waiting else ""),
                _time(st.last_run),
                str(st.items),
                _time(st.next_run),
                st.last_error or "",
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 1:
                    item.setForeground(QColor(STATE_COLOURS.get(st.state, "#000000")))
                self.table.setItem(i, col, item)
        self.updated.emit()

    def summary(self) -> str:
        """One line for the status bar: ``x ● mastodon ●``."""
        return "  ".join(f"{st.name} {'●' if st.state in ('ok', 'running', 'idle') else '✕'}" for st in self.statuses)
