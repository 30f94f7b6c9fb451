"""Process environment Qt needs, set before QApplication is created."""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)


def prepare_qt_environment() -> None:
    """QtWebEngine refuses to run as root with its sandbox: disable it only then; declare ``ddtiles:``."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()
        log.warning("running as root: QtWebEngine sandbox disabled (QTWEBENGINE_CHROMIUM_FLAGS=--no-sandbox)")
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:  # the map's local tiles scheme: declared before the QApplication exists
        from disaster_desk.ui.map.tile_scheme import register_tile_scheme
    except ImportError:  # no QtWebEngine: the map panel says so itself
        return
    register_tile_scheme()
