"""Official alerts (JMA 防災情報XML) from the ``official_alerts`` table, newest first."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget
from sqlalchemy import select

from disaster_desk.core.clock import JST
from disaster_desk.core.db import Database
from disaster_desk.core.models import OfficialAlert
from disaster_desk.core.modes import REAL_SCOPE, Scope, mode_filter

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
    def __init__(self, db: Database, scope: Scope = REAL_SCOPE, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.scope = scope
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

    def set_scope(self, scope: Scope) -> None:
        self.scope = scope
        self.refresh()

    def refresh(self) -> None:
        with self.db.session() as session:
            alerts = session.scalars(
                select(OfficialAlert)
                .where(mode_filter(OfficialAlert, self.scope))
                .order_by(OfficialAlert.issued_at.desc(), OfficialAlert.id.desc())
                .limit(LIMIT)
            ).all()
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
