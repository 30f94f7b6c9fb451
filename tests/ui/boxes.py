"""Answering a modal box a test's own call opens (the call blocks in the box's event loop until answered)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def when_open(find_box: Callable[[], Any], act: Callable[[Any], None]) -> None:
    """Run ``act(box)`` from the event loop as soon as ``find_box()`` returns the open box."""
    from PySide6.QtCore import QTimer

    def poll() -> None:
        box = find_box()
        if box is None:
            QTimer.singleShot(20, poll)
            return
        act(box)

    QTimer.singleShot(0, poll)


def answer_with_key(qtbot: Any, find_box: Callable[[], Any], key: Any, button: Callable[[], Any] | None = None) -> None:
    """Press ``key`` on ``button()`` of the box once it is open, else on its focused widget (its default)."""
    when_open(find_box, lambda box: qtbot.keyClick(button() if button is not None else (box.focusWidget() or box),
                                                   key))
