"""The red 「訓練中 — EXERCISE」 band across the window in drill mode."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget


class DrillBand(QWidget):
    TEXT = "訓練中 — EXERCISE"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drillBand")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#drillBand { background: #d50000; } QLabel { color: white; font-weight: bold; }")
        self.label = QLabel(self.tr("訓練中 — EXERCISE"), self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.label.setFont(font)
        self.detail = QLabel(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.detail)
        self.hide()

    def set_detail(self, text: str) -> None:
        """Scenario name, elapsed time and speed, e.g. 「上町断層帯 経過 00:23:10 ×60」."""
        self.detail.setText(text)
