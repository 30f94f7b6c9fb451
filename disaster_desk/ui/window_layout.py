"""The docks of the main window and how each role arranges them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QScrollArea, QWidget

ROLES = ("hq", "ward", "drill")
#: Which docks each role sees.
ROLE_DOCKS = {
    "hq": {"queue", "detail", "map", "reports", "alerts", "drill", "collectors", "log"},
    "ward": {"ward_form", "inbox", "map", "alerts", "log"},
    "drill": {"drill", "queue", "detail", "map", "reports", "alerts", "log"},
}


def make_dock(window: Any, name: str, title: str, widget: QWidget, *, scroll: bool = False) -> QDockWidget:
    """A dock for ``widget``; ``scroll`` wraps tall panels so they never force the window's size."""
    dock = QDockWidget(title, window)
    dock.setObjectName(f"dock_{name}")
    if scroll:
        area = QScrollArea(dock)
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setWidget(widget)
        widget = area
    dock.setWidget(widget)
    window.docks[name] = dock
    return dock


def arrange(window: Any, role: str) -> None:
    """Lay out the docks a role sees; the others are taken out of the layout.

    Hidden docks left inside a tab group make Qt draw a stale tab bar over
    the panels, so each role gets its own arrangement instead.
    """
    d = window.docks
    visible = ROLE_DOCKS[role]
    for dock in d.values():
        window.removeDockWidget(dock)
    area = Qt.DockWidgetArea
    if role == "ward":
        window.addDockWidget(area.LeftDockWidgetArea, d["ward_form"])
        window.tabifyDockWidget(d["ward_form"], d["inbox"])
        window.addDockWidget(area.RightDockWidgetArea, d["map"])
        window.addDockWidget(area.BottomDockWidgetArea, d["alerts"])
        window.tabifyDockWidget(d["alerts"], d["log"])
        d["ward_form"].raise_()
    elif role == "drill":  # the controller's own layout: the drill panel is the main column, not a corner of HQ's
        window.addDockWidget(area.LeftDockWidgetArea, d["drill"])
        window.addDockWidget(area.RightDockWidgetArea, d["map"])
        window.splitDockWidget(d["map"], d["queue"], Qt.Orientation.Horizontal)
        window.splitDockWidget(d["queue"], d["detail"], Qt.Orientation.Vertical)
        window.splitDockWidget(d["map"], d["alerts"], Qt.Orientation.Vertical)
        window.tabifyDockWidget(d["alerts"], d["reports"])
        window.tabifyDockWidget(d["reports"], d["log"])
        d["alerts"].raise_()
    else:
        window.addDockWidget(area.LeftDockWidgetArea, d["queue"])
        window.addDockWidget(area.RightDockWidgetArea, d["map"])
        window.splitDockWidget(d["queue"], d["detail"], Qt.Orientation.Vertical)
        window.addDockWidget(area.BottomDockWidgetArea, d["reports"])
        window.splitDockWidget(d["reports"], d["alerts"], Qt.Orientation.Horizontal)
        window.splitDockWidget(d["alerts"], d["drill"], Qt.Orientation.Horizontal)
        tabs = [name for name in ("collectors", "log") if name in visible]
        previous = d["alerts"]
        for name in tabs:
            window.tabifyDockWidget(previous, d[name])
            previous = d[name]
        d["alerts"].raise_()
    for name, dock in d.items():
        dock.setVisible(name in visible)
    h, v = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
    if role == "ward":
        window.resizeDocks([d["ward_form"], d["map"]], [700, 900], h)
        window.resizeDocks([d["ward_form"], d["alerts"]], [700, 220], v)
    elif role == "drill":
        window.resizeDocks([d["drill"], d["map"], d["queue"]], [600, 560, 440], h)
        window.resizeDocks([d["map"], d["alerts"]], [640, 300], v)
        window.resizeDocks([d["queue"], d["detail"]], [560, 380], v)
    else:
        window.resizeDocks([d["queue"], d["map"]], [760, 840], h)
        window.resizeDocks([d["queue"], d["detail"]], [430, 230], v)
        window.resizeDocks([d["reports"], d["alerts"], d["drill"]], [760, 460, 380], h)
        window.resizeDocks([d["map"], d["reports"]], [660, 300], v)
