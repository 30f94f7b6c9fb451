"""The ``ddtiles:`` URL scheme: local tiles (folder or .mbtiles) served to the map page.

The page asks ``ddtiles://local/{z}/{x}/{y}``; :class:`TileSchemeHandler` answers
from a :class:`~disaster_desk.core.tiles.TileStore` (one small read of a file or
of the .mbtiles' SQLite per tile, well under a millisecond). The scheme must be
registered before the QApplication exists: :func:`register_tile_scheme` is
called by :func:`disaster_desk.ui.qtenv.prepare_qt_environment`.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject
from PySide6.QtWebEngineCore import QWebEngineUrlRequestJob, QWebEngineUrlScheme, QWebEngineUrlSchemeHandler

from disaster_desk.core.tiles import TileStore

SCHEME = "ddtiles"
URL_TEMPLATE = f"{SCHEME}://local/{{z}}/{{x}}/{{y}}"
_PATH = re.compile(r"^/(\d{1,2})/(\d{1,7})/(\d{1,7})(?:\.\w+)?$")
_registered = False


def register_tile_scheme() -> None:
    """Declare ``ddtiles:`` to QtWebEngine (once, before the QApplication is created)."""
    global _registered
    if _registered:
        return
    scheme = QWebEngineUrlScheme(SCHEME.encode())
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    scheme.setFlags(QWebEngineUrlScheme.Flag.SecureScheme | QWebEngineUrlScheme.Flag.LocalScheme
                    | QWebEngineUrlScheme.Flag.LocalAccessAllowed)
    QWebEngineUrlScheme.registerScheme(scheme)
    _registered = True


class TileSchemeHandler(QWebEngineUrlSchemeHandler):
    """Answers ``ddtiles://local/z/x/y`` from a tile store; counts what it served (tests, the bench)."""

    def __init__(self, store: TileStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.served = 0
        self.missing = 0

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:  # noqa: N802 - Qt override
        match = _PATH.match(job.requestUrl().path())
        if match is None:
            job.fail(QWebEngineUrlRequestJob.Error.UrlInvalid)
            return
        tile = self.store.get(*(int(g) for g in match.groups()))
        if tile is None:
            self.missing += 1
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        data, mime = tile
        buffer = QBuffer(job)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.served += 1
        job.reply(mime.encode(), buffer)
