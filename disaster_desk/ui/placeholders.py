"""Clearly-named stand-ins for panels whose module is not available.

Used only when another area's module cannot be imported, so the window
still opens and says what is missing instead of crashing.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

log = logging.getLogger(__name__)


class MissingPanel(QWidget):
    def __init__(self, what: str, module: str, error: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.module = module
        label = QLabel(self.tr("%1 は利用できません (%2)").replace("%1", what).replace("%2", module), self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        label.setToolTip(error)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        log.warning("panel %s unavailable: %s %s", what, module, error)


class LoadingPanel(QWidget):
    """Shown in a dock until its real panel is built (just after the window appears)."""

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        label = QLabel(self.tr("%1 を準備中…").replace("%1", what), self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
