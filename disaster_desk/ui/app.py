"""Starting the desktop app: settings, database, QApplication, main window."""

from __future__ import annotations

import argparse
import logging
import sys

from disaster_desk.ui.qtenv import prepare_qt_environment

log = logging.getLogger(__name__)


def run_app(args: argparse.Namespace) -> int:
    prepare_qt_environment()
    from PySide6.QtWidgets import QApplication

    from disaster_desk.core.db import Database
    from disaster_desk.core.settings import load_settings
    from disaster_desk.ui.main_window import MainWindow

    settings = load_settings(getattr(args, "config", None), db_url=getattr(args, "db", None))
    if getattr(args, "role", None):
        settings = settings.model_copy(update={"role": args.role})
    db = Database.open(settings.db_url)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("災害情報デスク")
    window = MainWindow(settings, db)
    window.show()
    if getattr(args, "demo", False):
        window.start_demo()
    return app.exec()
