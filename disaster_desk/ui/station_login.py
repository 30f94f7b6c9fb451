"""Before the window: open the database and learn who this station is, off the GUI thread.

:func:`disaster_desk.core.access.open_station` connects and reads the login's
stations row (PostgreSQL) or settings (SQLite) in a worker; the GUI thread
waits in an event loop meanwhile, so the screen stays alive on a slow link.
A refused login (revoked, unknown, password rotated) is shown in a Japanese
dialog, never a traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtWidgets import QMessageBox, QWidget

from disaster_desk.core.access import Access, LoginRefused, open_station
from disaster_desk.core.db import reporting_migrations

log = logging.getLogger(__name__)


def open_station_in_background(settings: Any, runner: Any, on_migration: Any = None) -> tuple[Any, Access]:
    """``open_station(settings)`` on ``runner``; raises what it raised (in the GUI thread).

    ``on_migration(done, total, what)`` is called from the worker for each schema migration
    applied (a queued signal's ``emit``, e.g. the start-up window's ``migrated``).
    """

    def work() -> tuple[Any, Access]:
        with reporting_migrations(on_migration):
            return open_station(settings)

    return run_in_background(runner, work)


def run_in_background(runner: Any, fn: Any) -> Any:
    """``fn()`` on ``runner`` while the GUI thread waits in an event loop (start-up, before the window)."""
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def done(value: Any) -> None:
        outcome["value"] = value
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    handle = runner.submit(lambda _ctx: fn(), on_done=done, on_error=failed)
    if not handle.done and not outcome:
        loop.exec()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def login_refused_dialog(parent: QWidget | None, exc: LoginRefused) -> QMessageBox:
    """The dialog for a refused login (not yet shown; ``exec()`` it or ``show()`` it)."""
    box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("StationLogin", "ログインできません"),
                      exc.message_ja, QMessageBox.StandardButton.Close, parent)
    box.setObjectName("loginRefusedDialog")
    box.setInformativeText(QCoreApplication.translate("StationLogin", "この端末では災害情報デスクを開けません。"))
    log.error("login refused: %s", exc)
    return box


def unreachable_dialog(parent: QWidget | None, message: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("StationLogin", "データベースに接続できません"),
                      QCoreApplication.translate("StationLogin", "本部のデータベースに接続できません。ネットワークと設定を確認してください。"),
                      QMessageBox.StandardButton.Close, parent)
    box.setObjectName("unreachableDialog")
    box.setDetailedText(message)
    return box
