"""The help overlay (F1 / ?): every shortcut of the window, over the window."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget


class HelpOverlay(QWidget):
    """A translucent sheet listing (keys, description); any key or click closes it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.box = QWidget(self)
        self.box.setObjectName("helpBox")
        self.box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.box.setStyleSheet("#helpBox { background: white; border-radius: 8px; } QLabel { font-size: 12pt; }")
        self.grid = QGridLayout()
        outer = QVBoxLayout(self.box)
        title = QLabel(self.tr("キーボード操作"), self.box)
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        title.setFont(font)
        outer.addWidget(title)
        outer.addLayout(self.grid)
        outer.addWidget(QLabel(self.tr("Esc または任意のキーで閉じる"), self.box))
        parent.installEventFilter(self)
        self.hide()

    def set_shortcuts(self, entries: Sequence[tuple[str, str]]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for row, (keys, text) in enumerate(entries):
            key_label = QLabel(keys, self.box)
            key_label.setStyleSheet("font-family: monospace; font-weight: bold;")
            self.grid.addWidget(key_label, row, 0)
            self.grid.addWidget(QLabel(text, self.box), row, 1)
        self.entries = list(entries)

    def toggle(self) -> None:
        if self.isVisible():
            self.hide()
        else:
            self.open()

    def open(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.box.adjustSize()
        self.box.move((self.width() - self.box.width()) // 2, (self.height() - self.box.height()) // 2)
        self.show()
        self.raise_()
        self.setFocus()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt naming
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 140))

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        self.hide()
        event.accept()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        self.hide()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self.open()
        return False
