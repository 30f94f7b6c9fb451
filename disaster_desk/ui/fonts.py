"""The system UI font with a CJK fallback, scaled by the user's text size."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

#: Tried in order after the system font, for Japanese glyphs.
CJK_FALLBACKS = ("Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic UI", "Meiryo", "IPAexGothic")
MIN_SCALE, MAX_SCALE = 0.7, 2.0


def ui_font(scale: float = 1.0) -> QFont:
    """The general system font, with the CJK families as fallbacks, at ``scale``."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    available = set(QFontDatabase.families())
    families = [font.family()] + [f for f in CJK_FALLBACKS if f in available]
    font.setFamilies(families)
    base = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    font.setPointSizeF(round(base * clamp_scale(scale), 1))
    return font


def clamp_scale(scale: float) -> float:
    return max(MIN_SCALE, min(MAX_SCALE, float(scale)))


def apply_font(app: QApplication, scale: float) -> QFont:
    font = ui_font(scale)
    app.setFont(font)
    log.debug("UI font %s at %.1fpt", font.families(), font.pointSizeF())
    return font
