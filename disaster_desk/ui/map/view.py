"""The map view: the folium page in a QWebEngineView, talking over QWebChannel.

Python → page: ``runJavaScript`` with JSON (``ddSet``/``ddAdd``/``ddUpdate``/
``ddHighlight``); calls made before the page is ready wait in a queue.
Page → Python: the ``bridge`` object (``itemClicked(key)``, ``pageReady()``).
The page is written to a file and loaded with a ``file://`` URL (it is over
setHtml's 2 MB limit with the inline Leaflet assets). The base map is the area
pack's vector map; local tiles (``map.local_tiles``: a folder or an .mbtiles
file) are served through the ``ddtiles:`` scheme (:mod:`.tile_scheme`). Requests
to the network are refused except to the online tile hosts (地理院, OSM), which
the page asks only when the operator picks one of them in the layer control.
"""

from __future__ import annotations

import atexit
import json
import logging
import tempfile
import weakref
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFile, QIODevice, QObject, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineUrlRequestInfo, QWebEngineUrlRequestInterceptor
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from disaster_desk.core.area_pack import DEFAULT_AREA
from disaster_desk.core.map_items import WINDOWS_H, MapItem, MapPicture, MapWindow
from disaster_desk.core.settings import MapSettings
from disaster_desk.core.tiles import TileStore
from disaster_desk.errors import UserError
from disaster_desk.ui.i18n import current_language
from disaster_desk.ui.map.page import TILES, build_page
from disaster_desk.ui.map.script_json import items_json, script_json
from disaster_desk.ui.map.tile_scheme import SCHEME, TileSchemeHandler

log = logging.getLogger(__name__)


class MapBridge(QObject):
    """The object the page sees as ``bridge``."""

    clicked = Signal(str)
    ready = Signal()
    picked = Signal(float, float)

    @Slot(float, float)
    def locationPicked(self, lat: float, lon: float) -> None:  # noqa: N802 - JS-facing name
        self.picked.emit(lat, lon)

    @Slot(str)
    def itemClicked(self, key: str) -> None:  # noqa: N802 - JS-facing name
        self.clicked.emit(key)

    @Slot()
    def pageReady(self) -> None:  # noqa: N802
        self.ready.emit()


