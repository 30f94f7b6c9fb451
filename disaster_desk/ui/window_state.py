"""Where the window keeps its layout: a QSettings INI file in the user config dir.

Tests point the config dir at a temporary folder (``DD_CONFIG_DIR``).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QSize

from disaster_desk.core.settings import config_dir

log = logging.getLogger(__name__)

STATE_VERSION = 1


def ui_settings() -> QSettings:
    path = config_dir() / "ui-state.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def save(window: Any) -> None:
    qs: QSettings = window.qsettings
    qs.setValue("geometry", window.saveGeometry())
    qs.setValue("size", window.size())
    qs.setValue("state", window.saveState(STATE_VERSION))
    qs.setValue("font_scale", window.font_scale)
    qs.setValue("role", window.role)
    qs.sync()


def restore(window: Any) -> bool:
    qs: QSettings = window.qsettings
    geometry, state = qs.value("geometry"), qs.value("state")
    restored = False
    if isinstance(geometry, QByteArray | bytes):
        restored = window.restoreGeometry(QByteArray(geometry))
    size = qs.value("size")
    if isinstance(size, QSize) and size.isValid():
        window.resize(size)  # restoreGeometry clamps to the screen it believes in
    # The role saved beside the state only says which layout the state is of: a state saved
    # in another layout is not restored (the role itself comes from the login or settings).
    if isinstance(state, QByteArray | bytes) and qs.value("role") == window.role:
        restored = window.restoreState(QByteArray(state), STATE_VERSION) and restored
    return restored
