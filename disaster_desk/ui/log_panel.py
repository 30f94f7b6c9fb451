"""The log panel: one ``logging.Handler`` feeding a widget through a signal.

As in Dangerzone's ``gui/log_window.py``: records may come from any thread,
so the handler only emits a Qt signal; the panel appends in the GUI thread.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

MAX_LINES = 5000


class _Emitter(QObject):
    record = Signal(int, str)


class QtLogHandler(logging.Handler):
    """A logging handler that re-emits formatted records as ``emitter.record(level, text)``."""

    def __init__(self, level: int = logging.INFO) -> None:
        super().__init__(level)
        self.emitter = _Emitter()
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.emitter.record.emit(record.levelno, self.format(record))
        except RuntimeError:  # the emitter was deleted with its window
            pass


class LogPanel(QWidget):
    """Read-only view of the application log with a level filter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = QPlainTextEdit(self)
        self.view.setReadOnly(True)
        self.view.setMaximumBlockCount(MAX_LINES)
        self.level = QComboBox(self)
        for name, level in (("DEBUG", logging.DEBUG), ("INFO", logging.INFO), ("WARNING", logging.WARNING)):
            self.level.addItem(name, level)
        self.level.setCurrentIndex(1)
        clear = QPushButton(self.tr("消去"), self)
        clear.clicked.connect(self.view.clear)
        top = QHBoxLayout()
        top.addWidget(self.level)
        top.addStretch(1)
        top.addWidget(clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.view)
        self.handler = QtLogHandler(logging.DEBUG)
        self.handler.emitter.record.connect(self.append)

    def attach(self, logger: logging.Logger | None = None) -> None:
        """Start showing records of ``logger`` (the root logger by default)."""
        logger = logger or logging.getLogger()
        if logger.level > logging.INFO or logger.level == logging.NOTSET:
            logger.setLevel(logging.INFO)
        logger.addHandler(self.handler)
        self._logger = logger

    def detach(self) -> None:
        logger = getattr(self, "_logger", None)
        if logger is not None:
            logger.removeHandler(self.handler)
            self._logger = None

    def append(self, level: int, text: str) -> None:
        if level < (self.level.currentData() or logging.INFO):
            return
        self.view.appendPlainText(text)
        self.view.moveCursor(QTextCursor.MoveOperation.End)

    def text(self) -> str:
        return self.view.toPlainText()
