"""The UI font: the system font first, a Japanese (CJK) family as fallback, scalable."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase

from disaster_desk.ui import fonts


def test_cjk_fallback_follows_the_system_font(qapp):
    font = fonts.ui_font(1.0)
    families = font.families()
    system = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()
    assert families[0] == system
    installed = [f for f in fonts.CJK_FALLBACKS if f in QFontDatabase.families()]
    assert families[1:] == installed


def test_text_size_scales_and_is_clamped(qapp):
    base = fonts.ui_font(1.0).pointSizeF()
    assert fonts.ui_font(1.5).pointSizeF() == round(base * 1.5, 1)
    assert fonts.ui_font(10).pointSizeF() == round(base * fonts.MAX_SCALE, 1)
    assert fonts.ui_font(0.1).pointSizeF() == round(base * fonts.MIN_SCALE, 1)
