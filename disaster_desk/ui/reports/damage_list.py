"""The individual damage reports under the 被害 tab, with a versioned status edit.

Editing goes through :meth:`ReportService.edit` with the version the operator
saw: if someone else changed the report meanwhile, the edit is refused
(ConflictError), the list reloads and the operator decides again. The list
holds a :class:`ReportService` of the scope shown (:meth:`DamageList.set_service`
on a scope change), never a database; reads and the edit run on the runner
(never on the GUI thread); the table follows.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from disaster_desk.core.models import Report
from disaster_desk.core.report_rows import ward_label
from disaster_desk.core.reports import ReportService
from disaster_desk.errors import ConflictError, UserError
from disaster_desk.ui.error_text import describe
from disaster_desk.ui.i18n import current_language
from disaster_desk.ui.names import value_name
from disaster_desk.ui.reports.fields import field_choices
from disaster_desk.ui.workers import LatestRead, default_runner

log = logging.getLogger(__name__)

COLUMN_COUNT = 7


class DamageList(QWidget):
    edited = Signal(int, int)  # report id, new version

    def __init__(self, service: ReportService, actor: str, parent: QWidget | None = None, *,
                 runner: Any = None) -> None:
        super().__init__(parent)
        self.service = service
        self.actor = actor
        self.runner = default_runner(runner)
        self.reads = LatestRead(self.runner)
        self.table = QTableWidget(0, COLUMN_COUNT, self)
        self.table.setHorizontalHeaderLabels([  # literal tr() calls: lupdate finds each word
            self.tr("ID"), self.tr("区"), self.tr("種別"), self.tr("程度"), self.tr("場所"), self.tr("対応状況"),
            self.tr("版")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.status = QComboBox(self)
        for value, word in field_choices("damage", "status"):
            self.status.addItem(word, value)
        self.apply_button = QPushButton(self.tr("状況を更新"), self)
        self.apply_button.clicked.connect(self.apply)
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        row = QHBoxLayout()
        row.addWidget(self.status)
        row.addWidget(self.apply_button)
        row.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(row)

    def set_service(self, service: ReportService) -> None:
        """Another scope (a drill run, real): its reports from the next read on."""
        self.service = service

    def refresh(self, then: Any = None) -> None:
        """Re-read the damage reports of the scope on the runner; ``then()`` after they are shown."""
        service = self.service

        def show(reports: list[Report]) -> None:
            self.show_reports(reports)
            if then is not None:
                then()

        self.reads.submit(lambda: service.of_kind("damage"), show)

    def show_reports(self, reports: list[Report]) -> None:
        self.table.setRowCount(len(reports))
        for r, report in enumerate(reports):
            p = report.payload
            for c, value in enumerate([report.id, ward_label(report.ward, current_language()), value_name("damage", "type", p["type"]),
                                       value_name("damage", "severity", p["severity"]), p.get("place", ""),
                                       value_name("damage", "status", p.get("status", "reported")),
                                       report.version]):
                item = QTableWidgetItem(str(value))
                item.setData(Qt.ItemDataRole.UserRole, (report.id, report.version))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

    def select_report(self, report_id: int) -> bool:
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(Qt.ItemDataRole.UserRole)[0] == report_id:
                self.table.selectRow(r)
                return True
        return False

    def apply(self) -> None:
        """Set the selected report's status, as of the version shown (on the runner; ``edited`` follows)."""
        items = self.table.selectedItems()
        if not items:
            self.message.setText(self.tr("報告が選択されていません"))
            return
        report_id, version = items[0].data(Qt.ItemDataRole.UserRole)
        service = self.service
        status, actor = self.status.currentData(), self.actor
        self.apply_button.setEnabled(False)
        self.runner.submit(
            lambda _ctx: service.edit(report_id, {"status": status}, actor=actor, expected_version=version),
            on_done=lambda new_version: self._applied(report_id, new_version),
            on_error=lambda exc: self._refused(report_id, exc))

    def _applied(self, report_id: int, new_version: int) -> None:
        self.apply_button.setEnabled(True)
        self.message.setText(self.tr("更新しました（版 {v}）").format(v=new_version))
        self.refresh(lambda: self.select_report(report_id))
        self.edited.emit(report_id, new_version)

    def _refused(self, report_id: int, exc: BaseException) -> None:
        self.apply_button.setEnabled(True)
        if isinstance(exc, ConflictError):
            self.message.setText(self.tr("他の端末で更新されていました。最新の内容を表示しました。"))
            self.refresh(lambda: self.select_report(report_id))
        elif isinstance(exc, UserError):
            self.message.setText(str(exc))
        else:  # a refusal by the database (RLS, a timeout): the translated sentence, the driver's text as tooltip
            log.error("damage report edit failed: %s", exc)
            said = describe(exc)
            self.message.setText(self.tr("更新できませんでした: %1").replace("%1", said.text))
            self.message.setToolTip(said.details)
