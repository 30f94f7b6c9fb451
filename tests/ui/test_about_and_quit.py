"""ヘルプ → このアプリについて (version, data sources, licences) and the questions before quitting."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from disaster_desk import __version__
from disaster_desk.core.about import about
from disaster_desk.core.area_pack import load_pack


def _about_action(window):
    [help_menu] = [a.menu() for a in window.menu_bar.actions() if a.menu() and "ヘルプ" in a.text()]
    return next(a for a in help_menu.actions() if a.text() == "このアプリについて")


def test_about_box_shows_the_version_and_every_source_of_the_area_pack(main_window, qtbot):
    action = _about_action(main_window)
    assert action is main_window.about_action
    action.trigger()
    dialog = main_window.about_dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.text.toPlainText()
    assert __version__ in text
    pack = load_pack()
    for f in pack.files.values():  # each file's source and licence, as the manifest says
        assert f.source in text and f.licence in text
    for expected in ("国土数値情報", "N03", "Geolonia", "CC BY 4.0", "国土地理院", "OpenStreetMap"):
        assert expected in text
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # OK closes it
    qtbot.waitUntil(lambda: main_window.about_dialog is None)


def test_about_box_escapes_what_it_reads(main_window, monkeypatch):
    from dataclasses import replace

    from disaster_desk.core import about as about_module

    info = about()
    hostile = replace(info.data[0], source="<b>太字</b><script>x()</script>")
    monkeypatch.setattr(about_module, "about", lambda: replace(info, data=(hostile, *info.data[1:])))
    main_window.about_action.trigger()
    dialog = main_window.about_dialog
    assert "<b>太字</b><script>x()</script>" in dialog.text.toPlainText()  # shown as text, not markup
    assert "&lt;script&gt;" in dialog.html()
    dialog.reject()


def test_quitting_a_ward_station_names_its_unsent_reports(make_main_window, ward_settings, qtbot):
    window = make_main_window(settings=ward_settings, confirm_close=True)
    window.ward_form.outbox.submit("shelter", "北区", {"name": "扇町小学校", "status": "open", "evacuees": 3},
                                   send=False)
    window.close()
    box = window.quit_dialog
    assert box is not None and window.isVisible()
    assert "未送信の報告が 1 件" in box.text()
    box.button(QMessageBox.StandardButton.No).click()  # 続ける: the station stays
    qtbot.waitUntil(lambda: window.quit_dialog is None)
    assert window.isVisible()
    window.close()
    qtbot.keyClick(window.quit_dialog, Qt.Key.Key_Tab)  # from 続ける to 終了する, then Space
    window.quit_dialog.button(QMessageBox.StandardButton.Yes).setFocus()
    qtbot.keyClick(window.quit_dialog.button(QMessageBox.StandardButton.Yes), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_quitting_during_a_drill_says_so(make_main_window, clock, qtbot):
    from disaster_desk.core.modes import Scope

    window = make_main_window(confirm_close=True)
    window.set_scope(Scope.drill("run-q"), clock)
    window.close()
    assert "訓練中です" in window.quit_dialog.text() and "未送信" not in window.quit_dialog.text()
    qtbot.keyClick(window.quit_dialog, Qt.Key.Key_Escape)  # Esc keeps the desk open
    qtbot.waitUntil(lambda: window.quit_dialog is None)
    assert window.isVisible()
