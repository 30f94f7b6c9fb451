"""A ward station that starts while the link to HQ's database is down.

The ward office must still be able to report: the window holds only the
ward report form, whose outbox stores each report locally and sends it
(once, by client UUID) when the link returns. The title says the link is down.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QMainWindow, QWidget

from disaster_desk.core.clock import Clock
from disaster_desk.core.outbox import link_problem_ja
from disaster_desk.core.settings import Settings
from disaster_desk.ui.reports.ward_form import WardReportForm

log = logging.getLogger(__name__)


class OfflineStationWindow(QMainWindow):
    def __init__(self, settings: Settings, clock: Clock, reason: str, parent: QWidget | None = None,
                 **form_kwargs: Any) -> None:
        super().__init__(parent)
        self.form = WardReportForm(None, settings, clock, self, **form_kwargs)
        self.setCentralWidget(self.form)
        ward = settings.station_ward or self.tr("区未設定")
        self.setWindowTitle(self.tr("災害情報デスク — {0} — 本部との回線断（報告は送信待ちに保存）").format(ward))
        self.statusBar().showMessage(link_problem_ja(reason) + self.tr("報告は送信待ちに保存し、接続の回復後に自動で送信します。"))
        self.statusBar().setToolTip(reason)  # the driver's own words, for the IT staff
        self.resize(720, 820)
        log.warning("ward station %s started offline: %s", ward, reason)
