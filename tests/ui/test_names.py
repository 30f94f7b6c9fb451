"""The UI's words come from the core vocabulary in the language the app runs in; Qt's own in Japanese too."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from disaster_desk.ui import i18n
from disaster_desk.ui.names import field_name, label_name, state_name, value_name
from disaster_desk.ui.reports.fields import field_choices, form_fields
from disaster_desk.ui.share_dialog import ShareDialog


@pytest.fixture
def japanese(qapp):
    i18n.install_translator(qapp, "ja")
    yield
    i18n.install_translator(qapp, "ja")


def test_japanese_words(japanese):
    assert i18n.current_language() == "ja"
    assert state_name("shared") == "共有済" and label_name("rescue") == "救助要請"
    assert value_name("system", "status", "degraded") == "一部停止"
    assert ("closed", "通行止め・閉鎖") in field_choices("damage", "status")


def test_english_words_for_form_popups_and_lists(english):
    assert i18n.current_language() == "en"
    assert state_name("shared") == "Shared" and label_name("rescue") == "Rescue request"
    assert value_name("damage", "status", "repairing") == "Under repair"
    assert field_name("shelter", "evacuees") == "Evacuees"
    assert [title for _, _, title in form_fields("system")] == ["System", "Status", "Note"]


def test_qt_standard_buttons_are_japanese_in_the_japanese_ui(japanese, qtbot):
    dialog = ShareDialog(["北区", "消防局"])
    qtbot.addWidget(dialog)
    cancel = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text() == "キャンセル"
