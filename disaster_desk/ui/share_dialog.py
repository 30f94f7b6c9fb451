"""Choosing share targets (ward offices, departments) for an item, by keyboard.

Type to filter, ↑/↓ to move, Space to tick, Enter to share. Enter with a
filter typed also ticks the highlighted target, so ``S`` 消防 ``Enter`` shares
with 消防局. The filter also finds targets by their English name, romaji or
kana (``shobo``, ``fire``, ``きた``: :func:`disaster_desk.core.area.find_targets`).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from disaster_desk.core.area import TARGET_NAMES, find_targets
from disaster_desk.ui.i18n import current_language


class ShareDialog(QDialog):
    def __init__(self, targets: Sequence[str], preselect: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("共有先を選択"))
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("共有先を絞り込み (例: 北区, 消防局, kita, shobo)"))
        self.list = QListWidget(self)
        english = current_language() == "en"
        for target in targets:
            other = TARGET_NAMES.get(target)
            item = QListWidgetItem(f"{target}  {other[0]}" if english and other else target, self.list)
            item.setData(Qt.ItemDataRole.UserRole, target)
            if other:
                item.setToolTip(" / ".join(other))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if target in preselect else Qt.CheckState.Unchecked)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("メモ (任意)"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("共有 (Enter)"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("入力で絞り込み・↑↓で移動・Spaceで選択・Enterで共有"), self))
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._apply_filter)
        self.filter.installEventFilter(self)
        self.list.setCurrentRow(0)
        self.filter.setFocus()
        self.resize(360, 480)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        """Arrow keys and Space in the filter field act on the list."""
        if obj is self.filter and event.type() == event.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._move(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key == Qt.Key.Key_Space and not self.filter.text().strip():
                self._toggle_current()
                return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if event.key() == Qt.Key.Key_Space and self.list.hasFocus():
            self._toggle_current()
            return
        super().keyPressEvent(event)

    def _visible_rows(self) -> list[int]:
        return [i for i in range(self.list.count()) if not self.list.item(i).isHidden()]

    def _move(self, step: int) -> None:
        rows = self._visible_rows()
        if not rows:
            return
        current = self.list.currentRow()
        pos = rows.index(current) + step if current in rows else 0
        self.list.setCurrentRow(rows[max(0, min(len(rows) - 1, pos))])

    def _toggle_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            checked = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _apply_filter(self, text: str) -> None:
        found = find_targets(text, tuple(self._target(i) for i in range(self.list.count())))
        for i in range(self.list.count()):
            self.list.item(i).setHidden(self._target(i) not in found)
        if found:  # the best match (a name starting with the text) is highlighted
            best = next(i for i in range(self.list.count()) if self._target(i) == found[0])
            self.list.setCurrentRow(best)

    def _target(self, row: int) -> str:
        return self.list.item(row).data(Qt.ItemDataRole.UserRole)

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is not None and self.filter.text().strip() and not item.isHidden():
            item.setCheckState(Qt.CheckState.Checked)
        if not self.targets():
            return  # nothing chosen: stay open
        super().accept()

    def targets(self) -> list[str]:
        return [
            self._target(i)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def note_text(self) -> str | None:
        return self.note.text().strip() or None
