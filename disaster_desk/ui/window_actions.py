"""Menus, keyboard shortcuts and the share dialog of the main window.

Every triage action has a one-key shortcut (A V S D C), J/K move in the
queue, ``/`` searches, F1 or ``?`` shows the help overlay listing them all.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMenuBar, QWidget

from disaster_desk.core.area import SHARE_TARGETS
from disaster_desk.ui import export_actions, fonts
from disaster_desk.ui.share_dialog import ShareDialog

log = logging.getLogger(__name__)

#: (action id, shortcut) of the triage actions.
TRIAGE_KEYS = (("acknowledge", "A"), ("verify", "V"), ("share", "S"), ("dismiss", "D"), ("close", "C"),
              ("reopen", "R"), ("place", "P"))


def make_menu_bar(parent: QWidget) -> QMenuBar:
    return QMenuBar(parent)


def _action(window: Any, text: str, shortcut: str | QKeySequence | list | None, slot) -> QAction:
    action = QAction(text, window)
    if isinstance(shortcut, list):
        action.setShortcuts([QKeySequence(s) for s in shortcut])
    elif shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)  # shortcuts work while the menu bar is hidden or docks float
    return action


def install(window: Any) -> None:
    bar: QMenuBar = window.menu_bar
    file_menu = bar.addMenu(QCoreApplication.translate("MainWindow", "ファイル(&F)"))
    export_actions.install(window, file_menu)
    file_menu.addAction(_action(window, QCoreApplication.translate("MainWindow", "終了"), QKeySequence.StandardKey.Quit, window.close))

    triage = bar.addMenu(QCoreApplication.translate("MainWindow", "操作(&O)"))
    texts = {
        "acknowledge": QCoreApplication.translate("MainWindow", "確認"),
        "verify": QCoreApplication.translate("MainWindow", "検証"),
        "share": QCoreApplication.translate("MainWindow", "共有…"),
        "dismiss": QCoreApplication.translate("MainWindow", "却下"),
        "close": QCoreApplication.translate("MainWindow", "完了"),
        "reopen": QCoreApplication.translate("MainWindow", "再開"),
        "place": QCoreApplication.translate("MainWindow", "場所を訂正…"),
    }
    window.triage_actions = {}
    for name, key in TRIAGE_KEYS:
        action = _action(window, texts[name], key, lambda n=name: key_action(window, n))
        window.triage_actions[name] = action
        triage.addAction(action)
    undo = _action(window, QCoreApplication.translate("MainWindow", "自分の直前の操作を取り消す"),
                   QKeySequence.StandardKey.Undo, window.undo)
    window.triage_actions["undo"] = undo
    triage.addAction(undo)
    triage.addSeparator()
    triage.addAction(_action(window, QCoreApplication.translate("MainWindow", "次の項目"), "J", lambda: window.queue.table.move_selection(1)))
    triage.addAction(_action(window, QCoreApplication.translate("MainWindow", "前の項目"), "K", lambda: window.queue.table.move_selection(-1)))
    triage.addAction(_action(window, QCoreApplication.translate("MainWindow", "検索"), "/", window.queue.focus_search))
    triage.addAction(_action(window, QCoreApplication.translate("MainWindow", "キューへ移動"), "Esc", lambda: escape(window)))

    view = bar.addMenu(QCoreApplication.translate("MainWindow", "表示(&V)"))
    for dock in window.docks.values():
        view.addAction(dock.toggleViewAction())
    view.addSeparator()
    window.inbox_action = _action(window, QCoreApplication.translate("MainWindow", "共有受信箱へ"), "Ctrl+I",
                                  lambda: focus_inbox(window))
    view.addAction(window.inbox_action)
    window.font_scale = float(window.qsettings.value("font_scale", window.settings.ui.font_scale))
    view.addAction(_action(window, QCoreApplication.translate("MainWindow", "文字を大きく"), [QKeySequence.StandardKey.ZoomIn, "Ctrl+="], lambda: set_font_scale(window, window.font_scale + 0.1)))
    view.addAction(_action(window, QCoreApplication.translate("MainWindow", "文字を小さく"), QKeySequence.StandardKey.ZoomOut, lambda: set_font_scale(window, window.font_scale - 0.1)))
    view.addAction(_action(window, QCoreApplication.translate("MainWindow", "標準の文字サイズ"), "Ctrl+0", lambda: set_font_scale(window, 1.0)))
    language = view.addMenu(QCoreApplication.translate("MainWindow", "言語 / Language"))
    group = QActionGroup(window)
    current = window.qsettings.value("language", window.settings.ui.language)
    for code, name in (("ja", "日本語"), ("en", "English")):
        action = QAction(name, window, checkable=True, checked=(code == current))
        action.triggered.connect(lambda _c=False, c=code: set_language(window, c))
        group.addAction(action)
        language.addAction(action)

    roles = bar.addMenu(QCoreApplication.translate("MainWindow", "役割(&R)"))
    role_group = QActionGroup(window)
    window.role_actions = {}
    for i, (role, text) in enumerate((("hq", QCoreApplication.translate("MainWindow", "本部")), ("ward", QCoreApplication.translate("MainWindow", "区")), ("drill", QCoreApplication.translate("MainWindow", "訓練統制"))), start=1):
        if role not in window.access.layouts:
            continue  # only what this station's login (or settings) allows; no shortcut either
        action = _action(window, text, f"Ctrl+{i}", lambda r=role: window.set_role(r))
        action.setCheckable(True)
        role_group.addAction(action)
        roles.addAction(action)
        window.role_actions[role] = action

    drill = bar.addMenu(QCoreApplication.translate("MainWindow", "訓練(&D)"))
    drill.addAction(_action(window, QCoreApplication.translate("MainWindow", "デモを再生"), None, window.start_demo))

    help_menu = bar.addMenu(QCoreApplication.translate("MainWindow", "ヘルプ(&H)"))
    help_menu.addAction(_action(window, QCoreApplication.translate("MainWindow", "キーボード操作"), ["F1", "?"], lambda: window.help_overlay.toggle()))
    help_menu.addSeparator()
    window.about_action = _action(window, QCoreApplication.translate("MainWindow", "このアプリについて"), None,
                                  lambda: open_about(window))
    help_menu.addAction(window.about_action)
    set_font_scale(window, window.font_scale)


def key_action(window: Any, action: str) -> None:
    """A triage key acts on the selected item only while the keyboard is with the queue,
    the detail or the map: a letter typed into another panel (a report form, a filter
    box) must never dismiss or share an item."""
    focus = QApplication.focusWidget()
    panels = (window.queue.table, window.detail, window.map_view)
    if focus is not None and focus is not window and not any(w is focus or w.isAncestorOf(focus) for w in panels):
        window.show_message(QCoreApplication.translate("MainWindow", "キー操作はキューで: Esc でキューへ戻る"))
        return
    window.run_action(action)


def focus_inbox(window: Any) -> None:
    """Ctrl+I: the keyboard to the inbox (its tab raised), on the first share not yet received."""
    dock = window.docks.get("inbox")
    if dock is None or dock.isHidden():
        window.show_message(QCoreApplication.translate("MainWindow", "この画面には共有受信箱がありません"))
        return
    dock.raise_()
    inbox = window.inbox
    row = next((i for i, e in enumerate(inbox.entries) if e.received_at is None), 0 if inbox.entries else -1)
    if row >= 0:
        inbox.table.setCurrentCell(row, 0)
    inbox.table.setFocus()


def escape(window: Any) -> None:
    """Esc closes the help overlay, else returns the keyboard to the queue."""
    if window.help_overlay.isVisible():
        window.help_overlay.hide()
    else:
        window.queue.focus_table()


def shortcut_help(window: Any) -> list[tuple[str, str]]:
    return [
        ("A", QCoreApplication.translate("MainWindow", "確認 (新規 → 確認済)")),
        ("V", QCoreApplication.translate("MainWindow", "検証 (確認済 → 検証済)")),
        ("S", QCoreApplication.translate("MainWindow", "共有… (共有先を選んで Enter、新規は確認も)")),
        ("D", QCoreApplication.translate("MainWindow", "却下 (救助・負傷は理由を入力)")),
        ("C", QCoreApplication.translate("MainWindow", "完了")),
        ("R", QCoreApplication.translate("MainWindow", "再開 (却下・完了 → 元の状態)")),
        ("P", QCoreApplication.translate("MainWindow", "場所を訂正…")),
        ("Ctrl+Z", QCoreApplication.translate("MainWindow", "自分の直前の操作を取り消す")),
        ("J / ↓", QCoreApplication.translate("MainWindow", "次の項目")),
        ("K / ↑", QCoreApplication.translate("MainWindow", "前の項目")),
        ("/", QCoreApplication.translate("MainWindow", "検索")),
        ("Esc", QCoreApplication.translate("MainWindow", "キューへ戻る")),
        ("Ctrl+I", QCoreApplication.translate("MainWindow", "共有受信箱へ (Space で受領)")),
        ("Ctrl+1 / 2 / 3", QCoreApplication.translate("MainWindow", "役割: 本部 / 区 / 訓練統制")),
        ("Ctrl++ / Ctrl+-", QCoreApplication.translate("MainWindow", "文字の大きさ")),
        ("F1 / ?", QCoreApplication.translate("MainWindow", "このヘルプ")),
    ]


def set_font_scale(window: Any, scale: float) -> None:
    scale = round(fonts.clamp_scale(scale), 2)
    window.font_scale = scale
    app = QApplication.instance()
    if app is not None:
        fonts.apply_font(app, scale)
    window.qsettings.setValue("font_scale", scale)


def set_language(window: Any, language: str) -> None:
    """Saved now; applied on the next start (every label is created translated)."""
    window.qsettings.setValue("language", language)
    window.show_message(QCoreApplication.translate("MainWindow", "言語は次回の起動時に切り替わります / Language changes on the next start"))


def open_share_dialog(window: Any, row: Any) -> ShareDialog:
    """Non-modal-to-the-app share dialog; shares when accepted."""
    preselect = [row.ward] if row.ward in SHARE_TARGETS else []
    dialog = ShareDialog(SHARE_TARGETS, preselect, window)
    dialog.setWindowTitle(dialog.windowTitle() + " — " + " ".join((row.text or "").split())[:40])
    _open(window, "share_dialog", dialog,
          on_accepted=lambda: window.triage.share(row, dialog.targets(), dialog.note_text()))
    dialog.filter.setFocus()
    return dialog


def _open(window: Any, attr: str, dialog: Any, *, on_accepted: Any = None) -> None:
    """Open ``dialog`` as ``window.<attr>``; when it finishes: ``on_accepted()`` if accepted, then forget it,
    delete it and give the keyboard back to the queue."""
    setattr(window, attr, dialog)

    def finished(result: int) -> None:
        if on_accepted is not None and result == QDialog.DialogCode.Accepted:
            on_accepted()
        setattr(window, attr, None)
        dialog.deleteLater()
        window.queue.focus_table()

    dialog.finished.connect(finished)
    dialog.open()


def open_dismiss_dialog(window: Any, row: Any) -> Any:
    """D on a rescue or casualty item: a reason and a confirming Enter; Esc keeps the item."""
    from disaster_desk.ui.names import label_name
    from disaster_desk.ui.triage_controller import REASON_LABELS
    from disaster_desk.ui.triage_dialogs import DismissDialog

    label = next((label_name(lb) for lb in row.labels or [] if lb in REASON_LABELS), "")
    dialog = DismissDialog(" ".join((row.text or "").split())[:200], label, window)
    _open(window, "dismiss_dialog", dialog,
          on_accepted=lambda: window.triage.transition("dismiss", row, reason=dialog.reason_text()))
    dialog.reason.setFocus()
    return dialog


def open_place_dialog(window: Any, row: Any) -> Any:
    """P: correct the item's place; a refused correction keeps the dialog open with the reason."""
    from disaster_desk.core.places import Place
    from disaster_desk.ui.triage_dialogs import PlaceDialog

    if row.item_type not in ("post", "report") or (
            row.item_type == "report" and (row.extra or {}).get("kind") != "damage"):
        window.show_error(QCoreApplication.translate("MainWindow", "場所を訂正できません"),
                          QCoreApplication.translate("MainWindow", "場所を訂正できるのは投稿と被害報告です"))
        return None
    dialog = PlaceDialog(Place(row.place, row.ward, row.lat, row.lon), window)

    def accepted() -> None:
        window.triage.correct_place(row, dialog.value(), on_failed=dialog.show_error)

    def done(action: str, _key: str) -> None:
        if action == "correct_place" and window.place_dialog is dialog:
            dialog.done(PlaceDialog.DialogCode.Accepted)

    dialog.accept = accepted  # stays open until the core has stored the place
    window.triage.done.connect(done)
    dialog.finished.connect(lambda _r: window.triage.done.disconnect(done))
    _open(window, "place_dialog", dialog)  # the place was stored before it closes as accepted: nothing more
    dialog.place.setFocus()
    return dialog


