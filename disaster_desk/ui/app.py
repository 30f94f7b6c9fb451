"""Starting the desktop app: settings, database, QApplication, main window.

A start-up window (ui/startup.py) says what is being done, with a progress bar, from the
first moment: the database (and its migrations), the collectors, the window, then the NLP
analyser, loaded on the window's runner right after the window is shown (the window is
usable meanwhile; the demo, drills and collectors get that same analyser).
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import time
from typing import Any

from disaster_desk.ui.qtenv import prepare_qt_environment

log = logging.getLogger(__name__)

APP_NAME = "災害情報デスク"


def make_application(language: str | None = None, font_scale: float | None = None) -> Any:
    """The QApplication with translator and font (created once per process)."""
    prepare_qt_environment()
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from disaster_desk.ui import fonts, i18n

    app = QApplication.instance()
    if app is None:
        QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)  # QtWebEngine wants it first
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("disaster-desk")
    if language:
        i18n.install_translator(app, language)
    fonts.apply_font(app, font_scale or 1.0)
    return app


def open_window(settings: Any, db: Any, **kwargs: Any) -> Any:
    from disaster_desk.ui.main_window import MainWindow
    from disaster_desk.ui.window_state import ui_settings

    qs = ui_settings()
    make_application(qs.value("language", settings.ui.language), float(qs.value("font_scale", settings.ui.font_scale)))
    return MainWindow(settings, db, qsettings=qs, **kwargs)


def freeze_startup(*_args: Any) -> None:
    """Move what exists now (Qt wrappers, the area pack, the map page, the analyser's models) out of the
    garbage collector's walks: it lives as long as the process. A full collection, which any thread can
    start (a worker materialising rows), then stops the GUI thread only for what came later — a full
    walk of the startup heap stopped it for 684 ms (bench live, 200,000 posts, load 10 on 2 cores).
    Not called in tests: there windows come and go, and frozen objects are never collected.
    Then the GUI process' interpreter settings (ui.responsive: full collections when the worker
    pool is idle, a 1 ms GIL switch interval)."""
    gc.freeze()
    from disaster_desk.ui import responsive

    responsive.tune()


def run_app(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    prepare_qt_environment()
    from disaster_desk.core.access import LoginRefused
    from disaster_desk.core.settings import load_settings
    from disaster_desk.errors import UserError
    from disaster_desk.ui import station_login
    from disaster_desk.ui.workers import ThreadRunner

    settings = load_settings(getattr(args, "config", None), db_url=getattr(args, "db", None))
    if getattr(args, "role", None):  # a layout wanted; the login (PostgreSQL) decides whether it may
        settings = settings.model_copy(update={"role": args.role})
    from disaster_desk.ui.window_state import ui_settings

    qs = ui_settings()  # the language the window will use, for the dialogs before it
    app = make_application(qs.value("language", settings.ui.language), float(qs.value("font_scale", settings.ui.font_scale)))
    from disaster_desk.ui.startup import StartupWindow, warm_up_analyser

    splash = StartupWindow()  # what the start is doing, in words, until the analyser is ready
    splash.show()
    splash.begin("database")
    try:
        runner = ThreadRunner(1)
        db, access = station_login.open_station_in_background(settings, runner, splash.migrated.emit)
    except LoginRefused as exc:
        splash.close()
        station_login.login_refused_dialog(None, exc).exec()
        return 1
    except UserError as exc:
        splash.close()
        if settings.role != "ward":
            print(f"disaster-desk: error: {exc}", file=sys.stderr)
            station_login.unreachable_dialog(None, str(exc)).exec()
            return 2
        return _run_offline_station(settings, str(exc))
    station_login.run_in_background(runner, lambda: _mark_interrupted_runs(db))  # off the GUI thread
    scheduler = None
    if not getattr(args, "no_collect", False):
        from disaster_desk.ui.collection import start_collection

        splash.begin("collectors")
        scheduler = start_collection(settings, db)
    splash.begin("window")
    window = open_window(settings, db, collector_scheduler=scheduler, confirm_close=True, access=access)
    window.deferred_ready.connect(freeze_startup)
    window.show()
    log.info("window shown in %.2f s", time.perf_counter() - t0)
    splash.raise_()
    warm_up_analyser(window, splash, settings.gazetteer_dir).ready.connect(freeze_startup)
    if getattr(args, "demo", False):
        window.start_demo()
    try:
        return app.exec()
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=True)
        db.dispose()


def _mark_interrupted_runs(db: Any) -> None:
    """Drill runs left ``running`` by a process that died are ``interrupted`` (before the window reads them).

    A login that may not write drill runs (ward, viewer, collector) leaves them, with one
    warning from drills.runs; nothing here keeps the desk from opening.
    """
    from disaster_desk.core.clock import SystemClock
    from drills.runs import mark_interrupted

    try:
        marked = mark_interrupted(db, SystemClock().now())
    except Exception:  # never keep the desk from opening over a drill's bookkeeping
        log.exception("interrupted drill runs not checked")
        return
    if marked:
        log.warning("drill runs interrupted (their process is gone): %s", ", ".join(marked))


def _run_offline_station(settings: Any, reason: str) -> int:
    """A ward station whose link to HQ is down still reports (through its outbox)."""
    from disaster_desk.core.clock import SystemClock
    from disaster_desk.ui.offline_station import OfflineStationWindow

    app = make_application(settings.ui.language, settings.ui.font_scale)
    window = OfflineStationWindow(settings, SystemClock(), reason)
    window.show()
    return app.exec()
