"""Painting labels as coloured chips, in the label colours used on the map."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from disaster_desk.ui.names import label_colour, label_name
from disaster_desk.ui.queue_model import LabelsRole


def text_colour_for(background: str) -> QColor:
    """Black or white, whichever reads better on ``background``."""
    c = QColor(background)
    luminance = 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()
    return QColor("#000000") if luminance > 160 else QColor("#ffffff")


class LabelChipDelegate(QStyledItemDelegate):
    """Draws each label of the row as a rounded chip."""

    PAD_X, PAD_Y, GAP = 5, 2, 3

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        labels = index.data(LabelsRole) or []
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(opt.font)
        x = option.rect.x() + 3
        height = metrics.height() + 2 * self.PAD_Y
        y = option.rect.y() + (option.rect.height() - height) / 2
        for label in labels:
            name = label_name(label)
            width = metrics.horizontalAdvance(name) + 2 * self.PAD_X
            if x + width > option.rect.right():
                break
            rect = QRectF(x, y, width, height)
            colour = label_colour(label)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(rect, height / 2, height / 2)
            painter.setPen(text_colour_for(colour))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, name)
            x += width + self.GAP
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:  # noqa: N802 - Qt naming
        metrics = QFontMetrics(option.font)
        labels = index.data(LabelsRole) or []
        width = sum(metrics.horizontalAdvance(label_name(lb)) + 2 * self.PAD_X + self.GAP for lb in labels) + 6
        return QSize(max(width, 60), metrics.height() + 2 * self.PAD_Y + 4)
