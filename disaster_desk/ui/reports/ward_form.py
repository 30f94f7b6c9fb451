"""The ward station's report form: fast keyboard entry into the offline outbox.

- One page per kind (Ctrl+1..4), Ctrl+Return sends, the cursor starts in the
  first field. After sending, the page is cleared (a second Ctrl+Enter used
  to send a duplicate); a report with the same values as one sent in the
  last hours is sent again only after a question (default: 送信しない).
- Choices start neutral (「選択してください」; damage status 報告), never at
  the worst value; numbers are typed as text, so an invalid one (``-``) is an
  error at its field instead of being dropped. Every problem of a report is
  shown at once, in Japanese, naming the field's label
  (:class:`disaster_desk.core.report_schema.ReportInvalid`).
- The damage location is picked on the map (「地図で指定」: the window puts
  the map in pick mode and hands the clicked point back), not typed.
- Choosing a shelter already reported from this station shows its last
  values as the starting point (an explicit choice, not a silent prefill).
- A ward station reports for its own ward only (``settings.station_ward``).
- Every report goes into the outbox (:mod:`disaster_desk.core.outbox`) and is
  sent from a worker thread; a timer retries while reports are queued. The
  list below the form shows what was sent with its state (送信済 / 送信待ち /
  エラー / 保留).
- During a drill (:meth:`WardReportForm.set_scope`) a report is queued and
  stored as that drill run's, never as real; the form says so, and lists only
  the reports of the scope shown.
"""

from __future__ import annotations

import logging
import unicodedata
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from disaster_desk.core.access import Access
from disaster_desk.core.area import OSAKA_WARDS
from disaster_desk.core.clock import JST, Clock
from disaster_desk.core.db import Database
from disaster_desk.core.modes import REAL_SCOPE, Scope
from disaster_desk.core.outbox import HELD, QUEUED, REJECTED, SENT, STATE_JA, Outbox, OutboxItem, link_problem_ja
from disaster_desk.core.report_rows import report_text
from disaster_desk.core.report_schema import PAYLOADS, Problem, ReportInvalid, validate_report
from disaster_desk.core.settings import Settings, data_dir
from disaster_desk.core.shelter_registry import shelter_names
from disaster_desk.core.vocabulary import OUTBOX_STATE
from disaster_desk.errors import ValidationError
from disaster_desk.ui.i18n import current_language
from disaster_desk.ui.names import field_name, report_kind_name, term
from disaster_desk.ui.reports.fields import field_choices, form_fields, need_choices
from disaster_desk.ui.workers import ThreadRunner

log = logging.getLogger(__name__)

#: Choices that start at a neutral value instead of 「選択してください」.
DEFAULTS = {("damage", "status"): "reported"}
ERROR_STYLE = "border: 2px solid #d7191c;"
STATE_COLOURS = {SENT: "#2ca25f", QUEUED: "#f57c00", REJECTED: "#d7191c", HELD: "#6a1b9a"}
HISTORY = 50