def open_about(window: Any) -> Any:
    """ヘルプ → このアプリについて: version, data sources and licences (from the area pack's manifest)."""
    from disaster_desk.core.about import about
    from disaster_desk.ui.about_dialog import open_about as open_dialog

    return open_dialog(window, about())


def unsent_reports(window: Any) -> int:
    """Reports in the ward form's outbox not yet sent to HQ (the station's local file, not the database):
    queued ones and those held because they are for another database."""
    outbox = getattr(window.ward_form, "outbox", None)
    if outbox is None:
        return 0
    try:
        counts = outbox.counts()
        return counts.get("queued", 0) + counts.get("held", 0)
    except Exception as exc:  # noqa: BLE001 - an unreadable outbox must not stop the question
        log.warning("outbox unreadable while quitting: %s", exc)
        return 0


def confirm_quit(window: Any) -> Any:
    """Closing the desk during an incident is a decision: ask (Enter = stay, the safe answer)."""
    from PySide6.QtWidgets import QMessageBox

    drill = window.scope.is_drill
    text = (QCoreApplication.translate("MainWindow", "訓練中です。災害情報デスクを終了しますか？") if drill
            else QCoreApplication.translate("MainWindow", "災害情報デスクを終了しますか？\n終了すると、この端末では新着の通知を受け取れません。"))
    unsent = unsent_reports(window)
    if unsent:
        text += "\n\n" + QCoreApplication.translate(
            "MainWindow", "本部へ未送信の報告が %1 件あります。終了すると、次に起動するまで送信されません。"
        ).replace("%1", str(unsent))
    box = QMessageBox(QMessageBox.Icon.Question, QCoreApplication.translate("MainWindow", "終了の確認"), text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, window)
    box.button(QMessageBox.StandardButton.Yes).setText(QCoreApplication.translate("MainWindow", "終了する"))
    box.button(QMessageBox.StandardButton.No).setText(QCoreApplication.translate("MainWindow", "続ける"))
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    window.quit_dialog = box

    def finished(_result: int) -> None:
        window.quit_dialog = None
        if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
            window._close_confirmed = True
            window.close()

    box.finished.connect(finished)
    box.open()
    return box
