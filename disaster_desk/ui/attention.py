"""Attention: a non-modal banner for new rescue (救助) items, with optional sound."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QWidget

from disaster_desk.core.items import ItemKey

log = logging.getLogger(__name__)


class RescueBanner(QWidget):
    """A red strip under the title: 「救助要請 未対応 N件」 with the latest text; never steals focus.

    N counts the announced items still new: acknowledging, sharing or
    dismissing one lowers it (the window calls :meth:`retain`); a scope
    change (another drill run) starts again from zero (:meth:`reset`).
    """

    show_requested = Signal(str)  # item key

    def __init__(self, parent: QWidget | None = None, *, sound: bool = False) -> None:
        super().__init__(parent)
        self.sound = sound
        self.setObjectName("rescueBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#rescueBanner { background: #b71c1c; } QLabel { color: white; font-weight: bold; }")
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.show_button = QPushButton(self.tr("表示"), self)
        self.show_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button = QPushButton(self.tr("閉じる"), self)
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.show_button)
        layout.addWidget(self.close_button)
        self.show_button.clicked.connect(lambda: self.show_requested.emit(self.key or ""))
        self.close_button.clicked.connect(self.dismiss)
        #: Announced rescue items not handled yet, oldest first (key -> queue row).
        self.pending: dict[str, Any] = {}
        self._blink = QTimer(self, interval=600)
        self._blink.timeout.connect(self._toggle_blink)
        self._blink_state = False
        self.hide()

    def announce(self, rows: list[Any]) -> None:
        """Show the banner for new rescue rows (newest first in ``rows``)."""
        if not rows:
            return
        for row in reversed(rows):
            key = str(ItemKey.of(row))
            self.pending.pop(key, None)
            self.pending[key] = row  # the newest last
        self._show_text()
        self.show()
        self._blink.start()
        QTimer.singleShot(6000, self._blink.stop)
        if self.sound:
            QApplication.beep()
        log.warning("new rescue item %s (%s)", self.key, rows[0].ward or "")

    def retain(self, unhandled: set[str]) -> None:
        """Keep only the announced items still unhandled (新規); hide when none is left."""
        for key in [k for k in self.pending if k not in unhandled]:
            del self.pending[key]
        if not self.pending:
            self.dismiss()
        elif self.isVisible():
            self._show_text()

    def reset(self) -> None:
        """Forget every announced item (a new drill run, back to real data)."""
        self.pending.clear()
        self.dismiss()

    @property
    def count(self) -> int:
        return len(self.pending)

    @property
    def key(self) -> str | None:
        """The newest unhandled item (what 表示 opens)."""
        return next(reversed(self.pending), None)

    def _show_text(self) -> None:
        latest = self.pending[self.key]
        text = " ".join((latest.text or "").split())[:80]
        self.message.setText(
            self.tr("救助要請 未対応 %1件 — %2 %3").replace("%1", str(self.count)).replace("%2", latest.ward or "")
            .replace("%3", text)
        )

    def dismiss(self) -> None:
        """Hide the banner (the items stay pending: a newer one shows it again)."""
        self._blink.stop()
        self.hide()

    def _toggle_blink(self) -> None:
        self._blink_state = not self._blink_state
        colour = "#e53935" if self._blink_state else "#b71c1c"
        self.setStyleSheet(f"#rescueBanner {{ background: {colour}; }} QLabel {{ color: white; font-weight: bold; }}")
