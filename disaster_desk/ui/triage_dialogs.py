"""Dialogs of the triage actions that must not happen by one stray key.

- :class:`DismissDialog`: dismissing a rescue or casualty item asks for a
  reason (a common one is one key away) and is confirmed with its own button.
- :class:`PlaceDialog`: correcting an item's place (ward, place name,
  optional coordinates); validated by the core before it is stored.
- :func:`show_error`: an error a person must act on, in a window-modal box
  that stays until it is read (not a status message that vanishes).

Every dialog is opened with ``open()`` (not ``exec()``): the event loop keeps
running, so the change watcher and tests go on while it is shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from disaster_desk.core.area import OSAKA_WARDS
from disaster_desk.core.places import CITY_BOUNDS, Place


class DismissDialog(QDialog):
    """「救助要請を却下します」: a reason (typed or picked with ↑↓) and a confirming Enter."""

    def __init__(self, item_text: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("却下の確認"))
        warning = QLabel(self.tr("%1の情報を却下します。理由を入力してください。").replace("%1", label), self)
        warning.setStyleSheet("color: #b71c1c; font-weight: bold;")
        text = QLabel(item_text, self)
        text.setTextFormat(Qt.TextFormat.PlainText)  # outside text: never markup
        text.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("却下の理由（必須）"))
        self.presets = QListWidget(self)
        for preset in (self.tr("重複（同じ事案を対応中）"), self.tr("誤情報・いたずら"), self.tr("既に対応済"),
                       self.tr("大阪市外の情報"), self.tr("訓練・広告などの投稿")):
            self.presets.addItem(preset)
        self.presets.setMaximumHeight(self.fontMetrics().height() * 7)
        self.presets.itemClicked.connect(lambda item: self.reason.setText(item.text()))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("却下する (Enter)"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._update)
        self.reason.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addWidget(text)
        layout.addWidget(self.reason)
        layout.addWidget(QLabel(self.tr("↑↓でよくある理由を選択"), self))
        layout.addWidget(self.presets)
        layout.addWidget(self.buttons)
        self._update()
        self.reason.setFocus()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        """↑/↓ in the reason field pick a common reason."""
        if obj is self.reason and event.type() == event.Type.KeyPress and event.key() in (Qt.Key.Key_Down,
                                                                                          Qt.Key.Key_Up):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = max(0, min(self.presets.count() - 1, self.presets.currentRow() + step))
            self.presets.setCurrentRow(row)
            self.reason.setText(self.presets.item(row).text())
            return True
        return super().eventFilter(obj, event)

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.reason_text()))

    def accept(self) -> None:
        if self.reason_text():
            super().accept()

    def reason_text(self) -> str:
        return self.reason.text().strip()


class PlaceDialog(QDialog):
    """Ward, place name and (optionally) coordinates of an item."""

    def __init__(self, current: Place, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("場所の訂正"))
        self.ward = QComboBox(self)
        self.ward.addItem(self.tr("（区を選択）"), None)
        for ward in OSAKA_WARDS:
            self.ward.addItem(ward, ward)
        if current.ward:
            self.ward.setCurrentIndex(max(0, self.ward.findData(current.ward)))
        self.place = QLineEdit(current.place or "", self)
        self.place.setPlaceholderText(self.tr("例: 天満橋駅前、中崎町2丁目"))
        (south, north), (west, east) = CITY_BOUNDS
        self.lat = self._spin(south, north, current.lat)
        self.lon = self._spin(west, east, current.lon)
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #b71c1c;")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("訂正する (Enter)"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("区"), self.ward)
        form.addRow(self.tr("場所"), self.place)
        form.addRow(self.tr("緯度（任意）"), self.lat)
        form.addRow(self.tr("経度（任意）"), self.lon)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("座標を空にすると区の代表点に置きます"), self))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.place.setFocus()

    def _spin(self, low: float, high: float, value: float | None) -> QDoubleSpinBox:
        spin = QDoubleSpinBox(self)
        spin.setDecimals(5)
        spin.setRange(low - 0.00001, high)  # the lowest value means "empty"
        spin.setSpecialValueText(self.tr("（なし）"))
        spin.setValue(value if value is not None else spin.minimum())
        return spin

    def value(self) -> Place:
        def coordinate(spin: QDoubleSpinBox) -> float | None:
            return None if spin.value() == spin.minimum() else round(spin.value(), 5)

        return Place(self.place.text().strip() or None, self.ward.currentData(), coordinate(self.lat),
                     coordinate(self.lon))

    def show_error(self, message: str) -> None:
        """A refused correction: the dialog stays open with the reason."""
        self.message.setText(message)


def show_error(parent: QWidget, title: str, message: str, on_closed: Callable[[], None] | None = None) -> QMessageBox:
    """An error a person must act on: a window-modal box that stays until it is closed."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_closed is not None:
        box.finished.connect(lambda _r: on_closed())
    box.open()
    return box
