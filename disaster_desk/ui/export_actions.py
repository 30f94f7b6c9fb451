"""ファイル → 書き出し: CAP, GeoJSON, CSV and SIP4D-ZIP of the window's scope, with progress.

Each export runs on the window's runner through the core writer (the same one
as ``disaster-desk export``), with a progress dialog that can stop it: the
writers install nothing until the last record is done (core.progress), so a
stopped export leaves the previous files as they were. A drill window exports
its drill (the files say so); the outcome is said in the status bar, a failure
in a dialog that stays until read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from disaster_desk.ui.error_text import describe
from disaster_desk.ui.progress import ProgressTask

log = logging.getLogger(__name__)

#: kind → (asks for a folder, default file name)
KINDS: dict[str, tuple[bool, str]] = {
    "cap": (True, "cap"),
    "geojson": (False, "disaster-desk.geojson"),
    "csv": (False, "disaster-desk.csv"),
    "sip4d": (True, "sip4d"),
}


def kind_text(kind: str) -> str:
    return {
        "cap": QCoreApplication.translate("ExportActions", "CAP 1.2（共有済み項目）"),
        "geojson": "GeoJSON",
        "csv": "CSV",
        "sip4d": QCoreApplication.translate("ExportActions", "SIP4D-ZIP（避難所）"),
    }[kind]


def install(window: Any, file_menu: QMenu) -> None:
    """Add the 書き出し submenu to the window's File menu."""
    menu = file_menu.addMenu(QCoreApplication.translate("ExportActions", "書き出し"))
    window.export_actions = {}
    for kind in KINDS:
        action = menu.addAction(kind_text(kind) + "…")
        action.triggered.connect(lambda _checked=False, k=kind: ask_export(window, k))
        window.export_actions[kind] = action


def ask_export(window: Any, kind: str) -> None:
    folder, name = KINDS[kind]
    if folder:
        path = QFileDialog.getExistingDirectory(window, QCoreApplication.translate("ExportActions", "書き出し先のフォルダ"), "")
    else:
        path, _ = QFileDialog.getSaveFileName(window, QCoreApplication.translate("ExportActions", "書き出し先"), name)
    if path:
        export(window, kind, path)


def _work(window: Any, kind: str, out: Path) -> Callable[[Callable[[int, int], None]], str]:
    from disaster_desk.core.exports.cap import export_cap
    from disaster_desk.core.exports.csv_export import export_csv
    from disaster_desk.core.exports.geojson import export_geojson
    from disaster_desk.core.exports.sip4d import export_sip4d

    db, scope, clock = window.db, window.scope, window.clock

    def run(report: Callable[[int, int], None]) -> str:
        if kind == "cap":
            paths = export_cap(db, scope, out, progress=report)
            return QCoreApplication.translate("ExportActions", "CAP {n}件を書き出しました: {path}").format(n=len(paths), path=str(out))
        if kind == "geojson":
            n = export_geojson(db, scope, out, progress=report)
            return QCoreApplication.translate("ExportActions", "GeoJSON {n}件を書き出しました: {path}").format(n=n, path=str(out))
        if kind == "csv":
            n = export_csv(db, scope, out, progress=report)
            return QCoreApplication.translate("ExportActions", "CSV {n}件を書き出しました: {path}").format(n=n, path=str(out))
        result = export_sip4d(db, scope, out, clock, progress=report)
        text = QCoreApplication.translate("ExportActions", "SIP4D-ZIP 避難所 {n}件を書き出しました: {path}").format(n=result.shelters, path=str(result.path))
        if result.without_position:
            text += QCoreApplication.translate("ExportActions", "（位置の分からない避難所 {n}件は含めていません）").format(n=result.without_position)
        return text

    return run


def export(window: Any, kind: str, path: str | Path) -> ProgressTask:
    """Export ``kind`` of the window's scope to ``path`` on the runner; the task is kept as ``window.export_task``."""
    out = Path(path)
    label = QCoreApplication.translate("ExportActions", "{kind} を書き出しています").format(kind=kind_text(kind))
    if window.scope.is_drill:
        label += QCoreApplication.translate("ExportActions", "（訓練データ）")

    def done(message: str) -> None:
        window.last_export = message
        window.statusBar().showMessage(message, 10_000)

    def failed(exc: BaseException) -> None:
        log.error("export %s to %s failed: %s", kind, out, exc)
        if isinstance(exc, OSError):
            reason = QCoreApplication.translate("ExportActions", "書き込めません（{e}）").format(e=exc.strerror or type(exc).__name__)
            details = str(exc)
        else:  # a database refusal or timeout while reading: a translated sentence, the driver's text as details
            said = describe(exc)
            reason, details = said.text, said.details
        window.last_export = None
        box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("ExportActions", "書き出し"),
                          QCoreApplication.translate("ExportActions", "{path} に書き出せませんでした。\n理由: {reason}").format(path=str(out), reason=reason),
                          QMessageBox.StandardButton.Ok, window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDetailedText(details)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
        window.export_dialog = box

    def stopped() -> None:
        window.last_export = None
        window.statusBar().showMessage(QCoreApplication.translate("ExportActions", "書き出しを中止しました（ファイルは変わっていません）"), 10_000)

    window.export_task = ProgressTask(window, window.runner, _work(window, kind, out), title=QCoreApplication.translate("ExportActions", "書き出し"),
                                      label=label, on_done=done, on_error=failed, on_cancelled=stopped,
                                      cancellable=True)
    return window.export_task
