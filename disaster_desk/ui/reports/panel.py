"""HQ's reports panel: 避難所 | 被害 | 参集 | システム, as tables and small charts.

A thin adapter over :mod:`disaster_desk.core.aggregates`: ``refresh()`` reads
the aggregates for the current scope on the runner and fills the tables in the
GUI thread when they arrive (the window calls it when a ``reports`` change is
heard). CSV import/export go through
:mod:`disaster_desk.core.report_csv` and so through the report service.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from disaster_desk.core import aggregates, report_csv, shelter_registry
from disaster_desk.core.clock import JST, Clock
from disaster_desk.core.db import Database
from disaster_desk.core.map_items import DAMAGE_COLOURS
from disaster_desk.core.modes import Scope
from disaster_desk.core.report_schema import PAYLOADS
from disaster_desk.core.reports import ReportService
from disaster_desk.core.vocabulary import DAMAGE_STATUS
from disaster_desk.ui.error_text import csv_problem_text, describe
from disaster_desk.ui.names import field_name, value_name
from disaster_desk.ui.progress import ProgressTask
from disaster_desk.ui.reports.charts import BarChart, LineChart
from disaster_desk.ui.reports.damage_list import DamageList
from disaster_desk.ui.workers import LatestRead, default_runner

log = logging.getLogger(__name__)

#: Problems listed in the registry import dialog's text (all of them are in its details).
REGISTRY_SHOWN = 15
STATUS_COLOUR = {"down": "#d7191c", "degraded": "#f57c00", "unknown": "#9e9e9e", "up": "#2ca25f"}
DAMAGE_STATUSES = DAMAGE_STATUS.ids


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    return table


def _fill(table: QTableWidget, rows: list[list[object]], colours: list[str | None] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))  # plain text, never rich text
            if colours and colours[r] and c == len(row) - 1:
                item.setForeground(QColor(colours[r]))
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


@dataclass(frozen=True)
class PanelData:
    """What one refresh reads (on the runner) for the four tabs."""

    shelters: aggregates.ShelterSummary
    damage: dict[str, Any]
    damage_reports: list[Any]
    muster: aggregates.MusterSummary
    board: list[aggregates.SystemStatus]

    @classmethod
    def read(cls, db: Database, scope: Scope, clock: Clock) -> PanelData:
        return cls(aggregates.shelter_summary(db, scope), aggregates.damage_summary(db, scope),
                   ReportService(db, clock, scope).of_kind("damage"), aggregates.muster_summary(db, scope),
                   aggregates.system_board(db, scope))


class ReportsPanel(QWidget):
    def __init__(self, db: Database, scope: Scope, clock: Clock, parent: QWidget | None = None, *,
                 actor: str = "hq", runner: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self.last_registry: shelter_registry.RegistryImport | None = None
        self.registry_dialog: QMessageBox | None = None
        #: The last long task (import, export) with its progress dialog; the CSV import's problem dialog.
        self.progress: ProgressTask | None = None
        self.import_dialog: QMessageBox | None = None
        self.scope = scope
        self.clock = clock
        self.actor = actor  # the audit log's author of CSV imports
        self.runner = default_runner(runner)
        self.reads = LatestRead(self.runner)
        self.tabs = QTabWidget(self)
        self.summary = _plain_label(self)
        self.notice = _plain_label(self)  # the result of the last import (a refresh does not overwrite it)
        self.notice.setWordWrap(True)
        self.shelters = _table([self.tr("区"), self.tr("開設"), self.tr("満員"), self.tr("閉鎖"), self.tr("未開設"),
                                self.tr("避難者"), self.tr("世帯"), self.tr("収容可能"), self.tr("充足率")])
        self.shelter_chart = BarChart()
        self.damage = _table([field_name("damage", "type"), *(value_name("damage", "status", s) for s in DAMAGE_STATUSES),
                              *(value_name("damage", "severity", v) for v in DAMAGE_COLOURS)])
        self.damage_list = DamageList(ReportService(db, clock, scope), actor, runner=self.runner)
        self.muster = _table([self.tr("区"), self.tr("所属"), self.tr("参集"), self.tr("予定"), self.tr("参集率")])
        self.muster_label = _plain_label(self)
        self.muster_chart = LineChart()
        self.systems = _table([self.tr("システム"), self.tr("区"), self.tr("更新"), self.tr("備考"), self.tr("状況")])
        self.tabs.addTab(self._page(self.shelters, self.shelter_chart), self.tr("避難所"))
        self.tabs.addTab(self._page(self.damage, self.damage_list), self.tr("被害"))
        self.tabs.addTab(self._page(self.muster_label, self.muster, self.muster_chart), self.tr("参集"))
        self.tabs.addTab(self._page(self.systems), self.tr("システム"))
        buttons = QHBoxLayout()
        for text, slot in ((self.tr("CSV取込…"), self._ask_import), (self.tr("CSV出力…"), self._ask_export),
                           (self.tr("テンプレート…"), self._ask_template),
                           (self.tr("避難所台帳取込…"), self._ask_registry)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs)
        layout.addLayout(buttons)
        self.refresh()

    @staticmethod
    def _page(*widgets: QWidget) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        for widget in widgets:
            layout.addWidget(widget)
        return page

    def set_scope(self, scope: Scope, clock: Clock | None = None) -> None:
        self.scope = scope
        self.clock = clock or self.clock
        self.damage_list.set_service(ReportService(self.db, self.clock, scope))
        self.refresh()

    def refresh(self) -> None:
        """Read the four tabs' data on the runner; :meth:`show_data` fills them when it arrives."""
        db, scope, clock = self.db, self.scope, self.clock
        self.reads.submit(lambda: PanelData.read(db, scope, clock), self.show_data)

    def show_data(self, data: PanelData) -> None:
        shelters = data.shelters
        city = shelters.city
        rows, chart = [], []
        for ward, c in [(self.tr("市全体"), city), *shelters.wards.items()]:
            occupancy = f"{c.occupancy:.0%}" if c.occupancy is not None else ""
            rows.append([ward, c.open, c.full, c.closed, c.unopened, c.evacuees, c.households, c.capacity, occupancy])
            if c is not city and (c.open or c.full):
                chart.append((ward, c.evacuees, max(c.capacity, c.evacuees, 1), "#d7191c" if c.full else "#2ca25f"))
        _fill(self.shelters, rows)
        self.shelter_chart.set_rows(chart)

        table = data.damage
        _fill(self.damage, [[value_name("damage", "type", kind), *(counts[s] for s in DAMAGE_STATUSES),
                             *(counts[f"severity:{v}"] for v in DAMAGE_COLOURS)] for kind, counts in table.items()])
        self.damage_list.show_reports(data.damage_reports)

        muster = data.muster
        _fill(self.muster, [[o.ward or "", o.office, o.arrived, o.expected, f"{o.rate:.0%}" if o.rate is not None else ""]
                            for o in muster.offices],
              ["#2ca25f" if o.at_target else "#d7191c" for o in muster.offices])
        if muster.city and muster.city.rate is not None:
            self.muster_label.setText(self.tr("市全体 参集 {a}/{e}（{r:.0%}、目標 {t:.0%}）").format(
                a=muster.city.arrived, e=muster.city.expected, r=muster.city.rate, t=aggregates.BCP_MUSTER_TARGET))
        else:
            self.muster_label.setText(self.tr("参集報告なし"))
        start = muster.series[0].at if muster.series else None
        self.muster_chart.set_points(
            [((p.at - start).total_seconds(), p.rate or 0.0) for p in muster.series] if start else [],
            aggregates.BCP_MUSTER_TARGET)

        board = data.board
        _fill(self.systems, [[s.system, s.ward or self.tr("全庁"), s.at.astimezone(JST).strftime("%H:%M"), s.note or "",
                              value_name("system", "status", s.status)] for s in board], [STATUS_COLOUR[s.status] for s in board])
        down = sum(s.status == "down" for s in board)
        self.summary.setText(self.tr("開設 {o}・満員 {f}・避難者 {e}人 ／ 停止中システム {d}").format(
            o=city.open, f=city.full, e=city.evacuees, d=down))

    # -- CSV -----------------------------------------------------------------
    def import_csv(self, kind: str, path: str | Path,
                   on_done: Callable[[report_csv.ImportResult], None] | None = None) -> None:
        """Import a filled template through the report service (on the runner, with a progress dialog).

        Refreshes the tables; any refused line opens a dialog listing each by line (all in its details).
        """
        service = ReportService(self.db, self.clock, self.scope)
        name, actor = Path(path).name, self.actor
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            self._failed(exc)
            return

        def imported(result: report_csv.ImportResult) -> None:
            summary = self.tr("取込 {n}件、重複 {d}件、エラー {e}件").format(
                n=len(result.created), d=len(result.duplicates), e=len(result.errors))
            lines = [csv_problem_ja(e) for e in result.errors]
            heading = None
            if result.stopped:  # 中止 between lines: what was stored stays stored, the rest was not read
                heading = self.tr("{name}: 中止しました。{n}件を保存しました。{line}行目から後は読んでいません"
                                  "（もう一度取り込むと、保存済みの行は重複として数え、残りを取り込みます）。").format(
                    name=name, n=len(result.created), line=result.not_read_from) + "\n" + summary
            elif lines:
                heading = self.tr("{name}: {summary}\n取り込めなかった行があります（ほかの行は取り込みました）。").format(
                    name=name, summary=summary)
            self.notice.setText((heading if result.stopped else summary) + ("\n" + "\n".join(lines[:10]) if lines else ""))
            if heading is not None:
                self.import_dialog = _problem_box(
                    self, self.tr("CSV取込"), heading + ("\n\n" + "\n".join(_shown(lines)) if lines else ""),
                    "\n".join(csv_problem_details(e) for e in result.errors))
            self.refresh()
            if on_done is not None:
                on_done(result)

        self.progress = ProgressTask(
            self, self.runner, lambda report: report_csv.import_reports(service, kind, data, author=actor,
                                                                        progress=report),
            title=self.tr("CSV取込"), label=self.tr("{name} を取り込んでいます").format(name=name),
            on_done=imported, on_error=self._failed,
            cancellable=True)  # a transaction a line: 中止 stops between lines, the stored ones are said

    def export_csv(self, kind: str, path: str | Path, on_done: Callable[[Path], None] | None = None) -> None:
        """Write the scope's reports of ``kind`` as CSV (read on the runner, with a progress dialog)."""
        db, scope, target = self.db, self.scope, Path(path)

        def export(_report: Any) -> Path:
            target.write_bytes(report_csv.export_reports(db, kind, scope))
            return target

        def exported(written: Path) -> None:
            self.notice.setText(self.tr("CSVを書き出しました: {path}").format(path=str(written)))
            if on_done is not None:
                on_done(written)

        self.progress = ProgressTask(self, self.runner, export, title=self.tr("CSV出力"),
                                     label=self.tr("{name} を書き出しています").format(name=target.name),
                                     on_done=exported, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        """A whole import or export failed: said in the notice line and in a dialog that stays until read.

        The sentence is translated (ui.error_text); the driver's or core's own text is the dialog's details.
        """
        log.error("reports panel: %s", exc)
        said = describe(exc)
        self.notice.setText(self.tr("処理できませんでした: %1").replace("%1", said.text))
        self.import_dialog = _problem_box(self, self.tr("CSV"), self.tr("処理できませんでした: %1").replace("%1", said.text),
                                          said.details)

    def _current_kind(self) -> str:
        return list(PAYLOADS)[self.tabs.currentIndex()]

    def _ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("CSV取込"), "", "CSV (*.csv)")
        if path:
            self.import_csv(self._current_kind(), path)

    def _ask_export(self) -> None:
        kind = self._current_kind()
        path, _ = QFileDialog.getSaveFileName(self, self.tr("CSV出力"), f"{kind}.csv", "CSV (*.csv)")
        if path:
            self.export_csv(kind, path)

    def _ask_template(self) -> None:
        kind = self._current_kind()
        path, _ = QFileDialog.getSaveFileName(self, self.tr("テンプレート"), f"{kind}-template.csv", "CSV (*.csv)")
        if path:
            Path(path).write_bytes(report_csv.template(kind))

    def import_registry(self, path: str | Path) -> None:
        """Import a GSI 指定避難所 CSV into the shelter registry, off the GUI thread.

        The outcome goes to the summary line; any refused line or duplicate id opens
        a dialog that lists each problem by line, in Japanese, until it is closed.
        """
        name, db = Path(path).name, self.db
        self.summary.setText(self.tr("避難所台帳を取り込んでいます: {name}").format(name=name))
        self.progress = ProgressTask(
            self, self.runner, lambda report: shelter_registry.import_gsi_csv(db, path, progress=report),
            title=self.tr("避難所台帳の取込"), label=self.tr("{name} を取り込んでいます").format(name=name),
            on_done=lambda result: self._registry_done(name, result),
            on_error=lambda exc: self._registry_failed(name, exc),
            on_cancelled=lambda: self.summary.setText(
                self.tr("避難所台帳 {name}: 中止しました。台帳は変わっていません").format(name=name)),
            cancellable=True)  # one transaction after the last report: a stopped import changes nothing

    def _registry_done(self, name: str, result: shelter_registry.RegistryImport) -> None:
        self.last_registry = result
        self.summary.setText(self.tr("避難所台帳 {name}: {summary}").format(name=name, summary=result.summary_ja()))
        problems = result.problems()
        if problems:
            lines = [p.ja() for p in problems]
            shown = _shown(lines)
            self.registry_dialog = _problem_box(
                self, self.tr("避難所台帳の取込"),
                self.tr("{name}: {summary}\n取り込めなかった行・重複した行があります。").format(
                    name=name, summary=result.summary_ja()) + "\n\n" + "\n".join(shown),
                "\n".join(lines))

    def _registry_failed(self, name: str, exc: BaseException) -> None:
        log.warning("shelter registry import %s failed: %s", name, exc)
        self.summary.setText(self.tr("避難所台帳 {name}: 取り込めませんでした").format(name=name))
        if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError):
            reason, details = self.tr("ファイルを読めません（{e}）").format(e=exc.strerror or type(exc).__name__), str(exc)
        else:
            said = describe(exc)
            reason, details = said.text, said.details
        self.registry_dialog = _problem_box(self, self.tr("避難所台帳の取込"), self.tr(
            "{name} を取り込めませんでした。台帳は変わっていません。\n理由: {reason}").format(name=name, reason=reason),
            details)

    def _ask_registry(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("避難所台帳取込"), "", "CSV (*.csv)")
        if path:
            self.import_registry(path)


