"""The ward station's report form: fast keyboard entry into the offline outbox.

- One page per kind (Ctrl+1..4), Ctrl+Return sends, the cursor starts in the
  first field; values stay after sending and are prefilled from the last
  report of the kind (local outbox first, then the shared database).
- A ward station reports for its own ward only (``settings.station_ward``).
- Every report goes into the outbox (:mod:`disaster_desk.core.outbox`) and is
  sent from a worker thread; a timer retries while reports are queued, and the
  list below the form shows what is still waiting.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from disaster_desk.core.area import OSAKA_WARDS
from disaster_desk.core.clock import JST, Clock
from disaster_desk.core.db import Database
from disaster_desk.core.models import Shelter
from disaster_desk.core.outbox import Outbox, OutboxItem
from disaster_desk.core.report_schema import PAYLOADS
from disaster_desk.core.reports import ReportService
from disaster_desk.core.settings import Settings, data_dir
from disaster_desk.errors import ValidationError
from disaster_desk.ui.names import report_kind_name
from disaster_desk.ui.reports.fields import field_choices, form_fields, need_choices
from disaster_desk.ui.workers import ThreadRunner

log = logging.getLogger(__name__)

class WardReportForm(QWidget):
    submitted = Signal(str)  # client UUID
    queue_changed = Signal(int)  # reports waiting

    def __init__(self, db: Database | None, settings: Settings, clock: Clock, parent: QWidget | None = None, *,
                 outbox: Outbox | None = None, runner: Any = None, retry_ms: int = 5000) -> None:
        super().__init__(parent)
        self.db = db
        self.clock = clock
        self.ward = settings.station_ward
        self.outbox = outbox or Outbox(data_dir() / "outbox.sqlite", settings.db_url, clock, author=settings.actor,
                                       station_ward=self.ward)
        self.runner = runner or ThreadRunner(max_threads=1)
        self._flushing = False
        self.widgets: dict[str, dict[str, Any]] = {}
        self.kind = QComboBox(self)
        for kind in PAYLOADS:
            self.kind.addItem(report_kind_name(kind), kind)
        self.ward_box = QComboBox(self)
        self.ward_box.addItems([self.ward] if self.ward else list(OSAKA_WARDS))
        self.ward_box.setEnabled(self.ward is None)  # a ward station reports for its own ward only
        self.pages = QStackedWidget(self)
        for kind in PAYLOADS:
            self.pages.addWidget(self._build_page(kind))
        self.kind.currentIndexChanged.connect(self._show_kind)
        self.send_button = QPushButton(self.tr("送信 (Ctrl+Enter)"), self)
        self.send_button.clicked.connect(self.send)
        self.status = _plain_label(self)
        self.status.setWordWrap(True)
        self.queue_title = _plain_label(self)
        self.queue_list = QListWidget(self)
        top = QFormLayout()
        top.addRow(self.tr("区"), self.ward_box)
        top.addRow(self.tr("報告種別"), self.kind)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages)
        layout.addWidget(self.send_button)
        layout.addWidget(self.status)
        layout.addWidget(self.queue_title)
        layout.addWidget(self.queue_list)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, activated=self.send)
        for i in range(len(PAYLOADS)):
            QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self, activated=lambda i=i: self.kind.setCurrentIndex(i))
        self.timer = QTimer(self)
        self.timer.setInterval(retry_ms)
        self.timer.timeout.connect(self.retry)
        self.timer.start()
        for kind in PAYLOADS:
            self._prefill(kind)
        self._refresh_queue()

    # -- building ------------------------------------------------------------
    def _build_page(self, kind: str) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        widgets: dict[str, Any] = {}
        for name, wtype, title in form_fields(kind):
            if wtype == "choice":
                widget = QComboBox(page)
                for value, word in field_choices(kind, name):
                    widget.addItem(word, value)
            elif wtype == "name":
                widget = QComboBox(page)
                widget.setEditable(True)
                widget.addItems(self._registry_names())
                widget.setCurrentText("")
            elif wtype == "int":
                widget = QSpinBox(page)
                widget.setRange(-1, 1_000_000)
                widget.setSpecialValueText(" ")  # -1 shows empty: "not reported"
                widget.setValue(-1)
            elif wtype == "needs":
                widget = QWidget(page)
                grid = QGridLayout(widget)
                grid.setContentsMargins(0, 0, 0, 0)
                widget.boxes = {}
                for i, (value, word) in enumerate(need_choices()):
                    box = QCheckBox(word, widget)
                    grid.addWidget(box, i // 5, i % 5)
                    widget.boxes[value] = box
            else:
                widget = QLineEdit(page)
            widget.setObjectName(f"{kind}.{name}")
            widgets[name] = widget
            form.addRow(title, widget)
        if kind == "muster" and self.ward:
            widgets["office"].setText(f"{self.ward}役所")
        self.widgets[kind] = widgets
        return page

    def _registry_names(self) -> list[str]:
        if self.db is None or not self.ward:
            return []
        try:
            with self.db.session() as session:
                return list(session.scalars(select(Shelter.name).where(Shelter.ward == self.ward).order_by(Shelter.name)))
        except Exception as exc:  # the shared database may be unreachable: the form still works
            log.info("shelter names unavailable: %s", exc)
            return []

    def _show_kind(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        first = next(iter(self.widgets[self.current_kind()].values()))
        first.setFocus()

    def current_kind(self) -> str:
        return self.kind.currentData()

    # -- values --------------------------------------------------------------
    def values(self, kind: str | None = None) -> dict[str, Any]:
        """The payload the form would send (empty fields left out)."""
        kind = kind or self.current_kind()
        data: dict[str, Any] = {}
        for name, widget in self.widgets[kind].items():
            if isinstance(widget, QComboBox) and not widget.isEditable():
                data[name] = widget.currentData()
            elif isinstance(widget, QComboBox):
                data[name] = widget.currentText().strip()
            elif isinstance(widget, QSpinBox):
                if widget.value() >= 0:
                    data[name] = widget.value()
            elif isinstance(widget, QLineEdit):
                text = widget.text().strip()
                if text:
                    data[name] = text if name not in ("lat", "lon") else _float(text, name)
            else:
                data[name] = [v for v, box in widget.boxes.items() if box.isChecked()]
        return data

    def set_values(self, kind: str, data: dict[str, Any]) -> None:
        for name, widget in self.widgets[kind].items():
            value = data.get(name)
            if isinstance(widget, QComboBox) and not widget.isEditable():
                index = widget.findData(value)
                if index >= 0:
                    widget.setCurrentIndex(index)
            elif isinstance(widget, QComboBox):
                widget.setCurrentText(str(value or ""))
            elif isinstance(widget, QSpinBox):
                widget.setValue(int(value) if value is not None else -1)
            elif isinstance(widget, QLineEdit):
                if name != "note":  # a note belongs to one report
                    widget.setText("" if value is None else str(value))
            else:
                for v, box in widget.boxes.items():
                    box.setChecked(v in (value or []))

    def _prefill(self, kind: str) -> None:
        """Last values of this kind: the local outbox first, then the shared database."""
        mine = [i for i in self.outbox.items() if i.kind == kind]
        if mine:
            self.set_values(kind, mine[-1].data)
            return
        if self.db is None:
            return
        try:
            report = ReportService(self.db, self.clock, station_ward=self.ward).latest(kind, self.ward)
        except Exception as exc:
            log.info("no prefill for %s: %s", kind, exc)
            return
        if report is not None:
            self.set_values(kind, report.payload)

    # -- sending -------------------------------------------------------------
    def send(self) -> OutboxItem | None:
        kind = self.current_kind()
        for widget in self.widgets[kind].values():
            widget.setStyleSheet("")
        try:
            item = self.outbox.submit(kind, self.ward_box.currentText(), self.values(kind), send=False)
        except ValidationError as exc:
            self.status.setText(self.tr("入力エラー: {msg}").format(msg=str(exc)))
            bad = self.widgets[kind].get((exc.field or "").split(".")[0])
            if bad is not None:
                bad.setStyleSheet("border: 2px solid #d7191c;")
                bad.setFocus()
            return None
        self.widgets[kind]["note"].clear()
        self.submitted.emit(item.client_uuid)
        self._refresh_queue()
        self.retry()
        return item

    def retry(self) -> None:
        """Send what is queued, off the GUI thread (the timer calls this)."""
        if self._flushing or not self.outbox.pending():
            return
        self._flushing = True
        self.runner.submit(lambda _ctx: self.outbox.flush(), on_done=self._flushed, on_error=self._flush_failed)

    def _flushed(self, result: Any) -> None:
        self._flushing = False
        if result.link_up:
            self.status.setText(self.tr("送信しました（{n}件）").format(n=result.sent) if result.sent else "")
        else:
            self.status.setText(self.tr("本部に接続できません。{n}件を保存し、接続の回復後に自動送信します。").format(
                n=result.queued))
        self._refresh_queue()

    def _flush_failed(self, exc: BaseException) -> None:
        self._flushing = False
        self.status.setText(self.tr("送信エラー: {msg}").format(msg=str(exc)))
        self._refresh_queue()

    def _refresh_queue(self) -> None:
        pending = self.outbox.pending()
        self.queue_title.setText(self.tr("未送信 {n}件").format(n=len(pending)))
        self.queue_list.clear()
        for item in pending:
            what = next((str(item.data[k]) for k in ("name", "office", "system", "place", "type") if k in item.data), "")
            self.queue_list.addItem(f"{item.created_at.astimezone(JST):%H:%M} {report_kind_name(item.kind)} {what}")
        self.queue_changed.emit(len(pending))

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.timer.stop()
        super().closeEvent(event)


def _float(text: str, name: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValidationError(f"not a number: {text!r}", field=name) from None


def _plain_label(parent: QWidget) -> QLabel:
    """A label that never interprets its text as HTML (it may quote user input)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
