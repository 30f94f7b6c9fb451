"""Two small painted charts for the reports panel: horizontal bars and a line over time."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QWidget


class BarChart(QWidget):
    """Rows of (label, value, maximum, colour); an optional target line (0..1 of maximum)."""

    ROW = 16

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, float, float, str]] = []
        self.target: float | None = None

    def set_rows(self, rows: list[tuple[str, float, float, str]], target: float | None = None) -> None:
        self.rows = rows
        self.target = target
        self.setMinimumHeight(self.ROW * max(len(rows), 1) + 4)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(320, self.ROW * max(len(self.rows), 1) + 4)

    def paintEvent(self, _event: object) -> None:  # noqa: N802
        painter = QPainter(self)
        label_w = 80
        width = max(self.width() - label_w - 60, 10)
        for i, (label, value, maximum, colour) in enumerate(self.rows):
            y = 2 + i * self.ROW
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(0, y, label_w - 4, self.ROW), Qt.AlignmentFlag.AlignRight, label)
            share = min(value / maximum, 1.0) if maximum else 0.0
            painter.fillRect(QRectF(label_w, y + 2, width * share, self.ROW - 4), QColor(colour))
            painter.drawText(QRectF(label_w + width + 4, y, 56, self.ROW), Qt.AlignmentFlag.AlignLeft,
                             f"{value:g}")
        if self.target is not None:
            painter.setPen(QPen(QColor("#2ca25f"), 1, Qt.PenStyle.DashLine))
            x = label_w + width * self.target
            painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        painter.end()


class LineChart(QWidget):
    """One series of (seconds since start, value 0..1), e.g. the city-wide muster rate."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[tuple[float, float]] = []
        self.target: float | None = None
        self.setMinimumHeight(80)

    def set_points(self, points: list[tuple[float, float]], target: float | None = None) -> None:
        self.points = points
        self.target = target
        self.update()

    def paintEvent(self, _event: object) -> None:  # noqa: N802
        painter = QPainter(self)
        rect = QRectF(4, 4, self.width() - 8, self.height() - 8)
        painter.setPen(QPen(QColor("#bbbbbb")))
        painter.drawRect(rect)
        if self.target is not None:
            painter.setPen(QPen(QColor("#2ca25f"), 1, Qt.PenStyle.DashLine))
            y = rect.bottom() - rect.height() * self.target
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
        if len(self.points) >= 1:
            span = max(self.points[-1][0] - self.points[0][0], 1.0)
            poly = QPolygonF([
                QPointF(rect.left() + rect.width() * (t - self.points[0][0]) / span,
                        rect.bottom() - rect.height() * min(max(v, 0.0), 1.0))
                for t, v in self.points
            ])
            painter.setPen(QPen(QColor("#2c7bb6"), 2))
            painter.drawPolyline(poly)
        painter.end()