class WardReportForm(QWidget):
    submitted = Signal(str)  # client UUID
    queue_changed = Signal(int)  # reports waiting
    #: The damage page asks the window to let the user click the location on the map.
    pick_requested = Signal()

    def __init__(self, db: Database | None, settings: Settings, clock: Clock, parent: QWidget | None = None, *,
                 outbox: Outbox | None = None, runner: Any = None, retry_ms: int = 5000,
                 access: Access | None = None, scope: Scope = REAL_SCOPE) -> None:
        super().__init__(parent)
        self.db = db
        self.clock = clock
        self.ward = settings.station_ward
        self.outbox = outbox or Outbox(
            data_dir() / "outbox.sqlite", settings.db_url, clock, author=settings.actor,
            author_login=access.login if access else None, author_name=access.display_name if access else None,
            station_ward=self.ward, timeout_s=settings.database.timeout_s)
        self.outbox.set_scope(scope, clock)
        self.scope = scope
        self.runner = runner or ThreadRunner(max_threads=1)
        self._flushing = False
        self.widgets: dict[str, dict[str, Any]] = {}
        self.errors: dict[str, dict[str, QLabel]] = {}
        self.location: tuple[float, float] | None = None
        self._dup_box: QMessageBox | None = None
        self._name_boxes: list[QComboBox] = []  # the shelter names, filled by one read on the runner
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
        self.scope_label = _plain_label(self)
        self.scope_label.setWordWrap(True)
        self.scope_label.setStyleSheet("color: #ffffff; background: #c62828; padding: 2px;")
        self.link_label = _plain_label(self)
        self.link_label.setWordWrap(True)
        self.link_label.setStyleSheet("color: #d7191c;")
        self.queue_title = _plain_label(self)
        self.sent_list = QListWidget(self)
        top = QFormLayout()
        top.addRow(self.tr("区"), self.ward_box)
        top.addRow(self.tr("報告種別"), self.kind)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scope_label)
        layout.addLayout(top)
        layout.addWidget(self.pages)
        layout.addWidget(self.send_button)
        layout.addWidget(self.status)
        layout.addWidget(self.link_label)
        layout.addWidget(self.queue_title)
        layout.addWidget(self.sent_list)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, activated=self.send)
        for i in range(len(PAYLOADS)):
            QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self, activated=lambda i=i: self.kind.setCurrentIndex(i))
        self.timer = QTimer(self)
        self.timer.setInterval(retry_ms)
        self.timer.timeout.connect(self.retry)
        self.timer.start()
        self.set_map_available(False)
        self._show_scope()
        self._refresh_queue()
        self._read_registry_names()

    # -- scope -----------------------------------------------------------------
    def set_scope(self, scope: Scope, clock: Clock | None = None) -> None:
        """Reports typed from now on are for ``scope`` (a drill run: stored as drill with its run id)."""
        self.scope = scope
        if clock is not None:
            self.clock = clock
        self.outbox.set_scope(scope, clock)
        self._show_scope()
        self._refresh_queue()

    def _show_scope(self) -> None:
        self.scope_label.setVisible(self.scope.is_drill)
        self.scope_label.setText(self.tr("訓練中 — 報告は訓練（%1）として送信されます").replace("%1", self.scope.run_id))

    # -- building ------------------------------------------------------------
    def _build_page(self, kind: str) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        widgets: dict[str, Any] = {}
        errors: dict[str, QLabel] = {}
        for name, wtype, title in form_fields(kind):
            if name == "lon":
                continue  # one location row (lat) holds both
            if wtype == "choice":
                widget = QComboBox(page)
                if (kind, name) not in DEFAULTS:
                    widget.addItem(self.tr("— 選択してください —"), None)
                for value, word in field_choices(kind, name):
                    widget.addItem(word, value)
                if (kind, name) in DEFAULTS:
                    widget.setCurrentIndex(widget.findData(DEFAULTS[(kind, name)]))
            elif wtype == "name":
                widget = QComboBox(page)
                widget.setEditable(True)
                widget.setCurrentText("")
                self._name_boxes.append(widget)
                widget.textActivated.connect(self._shelter_chosen)
            elif wtype == "int":
                widget = QLineEdit(page)
                widget.setPlaceholderText(self.tr("未把握なら空欄"))
            elif wtype == "needs":
                widget = QWidget(page)
                grid = QGridLayout(widget)
                grid.setContentsMargins(0, 0, 0, 0)
                widget.boxes = {}
                for i, (value, word) in enumerate(need_choices()):
                    box = QCheckBox(word, widget)
                    grid.addWidget(box, i // 5, i % 5)
                    widget.boxes[value] = box
            elif wtype == "float":  # the damage location: picked on the map
                widget = self._location_row(page)
                title = self.tr("位置")
            else:
                widget = QLineEdit(page)
            widget.setObjectName(f"{kind}.{name}")
            widgets[name] = widget
            error = _plain_label(page)
            error.setStyleSheet("color: #d7191c;")
            error.setWordWrap(True)
            error.hide()
            errors[name] = error
            cell = QWidget(page)
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(1)
            box.addWidget(widget)
            box.addWidget(error)
            form.addRow(title, cell)
        if kind == "muster" and self.ward:
            widgets["office"].setText(f"{self.ward}役所")
        self.widgets[kind] = widgets
        self.errors[kind] = errors
        return page

    def _location_row(self, parent: QWidget) -> QWidget:
        row = QWidget(parent)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.location_label = _plain_label(row)
        self.pick_button = QPushButton(self.tr("地図で指定 (Ctrl+M)"), row)
        self.pick_button.clicked.connect(self.pick_requested)
        self.clear_location_button = QPushButton(self.tr("消去"), row)
        self.clear_location_button.clicked.connect(lambda: self.set_location(None))
        layout.addWidget(self.location_label, 1)
        layout.addWidget(self.pick_button)
        layout.addWidget(self.clear_location_button)
        QShortcut(QKeySequence("Ctrl+M"), self, activated=self._pick_shortcut)
        self.set_location(None)
        return row

    def _pick_shortcut(self) -> None:
        if self.current_kind() == "damage" and self.pick_button.isEnabled():
            self.pick_requested.emit()

    def set_map_available(self, available: bool) -> None:
        """The window has a map to pick from (an offline station has none)."""
        self.pick_button.setEnabled(available)
        self.pick_button.setToolTip("" if available else self.tr("地図がないため位置は指定できません（場所の文字で報告してください）"))

    def set_location(self, lat_lon: tuple[float, float] | None) -> None:
        """The damage location (the map's pick hands it here); None clears it."""
        self.location = None if lat_lon is None else (round(float(lat_lon[0]), 6), round(float(lat_lon[1]), 6))
        if self.location is None:
            self.location_label.setText(self.tr("未指定"))
        else:
            self.location_label.setText(self.tr("北緯 %1 / 東経 %2").replace("%1", f"{self.location[0]:.5f}")
                                        .replace("%2", f"{self.location[1]:.5f}"))
        self.clear_location_button.setEnabled(self.location is not None)

    def _read_registry_names(self) -> None:
        """The shelter names of this ward: one query on the runner (the shared database may be unreachable)."""
        db, ward = self.db, self.ward
        if db is None or not ward:
            return

        def read(_ctx: Any) -> list[str]:
            try:
                return shelter_names(db, ward)
            except Exception as exc:  # the shared database may be unreachable: the form still works
                log.info("shelter names unavailable: %s", exc)
                return []

        self.runner.submit(read, on_done=self._set_registry_names)

    def _set_registry_names(self, names: list[str]) -> None:
        for box in self._name_boxes:
            typed = box.currentText()
            box.addItems(names)
            box.setCurrentText(typed)  # what the user typed meanwhile stays

    def _show_kind(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self._focus_first()

    def _focus_first(self) -> None:
        first = next(iter(self.widgets[self.current_kind()].values()))
        first.setFocus()

    def current_kind(self) -> str:
        return self.kind.currentData()

    # -- values --------------------------------------------------------------
    def values(self, kind: str | None = None) -> dict[str, Any]:
        """The payload the form would send (empty fields left out; numbers as typed, checked by the schema)."""
        kind = kind or self.current_kind()
        data: dict[str, Any] = {}
        for name, widget in self.widgets[kind].items():
            if name == "lat":
                if self.location is not None:
                    data["lat"], data["lon"] = self.location
            elif isinstance(widget, QComboBox) and not widget.isEditable():
                if widget.currentData() is not None:
                    data[name] = widget.currentData()
            elif isinstance(widget, QComboBox):
                data[name] = widget.currentText().strip()
            elif isinstance(widget, QLineEdit):
                text = unicodedata.normalize("NFKC", widget.text()).strip()  # full-width digits are numbers too
                if text:
                    data[name] = text
            else:
                data[name] = [v for v, box in widget.boxes.items() if box.isChecked()]
        return data

    def set_values(self, kind: str, data: dict[str, Any]) -> None:
        for name, widget in self.widgets[kind].items():
            value = data.get(name)
            if name == "lat":
                self.set_location((data["lat"], data["lon"]) if data.get("lat") is not None
                                  and data.get("lon") is not None else None)
            elif isinstance(widget, QComboBox) and not widget.isEditable():
                index = widget.findData(value) if value is not None else -1
                widget.setCurrentIndex(index if index >= 0 else 0)
            elif isinstance(widget, QComboBox):
                widget.setCurrentText(str(value or ""))
            elif isinstance(widget, QLineEdit):
                widget.setText("" if value is None else str(value))
            else:
                for v, box in widget.boxes.items():
                    box.setChecked(v in (value or []))

    def clear(self, kind: str | None = None) -> None:
        """Back to the neutral page (after sending); the muster office of this station stays."""
        kind = kind or self.current_kind()
        keep = {"office": self.widgets[kind]["office"].text()} if kind == "muster" else {}
        defaults = {name: DEFAULTS[(k, name)] for (k, name) in DEFAULTS if k == kind}
        self.set_values(kind, {**defaults, **keep})
        self._clear_errors(kind)

    def _shelter_chosen(self, name: str) -> None:
        """A shelter reported before from this station: its last values are the starting point."""
        mine = [i for i in self.outbox.items(scope=self.scope)
                if i.kind == "shelter" and i.data.get("name") == name.strip()]
        if mine:
            last = mine[-1]
            self.set_values("shelter", {k: v for k, v in last.data.items() if k != "note"})
            self.status.setText(self.tr("前回の報告（%1）の値を表示しています。変わった所を直して送信してください。")
                                .replace("%1", f"{last.created_at.astimezone(JST):%H:%M}"))

    # -- sending -------------------------------------------------------------
    def _clear_errors(self, kind: str) -> None:
        for name, widget in self.widgets[kind].items():
            widget.setStyleSheet("")
            self.errors[kind][name].hide()

    def show_problems(self, kind: str, problems: list[Problem]) -> None:
        """Each problem at its field (red border and message); all of them in the status line."""
        english = current_language() == "en"
        lines = []
        first = None
        for p in problems:
            name = p.field.split(".")[0]
            name = "lat" if name == "lon" else name
            text = f"{field_name(kind, name)}: {p.message}" if english else p.ja
            lines.append(text)
            widget = self.widgets[kind].get(name)
            if widget is None:
                continue
            widget.setStyleSheet(ERROR_STYLE)
            label = self.errors[kind][name]
            label.setText("\n".join(filter(None, [label.text() if label.isVisible() else "", text])))
            label.show()
            first = first or widget
        self.status.setText(self.tr("入力を確認してください（%1件）:\n").replace("%1", str(len(lines))) + "\n".join(lines))
        if first is not None:
            first.setFocus()

    def send(self) -> OutboxItem | None:
        kind = self.current_kind()
        ward = self.ward_box.currentText()
        self._clear_errors(kind)
        try:
            payload = validate_report(kind, ward, self.values(kind))
        except ReportInvalid as exc:
            self.show_problems(kind, exc.problems)
            return None
        duplicate = self.outbox.find_duplicate(kind, ward, payload)
        if duplicate is not None and not self._confirm_duplicate(duplicate):
            self.status.setText(self.tr("送信しませんでした（同じ内容の報告が送信済みです）"))
            return None
        try:
            item = self.outbox.submit(kind, ward, payload, send=False)
        except ValidationError as exc:
            self.status.setText(self.tr("入力エラー: %1").replace("%1", exc.message))
            return None
        self.clear(kind)
        self.status.setText(self.tr("送信待ちに保存しました: %1").replace("%1", _what(item)))
        self._focus_first()
        self.submitted.emit(item.client_uuid)
        self._refresh_queue()
        self.retry()
        return item

    def _confirm_duplicate(self, item: OutboxItem) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("重複の確認"),
                          self.tr("同じ内容の報告を %1 に%2です。\n%3\n\nもう一度送信しますか？")
                          .replace("%1", f"{item.created_at.astimezone(JST):%H:%M}")
                          .replace("%2", term(OUTBOX_STATE, item.state)).replace("%3", _what(item)), parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        again = box.addButton(self.tr("もう一度送信する"), QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(self.tr("送信しない"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self._dup_box, self._dup_again = box, again  # tests answer with the keyboard
        box.exec()
        self._dup_box = self._dup_again = None
        return box.clickedButton() is again

    def retry(self) -> None:
        """Send what is queued, off the GUI thread (the timer calls this)."""
        if self._flushing or not self.outbox.pending():
            return
        self._flushing = True
        self.runner.submit(lambda _ctx: self.outbox.flush(), on_done=self._flushed, on_error=self._flush_failed)

    def _flushed(self, result: Any) -> None:
        self._flushing = False
        if result.link_up:
            self.link_label.clear()
            if result.sent:
                self.status.setText(self.tr("本部へ送信しました（%1件）").replace("%1", str(result.sent)))
        else:
            self.link_label.setText(link_problem_ja(result.error) + self.tr(
                "送信待ち %1件は保存済みで、接続の回復後に自動で送信します。").replace("%1", str(result.queued)))
            log.warning("outbox: HQ unreachable: %s", result.error)
        self._refresh_queue()

    def _flush_failed(self, exc: BaseException) -> None:
        self._flushing = False
        log.error("outbox flush failed: %s", exc)
        self.link_label.setText(self.tr("送信処理でエラーが発生しました。報告は保存されています（詳細はログ）。"))
        self._refresh_queue()

    def _refresh_queue(self) -> None:
        items = self.outbox.items(scope=self.scope)  # a drill's reports are not listed in the real form
        counts = {QUEUED: 0, SENT: 0, REJECTED: 0, HELD: 0}
        for item in items:
            counts[item.state] = counts.get(item.state, 0) + 1
        title = (self.tr("送信履歴 — 送信待ち %1件・エラー %2件・送信済 %3件")
                 .replace("%1", str(counts[QUEUED])).replace("%2", str(counts[REJECTED]))
                 .replace("%3", str(counts[SENT])))
        if counts[HELD]:
            title += self.tr("・保留 %1件（別の送信先宛て）").replace("%1", str(counts[HELD]))
        self.queue_title.setText(title)
        self.sent_list.clear()
        for item in reversed(items[-HISTORY:]):
            line = f"{item.created_at.astimezone(JST):%H:%M} 【{term(OUTBOX_STATE, item.state)}】 {_what(item)}"
            if item.state in (REJECTED, HELD) and item.last_error:
                line += f" — {item.last_error}"
            entry = QListWidgetItem(line)
            entry.setData(Qt.ItemDataRole.UserRole, item.state)
            entry.setForeground(QColor(STATE_COLOURS.get(item.state, "#000000")))
            self.sent_list.addItem(entry)
        self.queue_changed.emit(counts[QUEUED])

    def history(self) -> list[tuple[str, str]]:
        """(state word, text) of the list below the form, newest first."""
        return [(STATE_JA[self.sent_list.item(i).data(Qt.ItemDataRole.UserRole)], self.sent_list.item(i).text())
                for i in range(self.sent_list.count())]

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.timer.stop()
        super().closeEvent(event)


def _what(item: OutboxItem) -> str:
    return report_text(item.kind, item.ward, item.data, current_language())


def _plain_label(parent: QWidget) -> QLabel:
    """A label that never interprets its text as HTML (it may quote user input)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