def csv_problem_ja(error: report_csv.CsvError) -> str:
    """One refused CSV line as the operator reads it (as the registry's): 3行目（参集人数）: reason."""
    where = QCoreApplication.translate("ReportsPanel", "{line}行目").format(line=error.line)
    message = csv_problem_text(error)
    return f"{where}（{error.column}）: {message}" if error.column else f"{where}: {message}"


def csv_problem_details(error: report_csv.CsvError) -> str:
    """The line for a dialog's details: as shown, plus the database's or core's own words where they differ."""
    shown = csv_problem_ja(error)
    return f"{shown}\n    {error}" if error.code else shown


def _shown(lines: list[str]) -> list[str]:
    """The first REGISTRY_SHOWN problems for a dialog's text (all of them go to its details)."""
    more = len(lines) - REGISTRY_SHOWN
    return lines[:REGISTRY_SHOWN] + (
        [QCoreApplication.translate("ReportsPanel", "…ほか {n}件（詳細に全件）").format(n=more)] if more > 0 else [])


def _problem_box(parent: QWidget, title: str, text: str, details: str) -> QMessageBox:
    """A window-modal box that stays until read; plain text (it quotes file content), details for the rest."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if details:
        box.setDetailedText(details)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box


def _plain_label(parent: QWidget) -> QLabel:
    """A label that never interprets its text as HTML (it may quote user input)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