class OfflineGuard(QWebEngineUrlRequestInterceptor):
    """Blocks http(s) requests except to the online tile hosts; records every request to the network."""

    def __init__(self, allowed_hosts: set[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.allowed_hosts = allowed_hosts
        self.blocked: list[str] = []
        #: Every http(s) URL the page asked for, allowed or not (the offline default asks none).
        self.requested: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:  # noqa: N802 - Qt override
        url = info.requestUrl()
        if url.scheme() in ("http", "https"):
            self.requested.append(url.toString())
            if url.host() not in self.allowed_hosts:
                self.blocked.append(url.toString())
                info.block(True)


#: Every map page alive: deleted at interpreter exit before Qt releases the web profile
#: (a page still alive then crashes the process: "Release of profile requested but
#: WebEnginePage still not deleted", then SIGSEGV).
_PAGES: weakref.WeakSet[QWebEnginePage] = weakref.WeakSet()


@atexit.register
def _delete_pages() -> None:
    import shiboken6

    for page in list(_PAGES):
        if shiboken6.isValid(page):
            shiboken6.delete(page)


class _Page(QWebEnginePage):
    def javaScriptConsoleMessage(self, level: Any, message: str, line: int, source: str) -> None:  # noqa: N802
        log.debug("map js: %s (line %d)", message, line)
        if level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel:
            log.warning("map page error: %s (line %d)", message, line)


def _qwebchannel_js() -> str:
    file = QFile(":/qtwebchannel/qwebchannel.js")
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError("qwebchannel.js not found in Qt resources")
    try:
        return bytes(file.readAll().data()).decode("utf-8")
    finally:
        file.close()


class MapView(QWidget):
    item_clicked = Signal(str)
    loaded = Signal()
    #: A point picked with :meth:`pick_location` (the ward form's damage location).
    location_picked = Signal(float, float)
    #: The operator chose another time window (a MapWindow).
    window_changed = Signal(object)

    def __init__(self, map_settings: MapSettings | None = None, parent: QWidget | None = None, *,
                 area: str = DEFAULT_AREA, user_dir: str | None = None, focus_ward: str | None = None) -> None:
        super().__init__(parent)
        self.settings = map_settings or MapSettings()
        self.is_ready = False
        self._pending: list[str] = []
        self.web = QWebEngineView(self)
        page = _Page(self.web)
        _PAGES.add(page)
        self.web.setPage(page)
        #: Why the local tiles are not shown (None when they are, or when none are configured).
        self.tiles_problem: str | None = None
        self.tiles: TileSchemeHandler | None = self._local_tiles(page)
        hosts = {QUrl(url.split("{", 1)[0]).host() for url, _attr, _z in TILES.values()}
        self.guard = OfflineGuard(hosts, self)
        page.setUrlRequestInterceptor(self.guard)
        self.bridge = MapBridge(self)
        self.bridge.clicked.connect(self.item_clicked)
        self.bridge.picked.connect(self.location_picked)
        self.bridge.ready.connect(self._on_ready)
        self.channel = QWebChannel(page)
        self.channel.registerObject("bridge", self.bridge)
        page.setWebChannel(self.channel)
        self.window_box = QComboBox(self)
        for hours in WINDOWS_H:
            text = self.tr("全期間") if hours == 0 else self.tr("直近%1時間").replace("%1", str(hours))
            self.window_box.addItem(text, hours)
        self.window_box.setCurrentIndex(max(0, self.window_box.findData(self.settings.window_hours)))
        self.window_box.currentIndexChanged.connect(lambda _i: self.window_changed.emit(self.window))
        self.count_label = QLabel(self)
        self.tiles_label = QLabel(self)
        self.tiles_label.setStyleSheet("color: #b71c1c;")
        self.tiles_label.setVisible(self.tiles_problem is not None)
        if self.tiles_problem:
            self.tiles_label.setText(self.tr("ローカルタイルを表示できません（エリア地図を表示）: %1")
                                     .replace("%1", self.tiles_problem))
            self.tiles_label.setToolTip(self.tiles_problem)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 0)
        bar.addWidget(QLabel(self.tr("投稿の表示期間"), self))
        bar.addWidget(self.window_box)
        bar.addWidget(self.count_label, 1)
        bar.addWidget(self.tiles_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.web, 1)
        self._dir = tempfile.TemporaryDirectory(prefix="dd-map-")
        self.page_path = Path(self._dir.name) / "map.html"
        local = self.tiles.store.info if self.tiles is not None else None
        self.page_path.write_text(build_page(self.settings, bridge_js=_qwebchannel_js(), area=area,
                                             user_dir=user_dir, local=local, focus_ward=focus_ward,
                                             language=current_language()),
                                  encoding="utf-8")
        self.web.load(QUrl.fromLocalFile(str(self.page_path)))

    def _local_tiles(self, page: QWebEnginePage) -> TileSchemeHandler | None:
        """The ``ddtiles:`` handler of ``map.local_tiles``, installed on the page's profile."""
        path = self.settings.tiles_path
        if not path:
            if self.settings.base == "local":
                self.tiles_problem = "map.local_tiles"
                log.warning("map.base_layer is local but map.local_tiles is not set: showing the area map")
            return None
        try:
            store = TileStore(path)
        except UserError as exc:
            self.tiles_problem = str(exc)
            log.warning("%s: showing the area map", exc)
            return None
        handler = TileSchemeHandler(store, self)
        profile = page.profile()
        if profile.urlSchemeHandler(SCHEME.encode()) is not None:
            profile.removeUrlScheme(SCHEME.encode())  # another map view's tiles
        profile.installUrlSchemeHandler(SCHEME.encode(), handler)
        return handler

    def _on_ready(self) -> None:
        self.is_ready = True
        pending, self._pending = self._pending, []
        for script in pending:
            self.web.page().runJavaScript(script)
        self.web.page().runJavaScript("1", 0, lambda _r: self.loaded.emit())

    def run(self, script: str, callback: Callable[[Any], None] | None = None) -> None:
        """Run ``script`` in the page now, or once it is ready."""
        if not self.is_ready:
            if callback is not None:
                raise RuntimeError("the map page is not ready yet")
            self._pending.append(script)
        elif callback is None:
            self.web.page().runJavaScript(script)
        else:
            self.web.page().runJavaScript(script, 0, callback)

    def set_items(self, items: Iterable[MapItem], callback: Callable[[Any], None] | None = None, *,
                  ready: Mapping[str, str] | None = None) -> None:
        """Replace every marker (first load, scope change). ``ready``: the items' JSON made on the worker
        pool (``script_json.prepared``), so the GUI thread only joins strings."""
        self._pending = [s for s in self._pending if not s.startswith("ddSet(") and not s.startswith("ddAdd(")]
        self.run(f"ddSet({items_json(items, ready)})", callback)

    def add_items(self, items: Iterable[MapItem], callback: Callable[[Any], None] | None = None, *,
                  ready: Mapping[str, str] | None = None) -> None:
        """Add markers (new items) without touching the others (``ready`` as in :meth:`set_items`)."""
        self.run(f"ddAdd({items_json(items, ready)})", callback)

    def update_item(self, item: MapItem, callback: Callable[[Any], None] | None = None) -> None:
        self.run(f"ddAdd({items_json([item])})", callback)

    def remove_item(self, key: str) -> None:
        self.run(f"ddRemove({json.dumps(key)})")

    def remove_items(self, keys: Iterable[str]) -> None:
        """Remove many markers with one call into the page (not one ``runJavaScript`` each)."""
        keys = list(keys)
        if keys:
            self.run(f"{json.dumps(keys)}.forEach(function (k) {{ ddRemove(k); }})")

    @property
    def window(self) -> MapWindow:
        """The posts drawn as markers: the chosen time window, bounded by the setting."""
        return MapWindow(hours=int(self.window_box.currentData() or 0), bound=self.settings.marker_bound)

    def set_counts(self, picture: MapPicture, callback: Callable[[Any], None] | None = None, *,
                   ready: str | None = None) -> None:
        """Ward and town badges: the posts not drawn as markers (outside the window or beyond the bound).
        ``ready``: ``script_json(picture.counts_json())`` made on the worker pool with the read."""
        hidden = sum(c.n for c in picture.wards)
        text = self.tr("投稿マーカー %1件").replace("%1", f"{picture.drawn:,}")
        if picture.beyond:
            text += self.tr("（上限%1件）").replace("%1", f"{picture.bound:,}")
        if hidden:
            text += self.tr(" ・ ほか%1件は区・町の件数").replace("%1", f"{hidden:,}")
        self.count_label.setText(text)
        self._pending = [s for s in self._pending if not s.startswith("ddCounts(")]
        self.run(f"ddCounts({ready or script_json(picture.counts_json())})", callback)

    def pick_location(self, on: bool = True, callback: Callable[[Any], None] | None = None) -> None:
        """Pick mode: the next click on the map emits :attr:`location_picked` (crosshair cursor meanwhile)."""
        self.run(f"ddPick({'true' if on else 'false'})", callback)

    def highlight(self, key: str, callback: Callable[[Any], None] | None = None) -> None:
        """Pan to the item and open its popup (selection elsewhere in the window)."""
        self.run(f"ddHighlight({json.dumps(key)})", callback)

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        # Delete the page before the web profile goes away at exit (Qt warns otherwise).
        self.is_ready = False
        self.web.page().deleteLater()
        if self.tiles is not None:
            self.web.page().profile().removeUrlSchemeHandler(self.tiles)
            self.tiles.store.close()
        self._dir.cleanup()
        super().closeEvent(event)
