"""ヘルプ → このアプリについて: the version, the data sources and their licences.

The content comes from :func:`disaster_desk.core.about.about` (the area pack's
manifest); every value is escaped before it goes into the rich text.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from disaster_desk.core.about import About, DataSource


class AboutDialog(QDialog):
    def __init__(self, info: About, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("このアプリについて"))
        self.info = info
        self.text = QTextBrowser(self)
        self.text.setOpenExternalLinks(False)  # links are shown, not opened (offline stations)
        self.text.setHtml(self.html())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.buttons)
        self.resize(720, 560)

    def html(self) -> str:
        info = self.info
        parts = [
            f"<h2>{escape(self.tr('災害情報デスク'))} {escape(info.version)}</h2>",
            f"<p>{escape(self.tr('ライセンス: %1').replace('%1', info.licence))}</p>",
            f"<h3>{escape(self.tr('データの出典とライセンス'))}</h3>",
            f"<p>{escape(self.tr('地域パック: %1 (版 %2)').replace('%1', info.area_name).replace('%2', info.area_version))}</p>",
            self._table(info.data),
            f"<h3>{escape(self.tr('背景地図'))}</h3>",
            self._table(info.tiles),
            f"<h3>{escape(self.tr('主なソフトウェア'))}</h3>",
            "<ul>" + "".join(f"<li>{escape(name)} — {escape(licence)}</li>" for name, licence in info.software)
            + "</ul>",
        ]
        return "\n".join(parts)

    def _table(self, sources: tuple[DataSource, ...]) -> str:
        head = (self.tr("データ"), self.tr("出典"), self.tr("ライセンス"), self.tr("版"), self.tr("表示"))
        rows = ["<tr>" + "".join(f"<th align='left'>{escape(h)}</th>" for h in head) + "</tr>"]
        for s in sources:
            source = escape(s.source) + (f"<br/>{escape(s.url)}" if s.url else "")
            rows.append("<tr>" + "".join(f"<td>{v}</td>" for v in (
                escape(s.name), source, escape(s.licence), escape(s.version), escape(s.attribution))) + "</tr>")
        return "<table border='1' cellspacing='0' cellpadding='3'>" + "".join(rows) + "</table>"


def open_about(window: QWidget, info: About) -> AboutDialog:
    """Opened with ``open()``: the event loop (and the change watcher) keep running."""
    dialog = AboutDialog(info, window)
    window.about_dialog = dialog  # type: ignore[attr-defined]

    def finished(_result: int) -> None:
        window.about_dialog = None  # type: ignore[attr-defined]
        dialog.deleteLater()

    dialog.finished.connect(finished)
    dialog.open()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).setFocus()
    return dialog
