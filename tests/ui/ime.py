"""Typing Japanese in tests the way an input method does: a committed string."""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication


def ime_type(widget, text: str) -> None:
    """Commit ``text`` into ``widget`` as an IME would (QTest cannot key-click kanji)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)
