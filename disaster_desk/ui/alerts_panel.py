"""Official alerts (JMA 防災情報XML) of the scope, newest first.

Read through :class:`disaster_desk.core.alerts.AlertService` on the window's
runner; the table is filled in the GUI thread when the read is done.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from disaster_desk.core.alerts import AlertService
from disaster_desk.core.clock import JST, Clock, SystemClock
from disaster_desk.core.db import Database
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.ui.workers import LatestRead, default_runner

LIMIT = 200


def alert_summary(data: dict | None) -> str:
    """Plain-text summary of an alert's data: max intensity, per-ward intensities, warnings."""
    if not data:
        return ""
    parts = []
    if data.get("max_intensity"):
        parts.append(f"最大震度{data['max_intensity']}")
    wards = data.get("ward_intensity") or {}
    if wards:
        parts.append(" ".join(f"{w}{i}" for w, i in list(wards.items())[:8]))
    for warning in data.get("warnings") or []:
        if isinstance(warning, dict):
            parts.append(f"{warning.get('name', '')}{warning.get('status', '')}")
    return " / ".join(p for p in parts if p)


class AlertsPanel(QWidget):
    def __init__(self, db: Database, scope: Scope = REAL_SCOPE, parent: QWidget | None = None, *,
                 runner: Any = None, clock: Clock | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.scope = scope
        self.clock = clock or SystemClock()
        self.reads = LatestRead(default_runner(runner))
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels([self.tr("発表"), self.tr("種別"), self.tr("標題"), self.tr("内容")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.table)
        self.refresh()

    def kind_name(self, kind: str) -> str:
        return {
            "intensity": self.tr("震度"),
            "hypocenter": self.tr("震源"),
            "tsunami": self.tr("津波"),
            "warning": self.tr("警報・注意報"),
        }.get(kind, kind)

    def set_scope(self, scope: Scope, clock: Clock | None = None) -> None:
        self.scope = scope
        self.clock = clock or self.clock
        self.refresh()

    def refresh(self) -> None:
        """Read the newest alerts of the scope on the runner; the table follows when they arrive."""
        service = AlertService(self.db, self.clock, self.scope)
        self.reads.submit(lambda: service.latest(limit=LIMIT), self._show)

    def _show(self, alerts: list[Any]) -> None:
        self.table.setRowCount(len(alerts))
        for i, alert in enumerate(alerts):
            values = (
                alert.issued_at.astimezone(JST).strftime("%m/%d %H:%M"),
                self.kind_name(alert.kind),
                alert.title,
                " — ".join(p for p in (alert.headline, alert_summary(alert.data)) if p),
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)  # plain text: never interpreted as markup
                item.setToolTip(value)
                self.table.setItem(i, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
