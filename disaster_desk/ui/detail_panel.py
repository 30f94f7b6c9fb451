"""The item detail: triage actions first, then text, source, time, labels, place, share history, similar posts.

The buttons sit at the top, under the title, so they are on screen in a
short dock (above the fold); only the actions the item's state allows are
enabled. Outside text is shown as plain text (never rich text), so a post
cannot inject markup.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from disaster_desk.core.clock import JST
from disaster_desk.core.items import ItemKey
from disaster_desk.core.triage import allowed_actions
from disaster_desk.ui.label_chips import text_colour_for
from disaster_desk.ui.names import item_type_name, label_colour, label_name, source_name, state_name, target_name

#: The triage buttons, in order; ``place`` opens the place correction.
ACTIONS = ("acknowledge", "verify", "share", "dismiss", "close", "reopen", "place")


def plain_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class DetailPanel(QWidget):
    """Shows one queue row; its buttons ask the window to run a triage action."""

    action_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row: Any = None
        self.title = plain_label(self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.text = plain_label(self)
        self.text.setMinimumHeight(self.fontMetrics().height() * 3)
        self.meta = {key: plain_label(self) for key in ("source", "time", "place", "state")}
        self.labels_box = QHBoxLayout()
        self.labels_box.setContentsMargins(0, 0, 0, 0)
        labels_widget = QWidget(self)
        labels_widget.setLayout(self.labels_box)
        form = QFormLayout()
        form.addRow(self.tr("出典"), self.meta["source"])
        form.addRow(self.tr("時刻"), self.meta["time"])
        form.addRow(self.tr("区分"), labels_widget)
        form.addRow(self.tr("場所"), self.meta["place"])
        form.addRow(self.tr("状態"), self.meta["state"])
        self.history = QListWidget(self)
        self.history.setMaximumHeight(self.fontMetrics().height() * 5)
        self.history.setToolTip(self.tr("共有先・時刻・共有した人・メモ・受領"))
        form.addRow(self.tr("共有履歴"), self.history)
        self.similar = QListWidget(self)
        self.similar.setMaximumHeight(self.fontMetrics().height() * 5)
        self.buttons: dict[str, QPushButton] = {}
        texts = {
            "acknowledge": self.tr("確認 (A)"),
            "verify": self.tr("検証 (V)"),
            "share": self.tr("共有 (S)…"),
            "dismiss": self.tr("却下 (D)"),
            "close": self.tr("完了 (C)"),
            "reopen": self.tr("再開 (R)"),
            "place": self.tr("場所を訂正 (P)…"),
        }
        actions = QVBoxLayout()
        rows = (QHBoxLayout(), QHBoxLayout())  # the five triage steps, then reopen and the place
        for i, action in enumerate(ACTIONS):
            button = QPushButton(texts[action], self)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the queue
            button.clicked.connect(lambda _=False, a=action: self.action_requested.emit(a))
            self.buttons[action] = button
            rows[0 if i < 5 else 1].addWidget(button)
        for row_layout in rows:
            row_layout.addStretch(1)
            actions.addLayout(row_layout)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.title)
        layout.addLayout(actions)
        layout.addWidget(self.text)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("類似の投稿"), self))
        layout.addWidget(self.similar)
        layout.addStretch(1)
        self.set_row(None)

    def set_row(self, row: Any, similar: list[Any] | None = None) -> None:
        self.row = row
        self._enable_buttons()
        self.history.clear()
        while self.labels_box.count():
            item = self.labels_box.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.similar.clear()
        if row is None:
            self.title.setText(self.tr("項目を選択してください"))
            self.text.setText("")
            for label in self.meta.values():
                label.setText("")
            return
        self.title.setText(f"{item_type_name(row.item_type)} #{row.item_id}")
        self.text.setText(row.text or "")
        author = f" @{row.author}" if row.author else ""
        self.meta["source"].setText(source_name(row.source) + author)
        times = [self.tr("受信 %1").replace("%1", _jst(row.received_at))]
        if row.created_at:
            times.append(self.tr("投稿 %1").replace("%1", _jst(row.created_at)))
        self.meta["time"].setText("  ".join(times))
        place = " ".join(p for p in (row.ward, row.place) if p) or self.tr("不明")
        if row.lat is not None and row.lon is not None:
            place += f"  ({row.lat:.4f}, {row.lon:.4f})"
        self.meta["place"].setText(place)
        state = state_name(row.state)
        if getattr(row, "shared_to", ()):
            state += "→" + "・".join(row.shared_to)
        self.meta["state"].setText(state)
        for label in row.labels or []:
            chip = QLabel(label_name(label), self)
            colour = label_colour(label)
            chip.setStyleSheet(
                f"background:{colour}; color:{text_colour_for(colour).name()}; border-radius:7px; padding:1px 7px;"
            )
            self.labels_box.addWidget(chip)
        self.labels_box.addStretch(1)
        for post in similar or []:
            self.similar.addItem(f"{_jst(post.collected_at)}  {' '.join(post.text.split())[:100]}")

    def set_similar(self, key: str, posts: list[Any]) -> None:
        """The similar posts of the item shown (read on the runner; ignored when another item was selected)."""
        if self.row is None or str(ItemKey.of(self.row)) != key:
            return
        self.similar.clear()
        for post in posts:
            self.similar.addItem(f"{_jst(post.collected_at)}  {' '.join(post.text.split())[:100]}")

    def set_history(self, key: str, records: list[Any]) -> None:
        """The shares of the item shown (ignored when another item was selected meanwhile)."""
        if self.row is None or str(ItemKey.of(self.row)) != key:
            return
        self.history.clear()
        for r in records:
            if r.received_at is not None:
                read = self.tr("受領済 %1 %2").replace("%1", _jst(r.received_at)).replace("%2", r.receiver)
            elif r.read_at is not None:
                read = self.tr("既読 %1 (未受領)").replace("%1", _jst(r.read_at))
            else:
                read = self.tr("未受領")
            note = f"「{' '.join(r.note.split())}」" if r.note else ""
            self.history.addItem(f"{_jst(r.shared_at)}  →{target_name(r.target)}  {r.sender}  {read}  {note}".rstrip())
        if not records:
            self.history.addItem(self.tr("（まだ共有されていません）"))

    def _enable_buttons(self) -> None:
        allowed_here = getattr(self, "_allowed", True) and self.row is not None
        actions = set(allowed_actions(self.row.state)) if self.row is not None else set()
        for action, button in self.buttons.items():
            if action == "place":
                ok = self.row is not None and (self.row.item_type == "post" or (
                    self.row.item_type == "report" and (self.row.extra or {}).get("kind") == "damage"))
            else:
                ok = action in actions
            button.setEnabled(allowed_here and ok)

    def set_actions_allowed(self, allowed: bool) -> None:
        """Ward stations see items but do not triage them."""
        self._allowed = allowed
        self._enable_buttons()
        for button in self.buttons.values():
            button.setVisible(allowed)


def _jst(when) -> str:
    return when.astimezone(JST).strftime("%m/%d %H:%M:%S") if when else ""
