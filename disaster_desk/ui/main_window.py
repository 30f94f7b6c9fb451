"""The main window (skeleton: the panels are filled in by the UI issues)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow

from disaster_desk.core.db import Database
from disaster_desk.core.settings import Settings

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings, db: Database) -> None:
        super().__init__()
        self.settings = settings
        self.db = db
        self.setWindowTitle(self.tr("災害情報デスク — 本番"))
        label = QLabel(self.tr("災害情報デスク"))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(label)
        self.resize(1600, 1000)

    def start_demo(self) -> None:
        log.info("demo requested; no scenario engine yet")
